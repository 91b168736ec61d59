cpuidmask check --vmx tests/data/masks/seed-b-to-a-client-dropped-7.vmx --on tests/data/dumps/core-i7-3770.dump --to tests/data/dumps/atom-c2750.dump
