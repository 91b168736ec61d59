cp tests/data/vmx/lf-plain.vmx $CM_TMP/vm.vmx && cpuidmask apply $CM_TMP/vm.vmx --baseline tests/data/dumps/xeon-w7-3465x.dump tests/data/dumps/ice-lake-server.dump >/dev/null && cat $CM_TMP/vm.vmx
