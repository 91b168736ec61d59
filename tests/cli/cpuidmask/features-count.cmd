cpuidmask features --json | grep -c '"name"'
