hostacl conf --help
