cpuidmask mask explain --json tests/data/masks/seed-b-to-a.vmx
