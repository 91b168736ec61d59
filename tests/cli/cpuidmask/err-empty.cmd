cpuidmask show /dev/null
