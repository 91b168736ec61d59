hostacl map --to ipv5 10.0.0.1
