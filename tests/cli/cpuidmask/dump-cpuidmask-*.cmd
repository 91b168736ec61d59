cpuidmask dump tests/data/formats/cpuidmask/*.dump
