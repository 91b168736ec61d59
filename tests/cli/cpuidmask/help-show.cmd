cpuidmask show --help
