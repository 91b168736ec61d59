cpuidmask mask merge --xen tests/data/masks/seed-merged.vmx
