cpuidmask baseline --target qemu tests/data/dumps/epyc-7601-32-core.dump tests/data/dumps/epyc-7502-32-core.dump tests/data/dumps/epyc-7713-64-core.dump
