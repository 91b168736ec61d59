cpuidmask dump tests/data/formats/vmware-log/i125-prefix-excerpt.log
