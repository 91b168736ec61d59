mailfolders namespace --help
