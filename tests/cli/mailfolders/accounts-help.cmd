mailfolders accounts --help
