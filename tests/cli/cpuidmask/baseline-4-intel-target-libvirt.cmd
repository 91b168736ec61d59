cpuidmask baseline --target libvirt tests/data/dumps/core-i5-2500.dump tests/data/dumps/core-i7-3770.dump tests/data/dumps/core-i7-4510u.dump tests/data/dumps/xeon-e5-2650-v4.dump
