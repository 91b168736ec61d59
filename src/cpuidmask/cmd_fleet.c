/* cmd_fleet.c - cpuidmask fleet: baselines, groups and limiting hosts of many hosts. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/file.h"
#include "cli.h"
#include "html_report.h"

static const struct cmd_help help = {
	"cpuidmask fleet", "PATH...",
	"Read many hosts (files, and directories recursively; every format; one host per\n"
	"file, or several in our dump format and vSphere listings) and report per vendor\n"
	"the fleet baseline, the highest named baselines, groups of identical hosts, the\n"
	"groups that alone hold the baseline down, and which hosts to retire, fewest\n"
	"first, for what gain.",
	"Unreadable files are listed with FILE:LINE: reasons and never stop the run.\n"
	"Exit status: 0 all read, 1 some file could not be read, 2 none could.\n",
};

struct failure {
	char *where;	/* "FILE:LINE" */
	char *msg;
};

struct run {
	cm_fleet *f;
	size_t files;
	struct failure *bad;
	size_t nbad, cap_bad;
	char *buf;	/* reused for every file */
	size_t cap;
	bool progress;	/* stderr is a terminal */
	double delay;	/* seconds before progress is shown (CPUIDMASK_PROGRESS_DELAY, 1) */
	double start, last;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void note_failure(struct run *r, const char *path, const struct cm_error *e, const char *msg)
{
	if (r->nbad == r->cap_bad) {
		size_t cap = r->cap_bad ? r->cap_bad * 2 : 16;
		struct failure *b = realloc(r->bad, cap * sizeof *b);
		if (!b)
			return;
		r->bad = b;
		r->cap_bad = cap;
	}
	char where[1100];
	if (e && e->line > 0)
		snprintf(where, sizeof where, "%s:%ld", path, e->line);
	else
		snprintf(where, sizeof where, "%s", path);
	r->bad[r->nbad].where = strdup(where);
	r->bad[r->nbad].msg = strdup(e ? e->msg : msg);
	if (r->bad[r->nbad].where && r->bad[r->nbad].msg)
		r->nbad++;
}

/*
 * How long a run goes before it shows progress: CPUIDMASK_PROGRESS_DELAY seconds (0 to
 * 3600; the tests use 0), else 1. A value that is not a number in range is ignored.
 */
static double progress_delay(void)
{
	const char *v = getenv("CPUIDMASK_PROGRESS_DELAY");
	if (!v || !*v)
		return 1.0;
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || *end || !(d >= 0 && d <= 3600))
		return 1.0;
	return d;
}

static void show_progress(struct run *r, bool done)
{
	if (!r->progress)
		return;
	double t = now();
	if (!done && (t - r->start < r->delay || t - r->last < 0.2))
		return;
	if (done && t - r->start < r->delay)
		return;
	r->last = t;
	fprintf(stderr, "\rcpuidmask fleet: %zu files, %zu hosts, %zu unreadable%s", r->files,
		cm_fleet_host_count(r->f), r->nbad, done ? "\n" : "");
}

/*
 * One file, opened relative to its directory (dirfd, or AT_FDCWD) and read into the reused
 * buffer: openat, read until read() says end of file (0), close. Fleets are many small
 * files, so the system calls per file are what the time goes to, but a short read is not
 * the end of a file: NFS, FUSE and signals may return fewer bytes than asked for, and the
 * walk learns no size to compare with (it makes no fstat), so the read that returns 0 is
 * what ends a file: one system call more per file, about 0.1 to 0.3 s per 100,000 files
 * here, for never cutting a host short.
 */
static void read_one(struct run *r, int dirfd, const char *name, const char *path)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		note_failure(r, path, NULL, strerror(errno));
		return;
	}
	size_t len = 0;
	for (;;) {
		if (len + 1 >= r->cap) {
			size_t cap = r->cap ? r->cap * 2 : (size_t)1 << 20;
			char *b = cap <= FILE_MAX_INPUT ? realloc(r->buf, cap) : NULL;
			if (!b) {
				close(fd);
				note_failure(r, path, NULL, cap > FILE_MAX_INPUT ? "too large to read" :
										   "out of memory");
				return;
			}
			r->buf = b;
			r->cap = cap;
		}
		ssize_t k = read(fd, r->buf + len, r->cap - len - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			note_failure(r, path, NULL, strerror(errno));
			close(fd);
			return;
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	close(fd);
	r->buf[len] = '\0';
	r->files++;
	struct cm_error err;
	cm_error_clear(&err);
	if (cm_fleet_add(r->f, r->buf, len, path, &err))
		note_failure(r, path, &err, NULL);
	show_progress(r, false);
}

struct entry {
	char *name;
	unsigned char type;	/* d_type: DT_REG, DT_DIR, or DT_UNKNOWN and the like */
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void walk_dir(struct run *r, int fd, const char *path, int depth);

/* NAME in directory dirfd (PATH for messages): a file, or a directory to walk. */
static void visit(struct run *r, int dirfd, const char *name, const char *path, unsigned char type,
		  int depth)
{
	if (type != DT_REG && type != DT_DIR) {	/* a link, or a file system without d_type */
		struct stat st;
		if (fstatat(dirfd, name, &st, 0) != 0) {
			note_failure(r, path, NULL, strerror(errno));
			return;
		}
		type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;	/* a FIFO, a device: read too */
	}
	if (type == DT_REG) {
		read_one(r, dirfd, name, path);
		return;
	}
	if (depth > 64) {
		note_failure(r, path, NULL, "directories nested too deep (a loop?)");
		return;
	}
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		note_failure(r, path, NULL, strerror(errno));
		return;
	}
	walk_dir(r, fd, path, depth + 1);
}

/* A directory (fd, closed here): its entries in name order, hidden ones skipped. */
static void walk_dir(struct run *r, int fd, const char *path, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		note_failure(r, path, NULL, strerror(errno));
		close(fd);
		return;
	}
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			struct entry *w = realloc(v, cap * sizeof *w);
			if (!w)
				break;
			v = w;
		}
		if (!(v[n].name = strdup(e->d_name)))
			break;
		v[n++].type = e->d_type;
	}
	qsort(v, n, sizeof *v, by_name);
	size_t plen = strlen(path);
	char *full = NULL;
	size_t full_cap = 0;
	for (size_t i = 0; i < n; i++) {
		size_t need = plen + strlen(v[i].name) + 2;
		if (need > full_cap) {
			char *f2 = realloc(full, need * 2);
			if (!f2) {
				note_failure(r, path, NULL, "out of memory");
				break;
			}
			full = f2;
			full_cap = need * 2;
		}
		snprintf(full, full_cap, "%s%s%s", path, path[plen - 1] == '/' ? "" : "/", v[i].name);
		visit(r, dirfd(d), v[i].name, full, v[i].type, depth);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	free(full);
	closedir(d);
}

static const enum cm_vendor vendors[] = { CM_VENDOR_INTEL, CM_VENDOR_AMD, CM_VENDOR_HYGON,
					  CM_VENDOR_CENTAUR, CM_VENDOR_ZHAOXIN, CM_VENDOR_OTHER,
					  CM_VENDOR_UNKNOWN };
static const char *const families[] = { "evc", "qemu", "x86-64" };

/* " +a +b +c ... (N in all)" (with prefix "+"): at most 12 names. */
static void print_list(const struct cm_fset *set, const char *prefix)
{
	size_t k = 0;
	for (long id = cm_fset_next(set, 0); id >= 0; id = cm_fset_next(set, (size_t)id + 1), k++) {
		if (k == 12) {
			printf(" ... (%zu in all)", cm_fset_count(set));
			break;
		}
		printf(" %s%s", prefix, cm_feature_at((size_t)id)->name);
	}
	printf("\n");
}

static void print_names(const struct cm_fset *set)
{
	print_list(set, "+");
}

/*
 * The features held out of the baseline only by unknown data, grouped by the number of
 * hosts that do not give them (count[], from cm_fleet_unknown()), most hosts first: calls
 * each(hosts, features) once per count.
 */
static void by_unknown_count(const size_t count[CM_FSET_BITS],
			     void (*each)(size_t hosts, const struct cm_fset *s, void *ctx),
			     void *ctx)
{
	size_t nf = cm_feature_count();
	size_t below = SIZE_MAX;	/* counts are listed from the largest down */
	for (;;) {
		size_t top = 0;
		for (size_t id = 0; id < nf; id++)
			if (count[id] < below && count[id] > top)
				top = count[id];
		if (!top)
			break;
		struct cm_fset s = { { 0 } };
		for (size_t id = 0; id < nf; id++)
			if (count[id] == top)
				cm_fset_add(&s, id);
		each(top, &s, ctx);
		below = top;
	}
}

struct unknown_lines {
	size_t shown, limit, more;
};

static void print_unknown_line(size_t hosts, const struct cm_fset *s, void *ctx)
{
	struct unknown_lines *u = ctx;
	if (u->shown == u->limit) {
		u->more++;
		return;
	}
	printf("    on %zu %s:", hosts, hosts == 1 ? "host" : "hosts");
	print_list(s, "");
	u->shown++;
}

static const char *hosts_word(size_t n)
{
	return n == 1 ? "host" : "hosts";
}

static void print_limiting(const cm_fleet *f, enum cm_vendor v, size_t limit)
{
	struct cm_fleet_gain *gains;
	size_t ng;
	if (cm_fleet_limiting(f, v, limit, &gains, &ng) != 0)
		return;
	if (ng)
		printf("  limiting: without just one group the baseline would gain\n");
	for (size_t i = 0; i < ng; i++) {
		const struct cm_fleet_group *grp = cm_fleet_group_at(f, gains[i].group);
		printf("    without %zu %s like %s:", grp->hosts, hosts_word(grp->hosts),
		       cm_fleet_host_name(f, grp->first));
		if (cm_fset_empty(&gains[i].gain))
			printf(" nothing %s known to lack\n", grp->hosts == 1 ? "it is" : "they are");
		else
			print_names(&gains[i].gain);
		if (!cm_fset_empty(&gains[i].unknown)) {
			printf("      unknown on %s, so not counted:",
			       grp->hosts == 1 ? "that host" : "those hosts");
			print_list(&gains[i].unknown, "");
		}
	}
	free(gains);
}

static void print_ladder(const cm_fleet *f, enum cm_vendor v, size_t limit)
{
	struct cm_fleet_ladder l;
	if (cm_fleet_ladder(f, v, limit, &l) != 0)
		return;
	if (l.nsteps)
		printf("  retiring the fewest hosts first (cumulative):\n");
	struct cm_fset before = { { 0 } }, before_u = { { 0 } };
	size_t from = 0;
	for (size_t i = 0; i < l.nsteps; i++) {
		const struct cm_fleet_step *st = &l.steps[i];
		const struct cm_fleet_group *grp = cm_fleet_group_at(f, l.groups[from]);
		printf("    without %zu %s, baseline +%zu:", st->hosts, hosts_word(st->hosts),
		       cm_fset_count(&st->gain));
		struct cm_fset added = st->gain;
		cm_fset_andnot(&added, &before);
		if (cm_fset_empty(&added))
			printf(" nothing yet\n");
		else
			print_names(&added);
		added = st->unknown;
		cm_fset_andnot(&added, &before_u);
		if (!cm_fset_empty(&added)) {
			printf("      unknown on the retired hosts, so not counted:");
			print_list(&added, "");
		}
		printf("      %s %s", i ? "and retire" : "retire", cm_fleet_host_name(f, grp->first));
		if (st->groups - from > 1)
			printf(" and %zu more groups like it", st->groups - from - 1);
		printf("\n");
		before = st->gain;
		before_u = st->unknown;
		from = st->groups;
	}
	cm_fleet_ladder_free(&l);
}

static void print_text(const struct run *r, size_t limit)
{
	const cm_fleet *f = r->f;
	size_t nhosts = cm_fleet_host_count(f), groups_all = cm_fleet_group_count(f);
	printf("%zu %s in %zu file%s", nhosts, hosts_word(nhosts), r->files, r->files == 1 ? "" : "s");
	if (r->nbad)
		printf(" (%zu unreadable)", r->nbad);
	printf(", %zu group%s of identical hosts\n", groups_all, groups_all == 1 ? "" : "s");
	for (size_t vi = 0; vi < sizeof vendors / sizeof vendors[0]; vi++) {
		enum cm_vendor v = vendors[vi];
		size_t hosts = 0, groups = 0;
		for (size_t g = 0; g < cm_fleet_group_count(f); g++)
			if (cm_fleet_group_at(f, g)->vendor == v) {
				hosts += cm_fleet_group_at(f, g)->hosts;
				groups++;
			}
		if (!hosts)
			continue;
		struct cm_fset base, unknown;
		size_t unknown_hosts[CM_FSET_BITS];
		cm_fleet_baseline(f, v, &base);
		cm_fleet_unknown(f, v, &unknown, unknown_hosts);
		printf("\n%s: %zu %s, %zu group%s, baseline of %zu features", cm_vendor_name(v), hosts,
		       hosts_word(hosts), groups, groups == 1 ? "" : "s", cm_fset_count(&base));
		if (!cm_fset_empty(&unknown))
			printf(", %zu more unknown", cm_fset_count(&unknown));
		printf("\n  highest common:");
		for (size_t k = 0; k < sizeof families / sizeof families[0]; k++) {
			const struct cm_model *m = cm_model_best(&base, v, families[k]);
			printf(" %s %s", families[k], m ? m->name : "(none)");
		}
		printf("\n");
		if (!cm_fset_empty(&unknown)) {
			printf("  unknown: no host is known to lack these, but some hosts' data does not "
			       "give them, so they are not in the baseline\n");
			struct unknown_lines ul = { 0, limit, 0 };
			by_unknown_count(unknown_hosts, print_unknown_line, &ul);
			if (ul.more)
				printf("    ... %zu more lines (--limit, --json)\n", ul.more);
		}
		printf("  groups, largest first:\n");
		size_t shown = 0;
		for (size_t g = 0; g < cm_fleet_group_count(f) && shown < limit; g++) {
			const struct cm_fleet_group *grp = cm_fleet_group_at(f, g);
			if (grp->vendor != v)
				continue;
			char label[128];
			group_label(grp, label, sizeof label);
			struct cm_fset extra = grp->features;
			cm_fset_andnot(&extra, &base);
			printf("  %6zu  %s, %zu beyond the baseline", grp->hosts, label,
			       cm_fset_count(&extra));
			if (!cm_fset_empty(&grp->unknown))
				printf(", %zu unknown", cm_fset_count(&grp->unknown));
			printf(", e.g. %s\n", cm_fleet_host_name(f, grp->first));
			shown++;
		}
		if (groups > shown)
			printf("  ... %zu more groups (--limit, --json, --html)\n", groups - shown);
		print_limiting(f, v, limit);
		print_ladder(f, v, limit);
	}
	if (r->nbad)
		printf("\n%zu file%s could not be read (listed on standard error)\n", r->nbad,
		       r->nbad == 1 ? "" : "s");
}

static void json_ladder(struct json *j, const cm_fleet *f, enum cm_vendor v, size_t limit)
{
	json_array(j, "retire");
	struct cm_fleet_ladder l;
	if (cm_fleet_ladder(f, v, limit, &l) == 0) {
		size_t from = 0;
		for (size_t i = 0; i < l.nsteps; i++) {
			json_object(j, NULL);
			json_uint(j, "hosts", l.steps[i].hosts);
			json_array(j, "groups");
			for (size_t g = from; g < l.steps[i].groups; g++)
				json_uint(j, NULL, l.groups[g]);
			json_end(j);
			json_fset(j, "gain", &l.steps[i].gain);
			json_fset(j, "unknown", &l.steps[i].unknown);
			json_end(j);
			from = l.steps[i].groups;
		}
		cm_fleet_ladder_free(&l);
	}
	json_end(j);
}

static void json_unknown_entry(size_t hosts, const struct cm_fset *s, void *ctx)
{
	struct json *j = ctx;
	json_object(j, NULL);
	json_uint(j, "hosts", hosts);
	json_fset(j, "features", s);
	json_end(j);
}

static void print_json(const struct run *r, size_t limit)
{
	const cm_fleet *f = r->f;
	struct json j;
	json_init(&j, stdout);
	json_object(&j, NULL);
	json_uint(&j, "hosts", cm_fleet_host_count(f));
	json_uint(&j, "files", r->files);
	json_array(&j, "unreadable");
	for (size_t i = 0; i < r->nbad; i++) {
		json_object_inline(&j, NULL);
		json_string(&j, "where", r->bad[i].where);
		json_string(&j, "message", r->bad[i].msg);
		json_end(&j);
	}
	json_end(&j);
	json_array(&j, "vendors");
	for (size_t vi = 0; vi < sizeof vendors / sizeof vendors[0]; vi++) {
		enum cm_vendor v = vendors[vi];
		size_t hosts = 0;
		for (size_t g = 0; g < cm_fleet_group_count(f); g++)
			if (cm_fleet_group_at(f, g)->vendor == v)
				hosts += cm_fleet_group_at(f, g)->hosts;
		if (!hosts)
			continue;
		struct cm_fset base, unknown;
		size_t unknown_hosts[CM_FSET_BITS];
		cm_fleet_baseline(f, v, &base);
		cm_fleet_unknown(f, v, &unknown, unknown_hosts);
		json_object(&j, NULL);
		json_string(&j, "vendor", cm_vendor_name(v));
		json_uint(&j, "hosts", hosts);
		json_object_inline(&j, "highest_common");
		for (size_t k = 0; k < sizeof families / sizeof families[0]; k++) {
			const struct cm_model *m = cm_model_best(&base, v, families[k]);
			json_string(&j, families[k], m ? m->name : NULL);
		}
		json_end(&j);
		json_fset(&j, "baseline", &base);
		json_array(&j, "unknown");
		by_unknown_count(unknown_hosts, json_unknown_entry, &j);
		json_end(&j);
		json_array(&j, "groups");
		for (size_t g = 0; g < cm_fleet_group_count(f); g++) {
			const struct cm_fleet_group *grp = cm_fleet_group_at(f, g);
			if (grp->vendor != v)
				continue;
			struct cm_fset extra = grp->features;
			cm_fset_andnot(&extra, &base);
			char label[128];
			group_label(grp, label, sizeof label);
			json_object(&j, NULL);
			json_uint(&j, "group", g);
			json_uint(&j, "hosts", grp->hosts);
			json_uint(&j, "signature", grp->signature);
			json_string(&j, "label", label);
			json_string(&j, "example", cm_fleet_host_name(f, grp->first));
			json_array(&j, "beyond_baseline");
			for (long id = cm_fset_next(&extra, 0); id >= 0; id = cm_fset_next(&extra, (size_t)id + 1))
				json_string(&j, NULL, cm_feature_at((size_t)id)->name);
			json_end(&j);
			json_array(&j, "unknown");
			for (long id = cm_fset_next(&grp->unknown, 0); id >= 0;
			     id = cm_fset_next(&grp->unknown, (size_t)id + 1))
				json_string(&j, NULL, cm_feature_at((size_t)id)->name);
			json_end(&j);
			json_end(&j);
		}
		json_end(&j);
		json_array(&j, "limiting");
		struct cm_fleet_gain *gains;
		size_t ng;
		if (cm_fleet_limiting(f, v, limit, &gains, &ng) == 0) {
			for (size_t i = 0; i < ng; i++) {
				json_object(&j, NULL);
				json_uint(&j, "group", gains[i].group);
				json_uint(&j, "hosts", cm_fleet_group_at(f, gains[i].group)->hosts);
				json_fset(&j, "gain", &gains[i].gain);
				json_fset(&j, "unknown", &gains[i].unknown);
				json_end(&j);
			}
			free(gains);
		}
		json_end(&j);
		json_ladder(&j, f, v, limit);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	json_finish(&j);
}

int cmd_fleet(int argc, char **argv)
{
	bool as_json = false;
	const char *html = NULL;
	long limit = 10;
	const struct opt opts[] = {
		{ OPT_FLAG, "json", 0, &as_json, NULL, "print JSON (docs/json.md)" },
		{ OPT_STRING, "html", 0, &html, "FILE", "also write a self-contained HTML report" },
		{ OPT_LONG, "limit", 0, &limit, "N", "groups, limiting groups, retire steps listed (default 10)" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest == 0)
		return error("fleet takes one or more files or directories; see 'cpuidmask fleet --help'");
	struct run r;
	memset(&r, 0, sizeof r);
	if (cm_fleet_new(&r.f))
		return error("out of memory");
	r.progress = isatty(2);
	r.delay = progress_delay();
	r.start = r.last = now();
	for (int i = 0; i < nrest; i++)
		visit(&r, AT_FDCWD, rest[i], rest[i], DT_UNKNOWN, 0);
	show_progress(&r, true);
	cm_fleet_sort(r.f);
	for (size_t i = 0; i < r.nbad; i++)
		fprintf(stderr, "%s: %s\n", r.bad[i].where, r.bad[i].msg);
	size_t hosts = cm_fleet_host_count(r.f);
	if (hosts == 0) {
		rc = error("no host could be read");
	} else {
		if (as_json)
			print_json(&r, (size_t)limit);
		else
			print_text(&r, (size_t)limit);
		rc = r.nbad ? EXIT_DIFFER : EXIT_OK;
		if (html && html_report(html, r.f))
			rc = EXIT_ERROR;
	}
	for (size_t i = 0; i < r.nbad; i++) {
		free(r.bad[i].where);
		free(r.bad[i].msg);
	}
	free(r.bad);
	free(r.buf);
	cm_fleet_free(r.f);
	return rc;
}
