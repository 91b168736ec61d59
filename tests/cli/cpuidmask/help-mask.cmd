cpuidmask mask --help
