cpuidmask dump tests/data/formats/instlat/atom-c2750-aida64-4.00.txt
