cpuidmask modes --help
