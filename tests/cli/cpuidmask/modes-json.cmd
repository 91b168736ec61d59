cpuidmask modes --json tests/data/dumps/xeon-gold-6148.dump tests/data/dumps/xeon-platinum-8268.dump
