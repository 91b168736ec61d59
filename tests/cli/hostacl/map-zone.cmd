hostacl map 'fe80::1%eth0'
