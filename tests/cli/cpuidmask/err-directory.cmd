cpuidmask show tests
