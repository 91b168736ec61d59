mailfolders --help
