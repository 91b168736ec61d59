cpuidmask features --help
