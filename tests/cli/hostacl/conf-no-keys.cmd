printf "daemon_port = 3142\n" | hostacl conf -
