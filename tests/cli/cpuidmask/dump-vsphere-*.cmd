cpuidmask dump tests/data/formats/vsphere/*.txt
