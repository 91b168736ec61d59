hostacl conf tests/data/hostacl/conf/seed.conf
