hostacl match --deny '10.0.0.0/33' 10.0.0.1
