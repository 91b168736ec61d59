/* verdict.c - the correct and the naive verdict for an address, as text and as JSON. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const why_names[] = {
	[HACL_WHY_LOOPBACK] = "loopback",
	[HACL_WHY_ALLOWED] = "allowed",
	[HACL_WHY_NO_ALLOW_LIST] = "no-allow-list",
	[HACL_WHY_DENIED] = "denied",
	[HACL_WHY_NOT_ALLOWED] = "not-allowed",
};

void decide(struct verdicts *v, const struct acl *acl, const struct hacl_addr *a)
{
	hacl_match(&v->correct, acl->allow, acl->deny, a, acl->flags);
	hacl_match(&v->naive, acl->allow, acl->deny, a, acl->flags | HACL_NAIVE);
	v->differ = v->correct.allowed != v->naive.allowed;
}

/* "allow entry 2 '10.0.0.0/8'" */
static void put_entry(FILE *f, const char *list_name, const hacl_list *l, long i)
{
	const struct hacl_entry *e = hacl_list_at(l, (size_t)i);
	char q[QUOTE_MAX + 4];
	fprintf(f, "%s entry %ld '%s'", list_name, i + 1, quote(q, e->text, e->len));
}

/* When entry and address were written in different families, say they are one host. */
static void put_same_host(FILE *f, const hacl_list *l, long i, const struct hacl_addr *a)
{
	const struct hacl_entry *e = hacl_list_at(l, (size_t)i);
	struct hacl_addr other;
	char s1[HACL_ADDR_STRLEN], s2[HACL_ADDR_STRLEN];
	if (e->kind == HACL_ANY || e->family == a->family || !hacl_addr_flip(&other, a))
		return;
	fprintf(f, " (%s is %s)", hacl_addr_format(s1, a), hacl_addr_format(s2, &other));
}

/* "allowed by allow entry 2 '10.0.0.0/8'", and why when the families differ */
static void put_decider(FILE *f, const char *verb, const char *list_name, const hacl_list *l,
			long i, const struct hacl_addr *a)
{
	fprintf(f, "%s by ", verb);
	put_entry(f, list_name, l, i);
	put_same_host(f, l, i, a);
}

static void put_reason(FILE *f, const struct acl *acl, const struct hacl_verdict *v,
		       const struct hacl_addr *a)
{
	switch (v->why) {
	case HACL_WHY_LOOPBACK:
		fputs("allowed: loopback, which apt-cacher always allows", f);
		break;
	case HACL_WHY_ALLOWED:
		put_decider(f, "allowed", "allow", acl->allow, v->allow_index, a);
		break;
	case HACL_WHY_NO_ALLOW_LIST:
		fputs("allowed: no allow list, and no deny entry matches", f);
		break;
	case HACL_WHY_DENIED:
		put_decider(f, "denied", "deny", acl->deny, v->deny_index, a);
		if (v->allow_index >= 0) {
			fputs(", although ", f);
			put_entry(f, "allow", acl->allow, v->allow_index);
			fputs(" matches", f);
		}
		break;
	case HACL_WHY_NOT_ALLOWED:
		if (hacl_list_count(acl->allow) == 0)
			fputs("denied: the allow list is empty", f);
		else
			fputs("denied: no allow entry matches", f);
		if (v->deny_index >= 0) {
			fputs(" (", f);
			put_entry(f, "deny", acl->deny, v->deny_index);
			fputs(" matches too)", f);
		}
		break;
	}
}

void print_verdicts(FILE *f, const char *shown, const struct acl *acl, const struct verdicts *v,
		    const struct hacl_addr *a)
{
	fprintf(f, "%s: ", shown);
	put_reason(f, acl, &v->correct, a);
	fputs("\n  apt-cacher 1.7.3: ", f);
	put_reason(f, acl, &v->naive, a);
	fputs(v->differ ? " -- differs\n" : "\n", f);
}

static void json_entry(struct json *j, const char *key, const hacl_list *l, long i)
{
	if (i < 0) {
		json_null(j, key);
		return;
	}
	const struct hacl_entry *e = hacl_list_at(l, (size_t)i);
	json_object_inline(j, key);
	json_int(j, "index", i + 1);
	json_string_n(j, "entry", e->text, e->len);
	json_uint(j, "line", e->line);
	json_uint(j, "column", e->column);
	json_end(j);
}

static void json_verdict(struct json *j, const char *key, const struct acl *acl,
			 const struct hacl_verdict *v)
{
	json_object(j, key);
	json_bool(j, "allowed", v->allowed);
	json_string(j, "why", why_names[v->why]);
	json_entry(j, "allow_entry", acl->allow, v->allow_index);
	json_entry(j, "deny_entry", acl->deny, v->deny_index);
	json_end(j);
}

void json_verdicts(struct json *j, const char *shown, const struct acl *acl,
		   const struct verdicts *v)
{
	json_object(j, NULL);
	json_string(j, "address", shown);
	json_bool(j, "allowed", v->correct.allowed);
	json_verdict(j, "correct", acl, &v->correct);
	json_verdict(j, "apt_cacher_1_7_3", acl, &v->naive);
	json_bool(j, "differs", v->differ);
	json_end(j);
}
