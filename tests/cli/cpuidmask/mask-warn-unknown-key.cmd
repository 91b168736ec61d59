cpuidmask mask explain 'cpuid.80000001.edx.amd = "-----------H--------------------"'
