cpuidmask mask lint 'cpuid.80000001.ecx = "-----------------------0--------"'
