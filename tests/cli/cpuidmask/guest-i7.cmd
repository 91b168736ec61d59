cpuidmask guest tests/data/dumps/core-i7-3770.dump
