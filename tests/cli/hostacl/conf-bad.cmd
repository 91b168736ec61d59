hostacl conf tests/data/hostacl/conf/bad.conf
