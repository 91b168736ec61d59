hostacl match --allow fe80::/10 'fe80::1%eth0'
