hostacl match localhost
