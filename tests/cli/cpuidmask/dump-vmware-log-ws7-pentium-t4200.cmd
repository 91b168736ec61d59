cpuidmask dump tests/data/formats/vmware-log/ws7-pentium-t4200.log
