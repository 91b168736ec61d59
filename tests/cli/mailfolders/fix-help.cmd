mailfolders fix --help
