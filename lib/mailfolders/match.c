/*
 * match.c - the tables (roles and their usual folder names, the columns the tool needs) and
 * the choice of a mailbox for a role.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/*
 * The usual folder names, in order of preference. Sent/Trash/Drafts are the names Dovecot's
 * example configuration gives the \Sent, \Trash and \Drafts folders; "Sent Items" and
 * "Deleted Items" are Outlook's and Exchange's; "Sent Messages" and "Deleted Messages" are
 * Apple Mail's (the list).
 */
static const char *const sent_names[] = { "Sent", "Sent Items", "Sent Messages", NULL };
static const char *const trash_names[] = { "Trash", "Deleted Items", "Deleted Messages", NULL };
static const char *const drafts_names[] = { "Drafts", NULL };

const struct mf_role_info mf_roles[MF_NROLES] = {
	[MF_SENT] = { "sent", "_sentfolder", "_sentfoldertext", "_sentfolderid", MF_ATTR_SENT,
		      "\\Sent", sent_names },
	[MF_TRASH] = { "trash", "_trashfolder", "_trashfoldertext", "_trashfolderid",
		       MF_ATTR_TRASH, "\\Trash", trash_names },
	[MF_DRAFTS] = { "drafts", "_draftfolder", "_draftfoldertext", "_draftfolderid",
			MF_ATTR_DRAFTS, "\\Drafts", drafts_names },
};

/* The columns every command reads or writes (the seed's SQL uses each of them). */
const struct mf_column mf_required_columns[] = {
	{ "accounts", "_id", "the account's number (the seed's \"where _id=1\")" },
	{ "accounts", "_name", "the account's name, to tell accounts apart" },
	{ "accounts", "_sentfolder", "the Sent folder setting" },
	{ "accounts", "_sentfoldertext", "the Sent folder's shown name" },
	{ "accounts", "_sentfolderid", "the Sent folder's mailboxs._id" },
	{ "accounts", "_trashfolder", "the Trash folder setting" },
	{ "accounts", "_trashfoldertext", "the Trash folder's shown name" },
	{ "accounts", "_trashfolderid", "the Trash folder's mailboxs._id" },
	{ "accounts", "_draftfolder", "the Drafts folder setting" },
	{ "accounts", "_draftfoldertext", "the Drafts folder's shown name" },
	{ "accounts", "_draftfolderid", "the Drafts folder's mailboxs._id" },
	{ "mailboxs", "_id", "the mailbox's number, written into the settings" },
	{ "mailboxs", "_account", "the account a mailbox belongs to" },
	{ "mailboxs", "_undecodename", "the server's name of the mailbox" },
	{ "mailboxs", "_decodename", "the decoded name, matched first" },
	{ "mailboxs", "_shortname", "the name matched when _decodename does not match" },
	{ NULL, NULL, NULL },
};

static const char *const state_names[] = {
	[MF_SET_OK] = "ok",
	[MF_SET_UNSET] = "unset",
	[MF_SET_MISSING] = "missing",
	[MF_SET_OTHER_ACCOUNT] = "other-account",
	[MF_SET_NAME_DIFFERS] = "name-differs",
	[MF_SET_LOCAL] = "local",
};

const char *mf_setting_state_name(enum mf_setting_state s)
{
	return (unsigned)s < sizeof state_names / sizeof state_names[0] ? state_names[s] : "?";
}

/* "INBOX" as the whole name or as its first hierarchy level (followed by a non-letter). */
static size_t inbox_len(const char *s)
{
	if (strncasecmp(s, "INBOX", 5) != 0)
		return 0;
	char c = s[5];
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return 0;
	return 5;
}

bool mf_name_equal(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	size_t ia = inbox_len(a), ib = inbox_len(b);
	if (ia && ib)
		return strcmp(a + ia, b + ib) == 0;
	return strcmp(a, b) == 0;
}

/* The name of mailbox m in field f, or NULL when empty. */
static const char *field(const struct mf_mailbox *m, enum mf_field f)
{
	const char *s = f == MF_FIELD_DECODENAME ? m->decodename :
			f == MF_FIELD_SHORTNAME ? m->shortname : m->undecoded_utf8;
	return s && *s ? s : NULL;
}

static int add_cand(struct mf_match *m, const struct mf_mailbox *mb)
{
	for (size_t i = 0; i < m->ncand; i++)
		if (m->cand[i] == mb)
			return 0;
	const struct mf_mailbox **v = realloc(m->cand, (m->ncand + 1) * sizeof *v);
	if (!v)
		return MF_ENOMEM;
	m->cand = v;
	v[m->ncand++] = mb;
	return 0;
}

/* Add a name to m->looked_for; a list too long for it ends with ", ...". */
static void looked_for(struct mf_match *m, const char *name)
{
	size_t n = strlen(m->looked_for), room = sizeof m->looked_for;
	if (n >= 5 && strcmp(m->looked_for + n - 5, ", ...") == 0)
		return;
	int k = snprintf(m->looked_for + n, room - n, "%s\"%s\"", n ? ", " : "", name);
	if (k < 0 || (size_t)k >= room - n) {
		size_t cut = n < room - 6 ? n : room - 6;
		snprintf(m->looked_for + cut, room - cut, ", ...");
	}
}

/* Candidates for a list of names: the first field in which any of them matches. */
static int match_names(struct mf_match *m, const struct mf_mailbox *mb, size_t n,
		       const char *const *names, size_t nnames)
{
	for (enum mf_field f = MF_FIELD_DECODENAME; f <= MF_FIELD_UNDECODENAME; f++) {
		for (size_t k = 0; k < nnames; k++)
			for (size_t i = 0; i < n; i++)
				if (mf_name_equal(field(&mb[i], f), names[k]) && add_cand(m, &mb[i]))
					return MF_ENOMEM;
		if (m->ncand) {
			m->field = f;
			break;
		}
	}
	if (m->ncand == 1) {
		m->chosen = m->cand[0];
		m->status = 0;
	} else {
		m->status = m->ncand ? MF_EAMBIGUOUS : MF_ENOTFOUND;
	}
	return 0;
}

/*
 * The prefix followed by each usual name of the role. A prefix that does not end with the
 * hierarchy delimiter gets it in between ("INBOX" and "." make "INBOX.Sent"); an empty
 * prefix (folders at the top level) gets nothing.
 */
static int match_usual(struct mf_match *m, const struct mf_mailbox *mb, size_t n,
		       const struct mf_role_info *ri, const struct mf_match_source *src)
{
	const char *prefix = src->prefix ? src->prefix : "";
	size_t plen = strlen(prefix);
	char sep[2] = { plen && src->delim && prefix[plen - 1] != src->delim ? src->delim : 0, 0 };
	size_t nusual = 0;
	while (ri->usual[nusual])
		nusual++;
	char **owned = calloc(nusual ? nusual : 1, sizeof *owned);
	int rc = owned ? 0 : MF_ENOMEM;
	for (size_t k = 0; k < nusual && !rc; k++) {
		size_t len = plen + 1 + strlen(ri->usual[k]) + 1;
		if (!(owned[k] = malloc(len))) {
			rc = MF_ENOMEM;
			break;
		}
		snprintf(owned[k], len, "%s%s%s", prefix, sep, ri->usual[k]);
		looked_for(m, owned[k]);
	}
	snprintf(m->how, sizeof m->how, "the prefix \"%s\" and a usual %s folder name", prefix,
		 ri->name);
	if (!rc)
		rc = match_names(m, mb, n, (const char *const *)owned, nusual);
	for (size_t k = 0; owned && k < nusual; k++)
		free(owned[k]);
	free(owned);
	return rc ? rc : m->status;
}

int mf_match_role(struct mf_match *m, const struct mf_mailbox *mb, size_t n, enum mf_role r,
		  const struct mf_match_source *src)
{
	const struct mf_role_info *ri = &mf_roles[r];
	memset(m, 0, sizeof *m);
	int rc = 0;
	if (src->name) {
		snprintf(m->how, sizeof m->how, "named by --%s", ri->name);
		looked_for(m, src->name);
		rc = match_names(m, mb, n, &src->name, 1);
		return rc ? rc : m->status;
	}
	if (src->server) {
		const char **names = NULL;
		size_t k = 0;
		for (size_t i = 0; i < src->server->nfolders; i++) {
			const struct mf_folder *f = &src->server->folders[i];
			if (!(f->attrs & ri->attr) || !f->decoded ||
			    (f->attrs & (MF_ATTR_NOSELECT | MF_ATTR_NONEXISTENT)))
				continue;
			const char **v = realloc(names, (k + 1) * sizeof *v);
			if (!v) {
				free(names);
				return MF_ENOMEM;
			}
			names = v;
			names[k++] = f->decoded;
			looked_for(m, f->decoded);
		}
		if (k) {
			snprintf(m->how, sizeof m->how, "marked %s on the server", ri->attr_name);
			rc = match_names(m, mb, n, names, k);
		}
		free(names);
		if (k)
			return rc ? rc : m->status;
	}
	return match_usual(m, mb, n, ri, src);
}

void mf_match_free(struct mf_match *m)
{
	if (!m)
		return;
	free(m->cand);
	m->cand = NULL;
	m->ncand = 0;
}

/* The name a mailbox is known by, for comparing with a folder setting. */
static bool names_mailbox(const struct mf_mailbox *m, const char *name)
{
	return mf_name_equal(m->undecodename, name) || mf_name_equal(m->decodename, name) ||
	       mf_name_equal(m->shortname, name);
}

enum mf_setting_state mf_setting_check(const struct mf_account *a, enum mf_role r,
				       const struct mf_mailbox *all, size_t n,
				       const struct mf_mailbox **which)
{
	const struct mf_setting *s = &a->set[r];
	*which = NULL;
	if (!s->has_id)
		return MF_SET_UNSET;
	for (size_t i = 0; i < n; i++) {
		if (all[i].id != s->id)
			continue;
		*which = &all[i];
		if (all[i].account != a->id)
			return MF_SET_OTHER_ACCOUNT;
		if (all[i].serverfolder == 0)
			return MF_SET_LOCAL;
		if (!s->folder || !names_mailbox(&all[i], s->folder))
			return MF_SET_NAME_DIFFERS;
		return MF_SET_OK;
	}
	return MF_SET_MISSING;
}
