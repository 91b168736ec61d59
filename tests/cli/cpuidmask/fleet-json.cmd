cpuidmask fleet --json --limit 3 tests/data/dumps/atom-c2750.dump tests/data/dumps/core-i7-3770.dump tests/data/dumps/xeon-w7-3465x.dump tests/data/formats/cpuid-r
