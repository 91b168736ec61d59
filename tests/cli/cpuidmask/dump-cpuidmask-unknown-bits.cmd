cpuidmask dump tests/data/formats/cpuidmask/unknown-bits.dump
