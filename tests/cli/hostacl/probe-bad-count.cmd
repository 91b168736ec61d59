hostacl probe --count 0
