cpuidmask dump tests/data/formats/instlat/sandybridge-i5-2400-aida64-1.20.txt
