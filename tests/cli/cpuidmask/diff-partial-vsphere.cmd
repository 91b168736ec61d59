cpuidmask diff tests/data/formats/vsphere/govmomi-go-literal.txt tests/data/dumps/core-i5-2500.dump
