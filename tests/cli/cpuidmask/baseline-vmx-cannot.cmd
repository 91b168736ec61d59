cpuidmask baseline tests/data/dumps/xeon-w7-3465x.dump tests/data/dumps/ice-lake-server.dump
