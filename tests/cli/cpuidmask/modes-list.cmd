cpuidmask modes --list
