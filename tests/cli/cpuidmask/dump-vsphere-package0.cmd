cpuidmask dump --cpu 0 tests/data/formats/vsphere/govc-host-info-json.txt
