cpuidmask guest --help
