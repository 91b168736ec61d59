hostacl conf
