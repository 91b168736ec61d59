cp tests/data/vmx/lf-plain.vmx $CM_TMP/vm.vmx && cpuidmask apply $CM_TMP/vm.vmx --mask tests/data/masks/seed-merged.vmx >/dev/null && cat $CM_TMP/vm.vmx
