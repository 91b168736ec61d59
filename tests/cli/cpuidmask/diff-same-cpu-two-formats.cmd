cpuidmask diff tests/data/formats/libvirt/core-i7-3770.xml tests/data/formats/cpuid-r/core-i7-3770-old-form.txt
