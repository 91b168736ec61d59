cpuidmask check --on tests/data/dumps/atom-c2750.dump --to tests/data/dumps/core-i7-3770.dump
