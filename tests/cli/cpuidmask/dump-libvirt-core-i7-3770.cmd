cpuidmask dump tests/data/formats/libvirt/core-i7-3770.xml
