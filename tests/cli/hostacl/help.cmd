hostacl --help
