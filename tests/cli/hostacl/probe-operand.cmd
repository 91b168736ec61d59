hostacl probe 127.0.0.1
