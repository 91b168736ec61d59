cpuidmask diff --help
