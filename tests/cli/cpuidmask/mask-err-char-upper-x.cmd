printf 'cpuid.1.ecx = "X-------------------------------"\n' > $CM_TMP/x.vmx; cd $CM_TMP && cpuidmask mask explain x.vmx
