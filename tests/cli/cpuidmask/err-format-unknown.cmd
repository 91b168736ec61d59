cpuidmask show --format nosuch tests/data/dumps/core-i7-3770.dump
