cpuidmask formats
