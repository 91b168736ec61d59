-- mail.sql - an HTC mail app database (mail.db) as the seed's third post found it: account 1
-- on an IMAP server whose folders live under "INBOX." (separator "."), its Sent, Trash and
-- Drafts settings still at the app's defaults; account 2 on a server without a prefix,
-- correct, and never to be changed. The tables follow the HTC mail provider's own CREATE
-- TABLE statements (accounts, mailboxs, messages; a trimmed set of their columns), the
-- values are made up. The ids are the seed's: INBOX.Sent 23, INBOX.Trash 9, INBOX.Drafts 27.
--
-- Built by tests/data/mailfolders/mkdb.sh, which copies the files while the WAL still holds
-- everything (wal_autocheckpoint=0), as "adb pull" copies a database the app has open.
PRAGMA journal_mode = WAL;
PRAGMA wal_autocheckpoint = 0;

CREATE TABLE android_metadata (locale TEXT);
INSERT INTO android_metadata VALUES ('en_GB');

CREATE TABLE accounts (
	_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	_name TEXT NOT NULL,
	_emailaddress TEXT NOT NULL,
	_username TEXT NOT NULL,
	_password TEXT NOT NULL,
	_desc TEXT NOT NULL,
	_protocol INTEGER DEFAULT 0,
	_inserver TEXT,
	_inport INTEGER,
	_outserver TEXT,
	_outport INTEGER,
	_useSSLin INTEGER DEFAULT 1,
	_useSSLout INTEGER DEFAULT 1,
	_signature TEXT,
	_lastupdatetime INTEGER,
	_provider TEXT DEFAULT '',
	_defaultaccount INTEGER DEFAULT 0,
	_defaultfolderId INTEGER,
	_trashfolder TEXT DEFAULT 'Trash',
	_trashfoldertext TEXT DEFAULT 'Trash',
	_trashfolderId INTEGER,
	_sentfolder TEXT DEFAULT 'Sent',
	_sentfoldertext TEXT DEFAULT 'Sent',
	_sentfolderId INTEGER,
	_draftfolder TEXT DEFAULT 'Drafts',
	_draftfoldertext TEXT DEFAULT 'Drafts',
	_draftfolderId INTEGER,
	_outfolderId INTEGER,
	_flags INTEGER,
	_sortby INTEGER DEFAULT 0
);

CREATE TABLE mailboxs (
	_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	_undecodename TEXT DEFAULT '',
	_decodename TEXT DEFAULT '',
	_shortname TEXT DEFAULT '',
	_serverfolder INTEGER DEFAULT 1,
	_defaultfolder INTEGER DEFAULT 0,
	_account INTEGER NOT NULL,
	_movegroup INTEGER DEFAULT 1,
	_showsender INTEGER DEFAULT 1,
	_lastuid TEXT DEFAULT '',
	_existsize INTEGER DEFAULT 0,
	_noselect INTEGER DEFAULT 0,
	_haschild INTEGER DEFAULT 0,
	_parentid INTEGER DEFAULT 0,
	_displayname TEXT,
	_type INTEGER
);
CREATE INDEX IDX_mailboxs_accountId ON mailboxs (_account);

CREATE TABLE messages (
	_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	_uid TEXT,
	_from TEXT,
	_subject TEXT DEFAULT '',
	_date INTEGER,
	_read INTEGER DEFAULT 0,
	_account INTEGER NOT NULL,
	_mailbox TEXT,
	_mailboxId INTEGER
);
CREATE INDEX IDX_messages_mailboxId ON messages (_mailboxId);

CREATE TRIGGER delete_accounts BEFORE DELETE ON accounts
BEGIN DELETE FROM mailboxs WHERE old._id = _account; END;

INSERT INTO accounts (_id, _name, _emailaddress, _username, _password, _desc, _protocol,
	_inserver, _inport, _outserver, _outport, _useSSLin, _useSSLout, _signature,
	_lastupdatetime, _provider, _defaultaccount, _defaultfolderId,
	_trashfolder, _trashfoldertext, _trashfolderId,
	_sentfolder, _sentfoldertext, _sentfolderId,
	_draftfolder, _draftfoldertext, _draftfolderId, _outfolderId, _flags)
VALUES
	(1, 'Work', 'jane@example.org', 'jane', 'not-the-real-one', 'Work', 1,
	 'imap.example.org', 993, 'smtp.example.org', 587, 1, 1, 'Sent from my HTC',
	 1316000000000, 'Other', 1, 1,
	 'Trash', 'Trash', 4,
	 'Sent', 'Sent', 3,
	 'Drafts', 'Drafts', 41, 2, 0),
	(2, 'Home', 'jane@home.example', 'jane.doe', 'not-the-real-one', 'Home', 1,
	 'mail.home.example', 143, 'mail.home.example', 25, 0, 0, NULL,
	 1316000500000, 'Other', 0, 11,
	 'Trash', 'Trash', 13,
	 'Sent', 'Sent', 12,
	 'Drafts', 'Drafts', 14, 15, 0);

-- The app's own folders come first (_serverfolder 0), then what it listed on the server.
INSERT INTO mailboxs (_id, _undecodename, _decodename, _shortname, _serverfolder,
	_defaultfolder, _account, _haschild, _displayname, _type) VALUES
	(1, 'INBOX', 'INBOX', 'INBOX', 1, 1, 1, 1, 'Inbox', 1),
	(2, 'Outbox', 'Outbox', 'Outbox', 0, 0, 1, 0, 'Outbox', 4),
	(3, 'Sent', 'Sent', 'Sent', 0, 0, 1, 0, 'Sent', 3),
	(4, 'Trash', 'Trash', 'Trash', 0, 0, 1, 0, 'Trash', 5),
	(5, 'Drafts', 'Drafts', 'Drafts', 0, 0, 1, 0, 'Drafts', 2),
	(6, 'INBOX.Archive', 'INBOX.Archive', 'INBOX.Archive', 1, 0, 1, 0, NULL, NULL),
	(7, 'INBOX.Junk', 'INBOX.Junk', 'INBOX.Junk', 1, 0, 1, 0, NULL, NULL),
	(8, 'INBOX.Lists', 'INBOX.Lists', 'INBOX.Lists', 1, 0, 1, 1, NULL, NULL),
	(9, 'INBOX.Trash', 'INBOX.Trash', 'INBOX.Trash', 1, 0, 1, 0, NULL, NULL),
	(10, 'INBOX.Lists.sqlite-users', 'INBOX.Lists.sqlite-users', 'INBOX.Lists.sqlite-users',
	 1, 0, 1, 0, NULL, NULL),
	(11, 'INBOX', 'INBOX', 'INBOX', 1, 1, 2, 0, 'Inbox', 1),
	(12, 'Sent', 'Sent', 'Sent', 1, 0, 2, 0, NULL, NULL),
	(13, 'Trash', 'Trash', 'Trash', 1, 0, 2, 0, NULL, NULL),
	(14, 'Drafts', 'Drafts', 'Drafts', 1, 0, 2, 0, NULL, NULL),
	(15, 'Outbox', 'Outbox', 'Outbox', 0, 0, 2, 0, 'Outbox', 4),
	(16, 'INBOX.Receipts', 'INBOX.Receipts', 'INBOX.Receipts', 1, 0, 1, 1, NULL, NULL),
	(17, 'INBOX.Entw&APw-rfe', 'INBOX.Entwürfe', 'INBOX.Entwürfe', 1, 0, 1, 0, NULL, NULL),
	(18, 'INBOX.Travel', 'INBOX.Travel', 'INBOX.Travel', 1, 0, 1, 1, NULL, NULL),
	(19, 'INBOX.Travel.2011', 'INBOX.Travel.2011', 'INBOX.Travel.2011', 1, 0, 1, 0, NULL, NULL),
	(20, 'INBOX.&ZeVnLIqe-', 'INBOX.日本語', 'INBOX.日本語', 1, 0, 1, 0, NULL, NULL),
	(21, 'INBOX.Family', 'INBOX.Family', 'INBOX.Family', 1, 0, 1, 0, NULL, NULL),
	(22, 'INBOX.Receipts.Amazon', 'INBOX.Receipts.Amazon', 'INBOX.Receipts.Amazon',
	 1, 0, 1, 0, NULL, NULL),
	(23, 'INBOX.Sent', 'INBOX.Sent', 'INBOX.Sent', 1, 0, 1, 0, NULL, NULL),
	(24, 'INBOX.Notes', '', 'INBOX.Notes', 1, 0, 1, 0, NULL, NULL),
	(25, 'INBOX.Work', 'INBOX.Work', 'INBOX.Work', 1, 0, 1, 1, NULL, NULL),
	(26, 'INBOX.Work.Projects', 'INBOX.Work.Projects', 'INBOX.Work.Projects',
	 1, 0, 1, 0, NULL, NULL),
	(27, 'INBOX.Drafts', 'INBOX.Drafts', 'INBOX.Drafts', 1, 0, 1, 0, NULL, NULL);

INSERT INTO messages (_uid, _from, _subject, _date, _read, _account, _mailbox, _mailboxId) VALUES
	('101', 'Ann <ann@example.org>', 'Minutes of Tuesday', 1315990000000, 1, 1, 'INBOX', 1),
	('102', 'SQLite users <sqlite-users@example.org>', 'WAL and backups', 1315991000000, 0, 1,
	 'INBOX.Lists.sqlite-users', 10),
	('7', 'Jane <jane@example.org>', 'Re: Minutes of Tuesday', 1315992000000, 1, 1,
	 'INBOX.Sent', 23),
	('55', 'Bob <bob@home.example>', 'Dinner?', 1315993000000, 0, 2, 'INBOX', 11),
	('56', 'Jane <jane@home.example>', 'Re: Dinner?', 1315994000000, 1, 2, 'Sent', 12);
