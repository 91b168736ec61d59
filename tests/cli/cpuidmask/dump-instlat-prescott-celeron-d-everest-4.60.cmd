cpuidmask dump tests/data/formats/instlat/prescott-celeron-d-everest-4.60.txt
