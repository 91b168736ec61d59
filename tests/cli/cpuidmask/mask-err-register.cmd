cpuidmask mask explain 'cpuid.1.esx = "---------0----------------------"'
