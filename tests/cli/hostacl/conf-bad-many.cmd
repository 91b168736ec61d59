hostacl conf tests/data/hostacl/conf/bad-many.conf
