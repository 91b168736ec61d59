cpuidmask dump tests/data/formats/vsphere/govc-host-info-json.txt
