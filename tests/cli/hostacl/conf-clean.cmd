hostacl conf tests/data/hostacl/conf/clean.conf
