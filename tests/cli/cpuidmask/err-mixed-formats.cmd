{ cat tests/data/formats/cpuid-r/core-i7-3770.txt; grep '^0000000d' tests/data/dumps/core-i7-3770.dump; } | cpuidmask show -
