cpuidmask mask lint tests/data/masks/seed-westmere.vmx
