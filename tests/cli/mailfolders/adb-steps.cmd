mailfolders adb-steps
