cpuidmask show --json tests/data/dumps/core-i7-3770.dump
