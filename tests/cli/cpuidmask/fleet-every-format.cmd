cpuidmask fleet --limit 2 tests/data/formats
