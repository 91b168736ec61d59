cpuidmask mask lint tests/data/masks/seed-merged.vmx
