mailfolders --version
