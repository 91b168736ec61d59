cpuidmask dump tests/data/formats/cpuid-r/this-build-machine-2cpu.txt
