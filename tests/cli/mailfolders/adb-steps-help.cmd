mailfolders adb-steps --help
