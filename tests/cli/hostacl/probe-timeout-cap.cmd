hostacl probe --listen '[::1]:0' --timeout 86401
