hostacl conf --fix - < tests/data/hostacl/conf/seed.conf
