cpuidmask dump tests/data/formats/cpuid-r/amd-epyc-zen5-kvm-guest.txt
