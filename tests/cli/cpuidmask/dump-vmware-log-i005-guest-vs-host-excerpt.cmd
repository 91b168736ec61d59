cpuidmask dump tests/data/formats/vmware-log/i005-guest-vs-host-excerpt.log
