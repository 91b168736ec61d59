cpuidmask mask explain tests/data/masks/seed-westmere.vmx
