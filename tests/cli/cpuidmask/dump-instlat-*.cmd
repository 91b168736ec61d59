cpuidmask dump tests/data/formats/instlat/*.txt
