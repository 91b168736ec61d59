cpuidmask mask merge tests/data/masks/seed-a-to-b.vmx tests/data/masks/seed-b-to-a.vmx | cmp - tests/data/masks/seed-merged.vmx && echo 'identical to the seed'\''s four merged lines'
