hostacl conf --dry-run --json tests/data/hostacl/conf/seed.conf
