# the backup keeps the .vmx's own permissions (ESXi's .vmx files are 0755; a 0600 one stays 0600)
cp tests/data/vmx/lf-plain.vmx "$CM_TMP/vm.vmx" && chmod 0600 "$CM_TMP/vm.vmx"
cpuidmask apply "$CM_TMP/vm.vmx" --mode westmere tests/data/dumps/core-i7-3770.dump > /dev/null; echo "exit $?"
stat -c '%a' "$CM_TMP/vm.vmx" "$CM_TMP/vm.vmx.cpuidmask.bak"
chmod 0755 "$CM_TMP/vm.vmx" && rm "$CM_TMP/vm.vmx.cpuidmask.bak"
cpuidmask apply "$CM_TMP/vm.vmx" --mode merom tests/data/dumps/core-i7-3770.dump > /dev/null; echo "exit $?"
stat -c '%a' "$CM_TMP/vm.vmx" "$CM_TMP/vm.vmx.cpuidmask.bak"
