cpuidmask mask explain 'cpuid.xyz.ecx = "---------0----------------------"'
