cpuidmask dump tests/data/formats/instlat/zen2-ryzen9-3900-aida64-6.10.txt
