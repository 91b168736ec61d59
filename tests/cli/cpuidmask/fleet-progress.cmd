# with standard error on a terminal (script(1) gives it one) fleet ends with a progress line
# (CPUIDMASK_PROGRESS_DELAY=0 shows it at once; the default waits a second); with standard
# error redirected to a file, as here outside script, there is none. '\r' is shown as '|'.
script -qec 'CPUIDMASK_PROGRESS_DELAY=0 cpuidmask fleet tests/data/dumps >/dev/null' /dev/null | tr '\r' '|'
echo "exit $?"
CPUIDMASK_PROGRESS_DELAY=0 cpuidmask fleet tests/data/dumps >/dev/null 2>"$CM_TMP/err"; echo "exit $?"
wc -c <"$CM_TMP/err"
