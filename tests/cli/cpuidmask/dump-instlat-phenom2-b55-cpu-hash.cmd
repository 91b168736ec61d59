cpuidmask dump tests/data/formats/instlat/phenom2-b55-cpu-hash.txt
