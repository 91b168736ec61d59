cpuidmask dump --cpu 1 tests/data/formats/vmware-log/ws7-pentium-t4200.log
