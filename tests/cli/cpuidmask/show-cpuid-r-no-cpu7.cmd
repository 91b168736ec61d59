cpuidmask show --cpu 7 tests/data/formats/cpuid-r/this-build-machine-2cpu.txt
