mailfolders repair mail.db
