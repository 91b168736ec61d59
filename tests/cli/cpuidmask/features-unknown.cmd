cpuidmask features avx nosuchthing
