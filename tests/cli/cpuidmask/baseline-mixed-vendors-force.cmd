cpuidmask baseline --force --target qemu tests/data/dumps/atom-c2750.dump tests/data/dumps/epyc-7601-32-core.dump
