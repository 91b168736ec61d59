hostacl
