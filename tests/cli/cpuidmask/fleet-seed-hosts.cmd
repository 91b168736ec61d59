cpuidmask fleet tests/data/dumps/atom-c2750.dump tests/data/dumps/core-i7-3770.dump
