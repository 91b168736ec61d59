cpuidmask dump tests/data/dumps/xeon-w7-3465x.dump > $CM_TMP/a && cpuidmask dump $CM_TMP/a > $CM_TMP/b && cmp $CM_TMP/a $CM_TMP/b && echo identical
