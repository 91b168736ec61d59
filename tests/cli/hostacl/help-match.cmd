hostacl match --help
