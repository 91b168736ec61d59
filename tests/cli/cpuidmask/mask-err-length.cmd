cpuidmask mask explain 'cpuid.1.ecx = "----0"'
