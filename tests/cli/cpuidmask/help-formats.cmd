cpuidmask formats --help
