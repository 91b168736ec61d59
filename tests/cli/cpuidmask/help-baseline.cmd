cpuidmask baseline --help
