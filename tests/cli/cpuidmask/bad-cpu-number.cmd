cpuidmask show --cpu x tests/data/dumps/core-i7-3770.dump
