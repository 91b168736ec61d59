hostacl map --help
