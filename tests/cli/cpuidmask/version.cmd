cpuidmask --version
