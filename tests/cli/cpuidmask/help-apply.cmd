cpuidmask apply --help
