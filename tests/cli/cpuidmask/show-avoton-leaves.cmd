cpuidmask show --leaves tests/data/dumps/atom-c2750.dump
