printf 'cpuid.1.ecx = "---------0----------------------"\ncpuid.1.ECX = "--------------------------------"\n' > $CM_TMP/dup.vmx; cd $CM_TMP && cpuidmask mask explain dup.vmx
