hostacl --version
