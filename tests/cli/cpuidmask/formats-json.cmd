cpuidmask formats --json
