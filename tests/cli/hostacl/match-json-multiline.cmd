hostacl match --json --allow "$(printf '10.0.0.0/8,\n  192.168.1.0/24')" 192.168.1.5
