# the same case in JSON: hidden_by_dependency lists vaes and vpclmulqdq
cpuidmask baseline -t featmask --json tests/data/dumps/epyc-7713-64-core.dump tests/data/dumps/epyc-9334-32-core.dump
