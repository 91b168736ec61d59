cpuidmask guest --json --vmx tests/data/masks/seed-westmere.vmx tests/data/dumps/atom-c2750.dump
