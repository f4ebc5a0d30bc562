/*
 * rollup.c - `powerreport summary`: which jobs (slurm.jobs of every
 * telemetry database, filtered on the server by parameters), their
 * energies (pg_energy.c: one statement per database for all of them) and
 * the totals per user, account, partition and day.  What a user may see is
 * what the database lets their role read: nothing here filters by who runs
 * the command.
 */
#include "rollup.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "datadir.h"
#include "error.h"
#include "job.h"
#include "job_output.h"
#include "pg_conn.h"
#include "pg_energy.h"
#include "pg_jobs.h"
#include "summary_json.h"

#define MAX_JOBS 200000		/* a range that big is a mistake, not a summary */

/* Jobs that ended in [$1, $2) with a window, of the listed users, accounts
 * and partitions (an empty list: all).  The account and stdout columns are
 * read through to_jsonb, so a jobs table without them still answers. */
static const char jobs_sql[] =
	"SELECT j.job_id::text, coalesce(j.name, ''), coalesce(j.user_name, ''),"
	" coalesce(to_jsonb(j) ->> 'account', ''), coalesce(j.partition, ''),"
	" coalesce(array_to_string(j.nodes, ','), ''), j.start_time::int8, j.end_time::int8,"
	" coalesce(array_to_string(j.job_state, ' '), ''),"
	" coalesce(j.current_working_directory, ''), coalesce(to_jsonb(j) ->> 'std_out', '')"
	" FROM %s j WHERE j.end_time >= $1::int8 AND j.end_time < $2::int8"
	" AND j.start_time > 0 AND j.end_time > j.start_time"
	" AND (cardinality($3::text[]) = 0 OR j.user_name = ANY($3::text[]))"
	" AND (cardinality($4::text[]) = 0 OR to_jsonb(j) ->> 'account' = ANY($4::text[]))"
	" AND (cardinality($5::text[]) = 0 OR j.partition = ANY($5::text[]))"
	" ORDER BY j.end_time, j.job_id LIMIT 200001";

static void
usage(void)
{
	fputs("usage: powerreport summary --since DATE --until DATE [--user U]...\n"
	    "         [--account A]... [--partition P]... [--outdir DIR] [--config FILE] [-q|-v]\n"
	    "Energy of every job that ended in [since, until) from slurm.jobs and the\n"
	    "telemetry databases, per user, account, partition and day, written to\n"
	    "DIR/power_summary_<since>_<until>/ (index.html, jobs.csv, summary.json).\n"
	    "DATE: YYYY-MM-DD (midnight in the display zone), epoch seconds or ISO 8601\n"
	    "with an offset.\n", stdout);
}

struct summary_opts {
	const char *since, *until, *outdir, *config;
};

static int
parse_args(int argc, char **argv, struct rollup *r, struct summary_opts *o, int *help)
{
	enum { O_SINCE = 256, O_UNTIL, O_USER, O_ACCOUNT, O_PARTITION, O_OUTDIR, O_CONFIG };
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, O_SINCE },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "user", required_argument, NULL, O_USER },
		{ "account", required_argument, NULL, O_ACCOUNT },
		{ "partition", required_argument, NULL, O_PARTITION },
		{ "outdir", required_argument, NULL, O_OUTDIR },
		{ "config", required_argument, NULL, O_CONFIG },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (c) {
		case O_SINCE: o->since = optarg; break;
		case O_UNTIL: o->until = optarg; break;
		case O_USER: strlist_add(&r->users, optarg); break;
		case O_ACCOUNT: strlist_add(&r->accounts, optarg); break;
		case O_PARTITION: strlist_add(&r->partitions, optarg); break;
		case O_OUTDIR: o->outdir = optarg; break;
		case O_CONFIG: o->config = optarg; break;
		case 'q': pr_verbosity = 0; break;
		case 'v': pr_verbosity = 2; break;
		case 'h': *help = 1; return PR_OK;
		default:
			return pr_fail(PR_EUSAGE, "summary: unknown option or missing value "
			    "\"%s\": see powerreport summary --help", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return pr_fail(PR_EUSAGE, "summary: unexpected argument \"%s\": see "
		    "powerreport summary --help", argv[optind]);
	if (o->since == NULL || o->until == NULL)
		return pr_fail(PR_EUSAGE, "summary: --since and --until are both needed: "
		    "give the range, e.g. --since 2026-11-01 --until 2026-12-01");
	return PR_OK;
}

/* "2026-11-01" of t in the display zone into buf (>= 11 bytes). */
static void
day_of(usec_t t, char *buf)
{
	char iso[40];

	time_format_iso(t, iso);
	memcpy(buf, iso, 10);
	buf[10] = '\0';
}

/* The range's name: its first and last day, or the instants when they are
 * not midnights. */
static char *
range_name(usec_t since, usec_t until)
{
	char a[11], b[11];

	day_of(since, a);
	day_of(until, b);
	return xasprintf("%s_%s", a, b);
}

static void
rjob_free(struct rjob *j)
{
	free(j->id);
	free(j->name);
	free(j->user);
	free(j->account);
	free(j->partition);
	free(j->nodelist);
	free(j->state);
	free(j->report);
}

/* The readable report.html where the epilog would have written the job's
 * report, or NULL. */
static char *
report_of(const struct rjob *j, const char *workdir, const char *stdout_path)
{
	struct job job = { 0 };
	char *parent, *path;

	job.id = j->id;
	job.slurm_id = j->id;
	job.user = j->user;
	job.name = j->name;
	job.workdir = (char *)workdir;
	job.stdout_path = (char *)stdout_path;
	parent = job_output_parent(&job, NULL);
	path = xasprintf("%s/power_%s/report.html", parent, j->id);
	free(parent);
	if (access(path, R_OK) == 0)
		return path;
	free(path);
	return NULL;
}

/* The idle share the job's own report found (its summary.json beside
 * report.html), NAN without one. */
static double
idle_share_of(const struct rjob *j)
{
	char *path;
	double share;

	if (j->report == NULL)
		return NAN;
	path = xasprintf("%.*s/summary.json", (int)(strrchr(j->report, '/') - j->report),
	    j->report);
	share = summary_read_idle_share(path, j->id);
	free(path);
	return share;
}

static int
known_job(const struct rollup *r, const char *id)
{
	for (size_t i = 0; i < r->njobs; i++)
		if (strcmp(r->jobs[i].id, id) == 0)
			return 1;
	return 0;
}

/* The jobs one database listed, into r (a job listed twice counts once). */
static void
take_jobs(void *ctx, const PGresult *res)
{
	struct rollup *r = ctx;
	struct rjob *j;

	r->statements++;
	for (int row = 0; row < PQntuples(res) && r->njobs <= MAX_JOBS; row++) {
		if (known_job(r, PQgetvalue(res, row, 0)))
			continue;
		r->jobs = xrealloc(r->jobs, (r->njobs + 1) * sizeof *r->jobs);
		j = &r->jobs[r->njobs++];
		memset(j, 0, sizeof *j);
		j->id = xstrdup(PQgetvalue(res, row, 0));
		j->name = xstrdup(PQgetvalue(res, row, 1));
		j->user = xstrdup(PQgetvalue(res, row, 2));
		j->account = xstrdup(PQgetvalue(res, row, 3));
		j->partition = xstrdup(PQgetvalue(res, row, 4));
		j->nodelist = xstrdup(PQgetvalue(res, row, 5));
		j->e.nodelist = j->nodelist;
		j->e.start = strtoll(PQgetvalue(res, row, 6), NULL, 10) * USEC_PER_SEC;
		j->e.end = strtoll(PQgetvalue(res, row, 7), NULL, 10) * USEC_PER_SEC;
		j->state = xstrdup(PQgetvalue(res, row, 8));
		j->report = report_of(j, PQgetvalue(res, row, 9), PQgetvalue(res, row, 10));
		j->idle_share = idle_share_of(j);
	}
}

/* The range's jobs from the jobs table of every database. */
static int
select_all(struct rollup *r, const struct config *cfg)
{
	char since[24], until[24];
	const char *param[5];
	int rc;

	snprintf(since, sizeof since, "%lld", (long long)(r->since / USEC_PER_SEC));
	snprintf(until, sizeof until, "%lld", (long long)((r->until + USEC_PER_SEC - 1) /
	    USEC_PER_SEC));
	param[0] = since;
	param[1] = until;
	param[2] = pg_array_literal((const char *const *)r->users.v, r->users.n);
	param[3] = pg_array_literal((const char *const *)r->accounts.v, r->accounts.n);
	param[4] = pg_array_literal((const char *const *)r->partitions.v, r->partitions.n);
	rc = pg_jobs_each(cfg, NULL, jobs_sql, "selecting jobs", 5, param, take_jobs, r);
	for (int i = 2; i < 5; i++)
		free((char *)param[i]);
	if (rc == PR_OK && r->njobs > MAX_JOBS)
		rc = pr_fail(PR_EUSAGE, "summary: more than %d jobs in the range: give a "
		    "shorter range or filters", MAX_JOBS);
	return rc;
}

/* The energies of every job, in one statement per database. */
static int
job_energies(struct rollup *r, const struct config *cfg)
{
	struct energy_job **e = xcalloc(r->njobs + 1, sizeof *e);
	int rc;

	for (size_t i = 0; i < r->njobs; i++)
		e[i] = &r->jobs[i].e;
	rc = pg_energy_jobs(cfg, e, r->njobs, &r->statements, &r->rows);
	free(e);
	return rc;
}

static void
add_to(struct rtotal *t, const struct rjob *j)
{
	t->njobs++;
	if (isnan(j->e.energy_j)) {
		t->nunknown++;
		return;
	}
	t->energy_j += j->e.energy_j;
	t->gpu_j += j->e.gpu_j;
	t->node_hours += j->e.node_hours;
	t->gpu_hours += j->e.gpu_hours;
	if (!isnan(j->idle_share)) {
		t->nidle++;
		t->idle_j += j->idle_share * j->e.energy_j;
		t->idle_base_j += j->e.energy_j;
	}
}

/* The total of key in r->by[by], made when new. */
static struct rtotal *
total_for(struct rollup *r, enum rollup_by by, const char *key)
{
	for (size_t i = 0; i < r->nby[by]; i++)
		if (strcmp(r->by[by][i].key, key) == 0)
			return &r->by[by][i];
	r->by[by] = xrealloc(r->by[by], (r->nby[by] + 1) * sizeof *r->by[by]);
	memset(&r->by[by][r->nby[by]], 0, sizeof **r->by);
	r->by[by][r->nby[by]].key = xstrdup(key);
	return &r->by[by][r->nby[by]++];
}

static int
cmp_total(const void *a, const void *b)
{
	return strcmp(((const struct rtotal *)a)->key, ((const struct rtotal *)b)->key);
}

static const struct rollup *sorting;	/* for cmp_energy (qsort has no context) */

/* Highest energy first, unknown last, then by id. */
static int
cmp_energy(const void *a, const void *b)
{
	const struct rjob *x = &sorting->jobs[*(const size_t *)a];
	const struct rjob *y = &sorting->jobs[*(const size_t *)b];
	double ex = isnan(x->e.energy_j) ? -1 : x->e.energy_j;
	double ey = isnan(y->e.energy_j) ? -1 : y->e.energy_j;

	if (ex != ey)
		return ex > ey ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Totals per user, account, partition and day of the job's end, and the top jobs. */
static void
aggregate(struct rollup *r)
{
	size_t *order = xcalloc(r->njobs + 1, sizeof *order);
	char day[11];

	for (size_t i = 0; i < r->njobs; i++) {
		const struct rjob *j = &r->jobs[i];

		add_to(&r->all, j);
		add_to(total_for(r, BY_USER, j->user), j);
		add_to(total_for(r, BY_ACCOUNT, j->account), j);
		add_to(total_for(r, BY_PARTITION, j->partition), j);
		day_of(j->e.end, day);
		add_to(total_for(r, BY_DAY, day), j);
		order[i] = i;
	}
	for (int by = 0; by < BY_N; by++)
		if (r->nby[by] > 1)
			qsort(r->by[by], r->nby[by], sizeof *r->by[by], cmp_total);
	sorting = r;
	if (r->njobs > 1)
		qsort(order, r->njobs, sizeof *order, cmp_energy);
	r->ntop = r->njobs < ROLLUP_TOP ? r->njobs : ROLLUP_TOP;
	while (r->ntop > 0 && isnan(r->jobs[order[r->ntop - 1]].e.energy_j))
		r->ntop--;
	r->top = order;
}

int
rollup_build(struct rollup *r, const struct config *cfg)
{
	int rc;

	r->cfg = cfg;
	r->range = range_name(r->since, r->until);
	if ((rc = select_all(r, cfg)) != PR_OK)
		return rc;
	pr_log(2, "summary: %zu jobs in %s", r->njobs, r->range);
	if ((rc = job_energies(r, cfg)) != PR_OK)
		return rc;
	aggregate(r);
	return PR_OK;
}

void
rollup_free(struct rollup *r)
{
	for (size_t i = 0; i < r->njobs; i++)
		rjob_free(&r->jobs[i]);
	free(r->jobs);
	for (int by = 0; by < BY_N; by++) {
		for (size_t i = 0; i < r->nby[by]; i++)
			free(r->by[by][i].key);
		free(r->by[by]);
	}
	free(r->top);
	free(r->range);
	strlist_free(&r->users);
	strlist_free(&r->accounts);
	strlist_free(&r->partitions);
	memset(r, 0, sizeof *r);
}

/* Options, configuration and range, then build and write. */
static int
summarize(struct rollup *r, const struct summary_opts *o, struct config *cfg)
{
	char *datadir, *final = NULL;
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = config_find_and_load(cfg, o->config)) != PR_OK)
		return rc;
	if ((rc = time_set_zone(cfg->timezone)) != PR_OK)
		return rc;
	if ((rc = time_parse_date(o->since, &r->since)) != PR_OK ||
	    (rc = time_parse_date(o->until, &r->until)) != PR_OK)
		return rc;
	if (r->until <= r->since)
		return pr_fail(PR_EUSAGE, "summary: --until (%s) is not after --since (%s): "
		    "give a range forwards in time", o->until, o->since);
	r->since_text = o->since;
	r->until_text = o->until;
	r->generated_at = (usec_t)time(NULL) * USEC_PER_SEC;
	if ((rc = rollup_build(r, cfg)) != PR_OK)
		return rc;
	if ((datadir = find_datadir()) == NULL)
		return pr_fail(PR_ECONFIG, "summary: templates not found: reinstall powerreport");
	rc = rollup_render(r, o->outdir != NULL ? o->outdir : ".", datadir, &final);
	free(datadir);
	if (rc == PR_OK) {
		printf("%s\n", final);
		pr_log(1, "summary: %zu jobs, %zu statements, %zu energy rows, %.2f s",
		    r->njobs, r->statements, r->rows, time_elapsed(&t0));
	}
	free(final);
	return rc;
}

int
rollup_main(int argc, char **argv)
{
	struct summary_opts o = { 0 };
	struct rollup r = { 0 };
	struct config cfg;
	int help = 0, rc;

	config_defaults(&cfg);
	rc = parse_args(argc, argv, &r, &o, &help);
	if (rc == PR_OK && help)
		usage();
	else if (rc == PR_OK)
		rc = summarize(&r, &o, &cfg);
	rollup_free(&r);
	config_free(&cfg);
	return rc;
}
