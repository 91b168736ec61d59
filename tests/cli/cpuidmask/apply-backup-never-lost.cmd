# a backup is never overwritten (a second apply with other content writes .bak.1), a link
# where the backup goes is refused rather than followed, and the owner and group are kept
d=$PWD/tests/data; cd "$CM_TMP" || exit 2
cp "$d/vmx/lf-plain.vmx" vm.vmx && chown nobody:nogroup vm.vmx
cpuidmask apply vm.vmx --mode westmere "$d/dumps/core-i7-3770.dump"; echo "exit $?"
cpuidmask apply vm.vmx --mode merom "$d/dumps/core-i7-3770.dump"; echo "exit $?"
cmp "$d/vmx/lf-plain.vmx" vm.vmx.cpuidmask.bak && echo "first backup: the original"
stat -c '%n %U:%G' vm.vmx vm.vmx.cpuidmask.bak vm.vmx.cpuidmask.bak.1
echo precious > victim
cp "$d/vmx/lf-plain.vmx" other.vmx && ln -s victim other.vmx.cpuidmask.bak
cpuidmask apply other.vmx --mode westmere "$d/dumps/core-i7-3770.dump"; echo "exit $?"
cat victim; cmp "$d/vmx/lf-plain.vmx" other.vmx && echo "other.vmx unchanged"
