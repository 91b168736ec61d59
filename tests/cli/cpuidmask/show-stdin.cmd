cpuidmask show - < tests/data/dumps/xeon-gold-6148.dump
