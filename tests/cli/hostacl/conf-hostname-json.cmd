hostacl conf --json tests/data/hostacl/conf/hostname.conf
