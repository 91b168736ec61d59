cp tests/data/vmx/lf-plain.vmx $CM_TMP/vm.vmx && cd $CM_TMP && cpuidmask apply --backup .orig vm.vmx --mode westmere && cat vm.vmx && ls
