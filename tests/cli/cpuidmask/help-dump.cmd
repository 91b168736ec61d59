cpuidmask dump --help
