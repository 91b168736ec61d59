cpuidmask dump tests/data/formats/cpuid-r/core-i7-3770.txt
