cpuidmask dump tests/data/formats/vsphere/govmomi-go-literal.txt
