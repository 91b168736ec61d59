cpuidmask fleet tests/data/dumps/README.md tests/data/no-such-dir
