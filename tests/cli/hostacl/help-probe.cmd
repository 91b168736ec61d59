hostacl probe --help
