cpuidmask check --help
