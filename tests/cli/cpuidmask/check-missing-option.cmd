cpuidmask check --on tests/data/dumps/atom-c2750.dump
