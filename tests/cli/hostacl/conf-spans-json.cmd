hostacl conf --json tests/data/hostacl/conf/spans.conf
