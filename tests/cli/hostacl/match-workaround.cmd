hostacl match --allow "$(hostacl map 192.168.1.0/24)" ::ffff:192.168.1.5 192.168.1.5
