cpuidmask show --json tests/data/formats/vsphere/govmomi-go-literal.txt
