hostacl map '*' && hostacl map ' * ' '10.0.0.1' && hostacl map '*, 10.0.0.0/8'
