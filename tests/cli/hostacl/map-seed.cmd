hostacl map 192.168.1.0/24
