cpuidmask show --cpu 1 tests/data/formats/cpuid-r/this-build-machine-2cpu.txt
