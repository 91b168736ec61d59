printf 'displayName = "vm"\ncpuid.1.ecx = "---------Z----------------------"\n' > $CM_TMP/bad.vmx; cd $CM_TMP && cpuidmask mask explain bad.vmx
