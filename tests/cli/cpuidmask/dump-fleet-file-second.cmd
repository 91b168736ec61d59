cat tests/data/dumps/core-i7-3770.dump tests/data/dumps/atom-c2750.dump | cpuidmask dump --cpu 1 -
