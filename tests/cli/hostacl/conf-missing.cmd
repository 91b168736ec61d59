hostacl conf tests/data/hostacl/conf/no-such.conf
