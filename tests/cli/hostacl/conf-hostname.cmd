hostacl conf tests/data/hostacl/conf/hostname.conf
