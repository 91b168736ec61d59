mailfolders mailboxes --help
