hostacl probe --listen '[::1]:65536'
