cpuidmask dump tests/data/formats/vmware-log/*.log
