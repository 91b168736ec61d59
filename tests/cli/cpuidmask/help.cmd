cpuidmask --help
