hostacl map 'apt.example.org, 10.0.0.1'
