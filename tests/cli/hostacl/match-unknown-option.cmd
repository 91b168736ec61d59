hostacl match --allowed 10.0.0.0/8 10.0.0.1
