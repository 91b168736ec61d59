hostacl match --json --allow '192.168.1.0/24' --deny 192.168.1.66 ::ffff:192.168.1.5 ::ffff:192.168.1.66 10.0.0.1
