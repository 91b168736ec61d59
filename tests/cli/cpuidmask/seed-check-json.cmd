cpuidmask check --json --both --vmx tests/data/masks/seed-a-to-b.vmx --on tests/data/dumps/atom-c2750.dump --to tests/data/dumps/core-i7-3770.dump
