mailfolders adb-steps --sqlite --account 1
