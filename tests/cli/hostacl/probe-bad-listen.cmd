hostacl probe --listen 127.0.0.1 --timeout 1
