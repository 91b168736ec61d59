cpuidmask dump tests/data/formats/vmware-log/ws17-core-i5-2500.log
