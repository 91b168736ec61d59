#!/bin/sh
# make demo: capture this machine's CPU, decode it, show what it offers and which named
# baselines (EVC-like modes, QEMU models, x86-64 levels) it meets.
set -u
bin=${1:-build/cpuidmask}
echo "\$ cpuidmask show host"
"$bin" show host || exit $?
echo
echo "\$ cpuidmask modes host                # the named baselines this host meets"
"$bin" modes host || exit $?
echo
echo "\$ cpuidmask dump -o build/this-host.dump"
"$bin" dump -o build/this-host.dump && echo "(wrote build/this-host.dump: $(wc -l <build/this-host.dump) lines)"
echo
echo "\$ cpuidmask diff host tests/data/dumps/core-i7-3770.dump    # this host vs. the seed's Core i7-3770"
"$bin" diff host tests/data/dumps/core-i7-3770.dump
rc=$?
[ $rc -le 1 ] || exit $rc
exit 0
