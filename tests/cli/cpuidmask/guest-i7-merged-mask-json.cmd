cpuidmask guest --json --vmx tests/data/masks/seed-merged.vmx tests/data/dumps/core-i7-3770.dump
