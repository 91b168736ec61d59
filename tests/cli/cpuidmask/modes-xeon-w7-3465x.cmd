# a Sapphire Rapids workstation without TSX: every EVC-like mode from Broadwell on has TSX
# (HLE, RTM), so Haswell is its highest one, and the output says why not Broadwell
cpuidmask modes tests/data/dumps/xeon-w7-3465x.dump
