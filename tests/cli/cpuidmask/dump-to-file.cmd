cpuidmask dump -o $CM_TMP/out.dump tests/data/dumps/core2-e6850.dump && cpuidmask diff $CM_TMP/out.dump tests/data/dumps/core2-e6850.dump
