hostacl map --to ipv4 "$(printf '10.0.0.1,\n  ::/0,\n\t*  ::ffff:1.2.3.4/120')"
