hostacl conf --dry-run --replace tests/data/hostacl/conf/spans.conf
