cpuidmask fleet --help
