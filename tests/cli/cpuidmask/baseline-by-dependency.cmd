# Zen 3 and Zen 4 both have VAES and VPCLMULQDQ, but Linux puts both under AVX512VL, which
# the Zen 3 lacks: they are hidden only because of that dependency, and -v says so
cpuidmask baseline -t featmask -v tests/data/dumps/epyc-7713-64-core.dump tests/data/dumps/epyc-9334-32-core.dump
