cpuidmask dump tests/data/formats/instlat/haswell-i7-4800mq-aida64-report.txt
