cpuidmask mask tests/data/masks/seed-merged.vmx
