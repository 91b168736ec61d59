cpuidmask fleet
