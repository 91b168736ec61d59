hostacl match --allow '10.0.0.0/8, 010.0.0.1' 10.0.0.1
