cpuidmask show --bogus tests/data/dumps/core-i7-3770.dump
