cpuidmask dump tests/data/formats/cpuidmask/partial-vsphere.dump
