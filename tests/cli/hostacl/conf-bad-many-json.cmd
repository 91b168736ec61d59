hostacl conf --json tests/data/hostacl/conf/bad-many.conf
