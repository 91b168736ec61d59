hostacl match --allow 10.0.0.0/8
