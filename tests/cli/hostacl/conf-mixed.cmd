hostacl conf tests/data/hostacl/conf/mixed.conf
