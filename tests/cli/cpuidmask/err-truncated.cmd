head -c 300 tests/data/formats/cpuid-r/core-i7-3770.txt | cpuidmask show -
