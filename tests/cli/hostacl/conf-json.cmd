hostacl conf --json tests/data/hostacl/conf/mixed.conf
