hostacl resolve localhost
