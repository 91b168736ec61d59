cpuidmask mask merge tests/data/masks/seed-a-to-b.vmx tests/data/masks/seed-b-to-a.vmx
