hostacl map 10.1
