cpuidmask dump tests/data/formats/instlat/tigerlake-i5-1135g7-aida64-6.25.txt
