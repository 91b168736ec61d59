hostacl match --allow '' 10.1.2.3
