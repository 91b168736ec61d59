hostacl match 'fe80::1%abcdefghijklmnop'; hostacl match 'fe80::1%abcdefghijklmno'
