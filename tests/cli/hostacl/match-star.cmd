hostacl match --allow '*' --deny '10.66.0.0/16, *' 10.1.2.3 ::ffff:10.66.1.1 2001:db8::1
