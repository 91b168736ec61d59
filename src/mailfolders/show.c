/* show.c - printing names safely, settings in the seed's SQL words, and errors with advice. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void put_safe(FILE *f, const char *s)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

int safe_width(const char *s)
{
	if (!s)
		return 4;
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			w += 4;
		else if ((*p & 0xc0) != 0x80)
			w++;
	}
	return w;
}

void put_padded(FILE *f, const char *s, int width)
{
	put_safe(f, s);
	for (int w = safe_width(s); w < width; w++)
		fputc(' ', f);
}

void put_sql_value(FILE *f, const char *s)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	fputc('\'', f);
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			fputc('\'', f);
		char one[2] = { *p, 0 };
		put_safe(f, one);
	}
	fputc('\'', f);
}

void put_setting(FILE *f, enum mf_role r, const struct mf_setting *s)
{
	const struct mf_role_info *ri = &mf_roles[r];
	fprintf(f, "%s = ", ri->folder_col);
	put_sql_value(f, s->folder);
	fprintf(f, ", %s = ", ri->text_col);
	put_sql_value(f, s->text);
	fprintf(f, ", %s = ", ri->id_col);
	if (s->has_id)
		fprintf(f, "%lld", (long long)s->id);
	else
		fputs("NULL", f);
}

void put_account_title(FILE *f, const struct mf_account *a)
{
	put_safe(f, a->name);
	if (a->email) {
		fputs(" <", f);
		put_safe(f, a->email);
		fputc('>', f);
	}
}

void db_message(const char *path, const struct mf_error *e)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s: %s\n", prog, path, e->msg);
}

int db_error(const char *path, const struct mf_error *e, bool unchanged)
{
	const char *advice = NULL;
	switch (e->code) {
	case MF_ENOTFOUND:
		advice = "check the name; 'mailfolders adb-steps' shows how to copy mail.db off "
			 "the phone";
		break;
	case MF_ENOTDB:
		advice = "copy the database again (with its -wal, -shm or -journal files, see "
			 "'mailfolders adb-steps')";
		break;
	case MF_ESCHEMA:
		advice = "this is not the HTC mail app's mail.db, or a version whose columns "
			 "mailfolders does not know (see 'man mailfolders', SCHEMA)";
		break;
	case MF_EBUSY:
		advice = "close the program that has the database open (the mail app, a sqlite3 "
			 "shell) and run again, or wait longer with --timeout MS";
		break;
	case MF_ECHANGED:
		advice = "run the command again";
		break;
	case MF_EJOURNAL:
		advice = "keep the -journal file with the database (copy them together); "
			 "'mailfolders fix' rolls it back before its change, as does any program "
			 "that opens the database for writing, e.g. sqlite3 DB 'PRAGMA "
			 "integrity_check'";
		break;
	default:
		break;
	}
	db_message(path, e);
	if (advice)
		fprintf(stderr, "%s: %s%s\n", prog, advice, unchanged ? "; nothing was changed" : "");
	else if (unchanged)
		fprintf(stderr, "%s: nothing was changed\n", prog);
	return EXIT_ERROR;
}

int parse_account(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}
