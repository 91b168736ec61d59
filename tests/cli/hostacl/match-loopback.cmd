hostacl match --loopback --allow 192.168.1.0/24 127.0.0.1 ::ffff:127.0.0.1 ::1 192.168.9.9
