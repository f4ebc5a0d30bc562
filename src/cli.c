/*
 * cli.c - command-line parsing and the --help text.  Only syntax is checked
 * here; values (times, nodelists) are checked where they are used.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

enum {
	OPT_START = 256, OPT_END, OPT_NODELIST, OPT_JOB_ID, OPT_JOB_NAME, OPT_USER,
	OPT_FROM_ENV, OPT_FROM_CSV, OPT_OUTDIR, OPT_CONFIG, OPT_DRY_RUN,
	OPT_FORMATS, OPT_TIMEZONE, OPT_WAIT_FOR_DATA, OPT_WORK, OPT_WORK_UNIT, OPT_VERSION,
	OPT_JOBS_FROM, OPT_JOBS_SINCE, OPT_JOBS_UNTIL, OPT_PARTITION
};

#define MAX_WAIT_S 86400	/* --wait-for-data: at most a day */
#define MAX_PARALLEL 256	/* -j */
#define MAX_WORK_UNIT 32	/* bytes of --work-unit */

static const struct option longopts[] = {
	{ "start", required_argument, NULL, OPT_START },
	{ "end", required_argument, NULL, OPT_END },
	{ "nodelist", required_argument, NULL, OPT_NODELIST },
	{ "job-id", required_argument, NULL, OPT_JOB_ID },
	{ "job-name", required_argument, NULL, OPT_JOB_NAME },
	{ "user", required_argument, NULL, OPT_USER },
	{ "from-env", no_argument, NULL, OPT_FROM_ENV },
	{ "from-csv", required_argument, NULL, OPT_FROM_CSV },
	{ "outdir", required_argument, NULL, OPT_OUTDIR },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "formats", required_argument, NULL, OPT_FORMATS },
	{ "timezone", required_argument, NULL, OPT_TIMEZONE },
	{ "wait-for-data", required_argument, NULL, OPT_WAIT_FOR_DATA },
	{ "jobs-from", required_argument, NULL, OPT_JOBS_FROM },
	{ "jobs-since", required_argument, NULL, OPT_JOBS_SINCE },
	{ "jobs-until", required_argument, NULL, OPT_JOBS_UNTIL },
	{ "partition", required_argument, NULL, OPT_PARTITION },
	{ "parallel", required_argument, NULL, 'j' },
	{ "work", required_argument, NULL, OPT_WORK },
	{ "work-unit", required_argument, NULL, OPT_WORK_UNIT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

void
cli_usage(void)
{
	fputs(
"Usage: powerreport --start T --end T --nodelist LIST [--job-id ID] [OPTION]...\n"
"       powerreport --from-env [OPTION]...        (Slurm EpilogSlurmctld)\n"
"       powerreport --from-csv FILE [OPTION]...   (re-render, no database)\n"
"       powerreport JOBID [OPTION]...             (look the job up)\n"
"       powerreport --jobs-from FILE [-j N] [OPTION]...   (many jobs)\n"
"       powerreport --jobs-since DATE [--jobs-until DATE] [--user U]\n"
"                   [--partition P] [-j N] [OPTION]...   (jobs from slurm.jobs)\n"
"\n"
"Writes the energy report of a job into power_<job_id>/: raw_power.csv,\n"
"energy.csv, summary.json, timeseries.png, energy_pie.png/.pdf, report.html,\n"
"report.pdf.\n"
"\n"
"Job:\n"
"  --start T, --end T   job window: epoch seconds or ISO 8601 with an offset\n"
"                       (2026-11-20T14:00:00-06:00, ...Z)\n"
"  --nodelist LIST      Slurm hostlist, e.g. rpc-91-[1-3,10],rpg-93-1\n"
"  --job-id ID          job id (names the directory; default \"unknown\")\n"
"  --job-name NAME, --user U   shown in the report\n"
"  --from-env           read SLURM_JOB_* as given to EpilogSlurmctld; without\n"
"                       SLURM_JOB_START_TIME/END_TIME the job is looked up\n"
"  --from-csv FILE      re-render from a raw_power.csv; job details from the\n"
"                       summary.json beside it, the options above, or the data\n"
"  JOBID                look the job up in the telemetry database's slurm.jobs,\n"
"                       then with sacct\n"
"Many jobs (one line per job on stdout; exit 0 only when all succeeded):\n"
"  --jobs-from FILE     job ids one a line (- for standard input)\n"
"  --jobs-since DATE, --jobs-until DATE   the jobs of slurm.jobs that ended\n"
"                       in [since, until); with --user U and --partition P\n"
"                       only those of that user or partition\n"
"  -j, --parallel N     reports made at once, 1-256 (default 2)\n"
"Output:\n"
"  --outdir DIR         parent of power_<job_id>/ (default: directory of the\n"
"                       job's stdout file, its work dir, $MONSTER_POWER_OUTDIR,\n"
"                       then the current directory)\n"
"  --formats LIST       any of csv,json,png,html,pdf,prom (default: all)\n"
"  --timezone ZONE      display time zone, e.g. America/Chicago\n"
"Other:\n"
"  --config FILE        configuration (default $POWERREPORT_CONFIG, then\n"
"                       " SYSCONFDIR "/powerreport/config.json, then built-in)\n"
"  --dry-run            print which database and metrics serve each node; query\n"
"                       and write nothing\n"
"  --wait-for-data SECONDS  wait up to SECONDS (0-86400, default 0) until every\n"
"                       node's telemetry reaches the job end (late samples);\n"
"                       nodes still behind then are warned about in the report.\n"
"                       Ignored with --from-csv\n"
"  --work N             the job's own figure of merit (timesteps, images, ...):\n"
"                       the report gives the energy per unit of it; also taken\n"
"                       from the job comment, \"power_profiling,work=1.2e6:steps\"\n"
"  --work-unit NAME     what --work counts (at most 32 characters)\n"
"  -q, --quiet          only errors;  -v, --verbose  more detail and timings\n"
"  -h, --help           this text;    --version      version\n"
"\n"
"Exit status: 0 report written; 1 internal error; 2 bad command line; 3 bad\n"
"configuration; 4 bad input data; 5 no telemetry for the job; 6 telemetry\n"
"source unreachable; 7 output not writable; 8 job not found; 9 interrupted.\n",
	    stdout);
}

int
cli_formats(const char *list, int *mask)
{
	char why[128];

	if (formats_parse(list, mask, why, sizeof why) != 0)
		return pr_fail(PR_EUSAGE, "--formats: %s", why);
	return PR_OK;
}

static int
set_mode(struct options *o, enum job_mode m, const char *what)
{
	if (o->mode != MODE_WINDOW && o->mode != m)
		return pr_fail(PR_EUSAGE, "%s cannot be combined with another job "
		    "source (--from-env, --from-csv, JOBID, --jobs-from, "
		    "--jobs-since): choose one", what);
	o->mode = m;
	return PR_OK;
}

/* A whole number in min..max for option what (unit: " of seconds", ""). */
static int
whole_number(const char *what, const char *unit, const char *text, int min,
    int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);	/* a leading digit: no sign, no blank */
	if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 ||
	    v < min || v > max)
		return pr_fail(PR_EUSAGE, "%s \"%s\": give a whole number%s from "
		    "%d to %d", what, text, unit, min, max);
	*out = (int)v;
	return PR_OK;
}

/* --work: a positive, finite number. */
static int
work_amount(const char *text, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(text, &end);
	if (end == text || *end != '\0' || errno != 0 || !(*out > 0))
		return pr_fail(PR_EUSAGE, "--work \"%s\": give a positive number, "
		    "e.g. 1.2e6", text);
	return PR_OK;
}

static int
work_unit(const char *text, const char **out)
{
	size_t len = strlen(text);

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] < ' ' || text[i] == 0x7f)
			len = MAX_WORK_UNIT + 1;
	if (len == 0 || len > MAX_WORK_UNIT)
		return pr_fail(PR_EUSAGE, "--work-unit: give a name of 1 to %d "
		    "printable characters", MAX_WORK_UNIT);
	*out = text;
	return PR_OK;
}

static int
take_option(struct options *o, int c)
{
	switch (c) {
	case OPT_START: o->start = optarg; break;
	case OPT_END: o->end = optarg; break;
	case OPT_NODELIST: o->nodelist = optarg; break;
	case OPT_JOB_ID: o->job_id = optarg; break;
	case OPT_JOB_NAME: o->job_name = optarg; break;
	case OPT_USER: o->user = optarg; break;
	case OPT_FROM_ENV: return set_mode(o, MODE_ENV, "--from-env");
	case OPT_FROM_CSV: o->csv_path = optarg; return set_mode(o, MODE_CSV, "--from-csv");
	case OPT_OUTDIR: o->outdir = optarg; break;
	case OPT_CONFIG: o->config = optarg; break;
	case OPT_DRY_RUN: o->dry_run = true; break;
	case OPT_FORMATS: o->formats = optarg; break;
	case OPT_TIMEZONE: o->timezone = optarg; break;
	case OPT_WAIT_FOR_DATA:
		return whole_number("--wait-for-data", " of seconds", optarg, 0,
		    MAX_WAIT_S, &o->wait_for_data_s);
	case OPT_JOBS_FROM: o->jobs_from = optarg; return set_mode(o, MODE_BATCH, "--jobs-from");
	case OPT_JOBS_SINCE: o->jobs_since = optarg; return set_mode(o, MODE_BATCH, "--jobs-since");
	case OPT_JOBS_UNTIL: o->jobs_until = optarg; break;
	case OPT_PARTITION: o->partition = optarg; break;
	case 'j': return whole_number("-j", " of workers", optarg, 1, MAX_PARALLEL, &o->parallel);
	case OPT_WORK: return work_amount(optarg, &o->work);
	case OPT_WORK_UNIT: return work_unit(optarg, &o->work_unit);
	case 'q': pr_verbosity = 0; break;
	case 'v': pr_verbosity = 2; break;
	case 'h': o->help = true; break;
	case OPT_VERSION: o->version = true; break;
	default:
		return pr_fail(PR_EUSAGE, "unknown or incomplete option: see "
		    "powerreport --help");
	}
	return PR_OK;
}

/* --jobs-from and --jobs-since exclude each other and --dry-run; their
 * filters need --jobs-since. */
static int
check_batch(const struct options *o)
{
	if (o->jobs_from != NULL && o->jobs_since != NULL)
		return pr_fail(PR_EUSAGE, "--jobs-from and --jobs-since cannot be "
		    "combined: choose one");
	if (o->mode == MODE_BATCH && o->dry_run)
		return pr_fail(PR_EUSAGE, "--dry-run shows one job's plan: give a "
		    "JOBID instead of --jobs-from or --jobs-since");
	if (o->jobs_since == NULL && (o->jobs_until != NULL || o->partition != NULL))
		return pr_fail(PR_EUSAGE, "--jobs-until and --partition select jobs "
		    "for --jobs-since: give --jobs-since DATE");
	return PR_OK;
}

int
cli_parse(int argc, char **argv, struct options *o)
{
	int c, rc;

	memset(o, 0, sizeof *o);
	opterr = 0;
	o->parallel = 2;
	while ((c = getopt_long(argc, argv, "qvhj:", longopts, NULL)) != -1)
		if ((rc = take_option(o, c)) != PR_OK)
			return rc;
	if (o->help || o->version)
		return PR_OK;
	if (optind < argc) {
		if (argc - optind > 1)
			return pr_fail(PR_EUSAGE, "unexpected argument \"%s\": see "
			    "powerreport --help", argv[optind + 1]);
		if ((rc = set_mode(o, MODE_JOBID, "JOBID")) != PR_OK)
			return rc;
		o->job_id = argv[optind];
	}
	if ((rc = check_batch(o)) != PR_OK)
		return rc;
	if (o->mode == MODE_WINDOW && (o->start == NULL || o->end == NULL ||
	    o->nodelist == NULL))
		return pr_fail(PR_EUSAGE, "say which job: --start, --end and "
		    "--nodelist, or --from-env, --from-csv FILE or a JOBID (see --help)");
	return PR_OK;
}
