cpuidmask features --json movbe pcid
