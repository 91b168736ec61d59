cpuidmask fleet tests/data/dumps
