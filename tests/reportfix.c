/*
 * reportfix.c - shared helpers of the report.html and report.pdf tests
 * (reportfix.h).
 */
#include "reportfix.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define T0 1763654400		/* 2025-11-20T16:00:00Z */
#define STEP 30

static void
row(FILE *fp, time_t t, const char *host, const char *fqdd, double v,
    const char *units, const char *metric)
{
	char ts[32];
	struct tm tm;

	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	fprintf(fp, "%s,%s,PowerMetrics,%s,%.1f,%s,%s\n", ts, host, fqdd, v,
	    units, metric);
}

/* One node's series at time t; load in 0..1 varies with time and node;
 * the node-level watts times k. */
static void
node_rows(FILE *fp, time_t t, const char *host, int index, int gpus, double k)
{
	double x = (double)(t - T0) / 3600;
	double load = 0.5 + 0.4 * sin(6.283 * (x * 2 + index / 16.0));
	double cpu = 100 + 500 * load, mem = 25 + 60 * load, fan = 40 + 90 * load;
	double gpu = gpus > 0 ? 90 + 550 * load : 0;
	double in = (cpu + mem + 10 + fan + 4 * gpu + 80) * 1.06;

	row(fp, t, host, "System.Embedded.1", k * in, "W", "SystemInputPower");
	row(fp, t, host, "System.Embedded.1", k * in / 1.06, "W", "SystemOutputPower");
	row(fp, t, host, "System.Embedded.1", k * cpu, "W", "TotalCPUPower");
	row(fp, t, host, "System.Embedded.1", k * mem, "W", "TotalMemoryPower");
	row(fp, t, host, "System.Embedded.1", k * 10, "W", "TotalStoragePower");
	row(fp, t, host, "System.Embedded.1", k * fan, "W", "TotalFanPower");
	for (int g = 0; g < gpus; g++) {
		char fqdd[32];

		snprintf(fqdd, sizeof fqdd, "Video.Slot.%d-1", 38 + g);
		row(fp, t, host, fqdd, gpu * 1000, "mW", "PowerConsumption");
	}
}

static void
write_csv(const char *path, int ncpu, int ngpu, double k)
{
	FILE *fp = fopen(path, "w");
	char host[32];

	ck_assert_ptr_nonnull(fp);
	fputs("timestamp,hostname,source,fqdd,value,units,metric\n", fp);
	for (time_t t = T0 - STEP; t <= T0 + 3600 + STEP; t += STEP)
		for (int i = 0; i < ncpu + ngpu; i++) {
			if (i < ncpu)
				snprintf(host, sizeof host, "rpc-1-%d", i + 1);
			else
				snprintf(host, sizeof host, "rpg-2-%d", i - ncpu + 1);
			node_rows(fp, t, host, i, i < ncpu ? 0 : 4, k);
		}
	ck_assert_int_eq(fclose(fp), 0);
}

char *
rf_report(const char *parent, const char *csv, const char *start,
    const char *end, const char *id, const char *name, const char *const *extra)
{
	const char *argv[32] = { "--from-csv", csv, "--start", start, "--end",
	    end, "--job-id", id, "--user", "alice", "--outdir", parent, "-q" };
	size_t n = 13;
	struct run_result r;
	char *dir;

	if (name != NULL) {
		argv[n++] = "--job-name";
		argv[n++] = name;
	}
	for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 31; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	r = tu_run(argv, NULL, NULL);
	ck_assert_msg(r.status == 0, "powerreport exit %d: %s", r.status, r.err);
	ck_assert(strlen(r.out) > 1);
	dir = strndup(r.out, strlen(r.out) - 1);	/* path + newline */
	tu_run_free(&r);
	return dir;
}

char *
rf_big_job(const char *parent, int ncpu, int ngpu, const char *id,
    const char *name)
{
	return rf_big_job_scaled(parent, ncpu, ngpu, id, name, 1);
}

char *
rf_big_job_scaled(const char *parent, int ncpu, int ngpu, const char *id,
    const char *name, double k)
{
	char *csv, *cfg, *dir;
	const char *extra[] = { "--config", NULL, NULL };

	ck_assert(asprintf(&csv, "%s/big.csv", parent) > 0);
	ck_assert(asprintf(&cfg, "%s/big.json", parent) > 0);
	write_csv(csv, ncpu, ngpu, k);
	tu_write(cfg, "{ \"telemetry\": { \"sampling_interval_s\": 30 } }");
	extra[1] = cfg;
	dir = rf_report(parent, csv, "2025-11-20T16:00:00Z",
	    "2025-11-20T17:00:00Z", id, name, extra);
	free(cfg);
	free(csv);
	return dir;
}

char *
rf_sample(const char *parent, const char *name, const char *const *extra)
{
	char *csv = tu_top("samples/raw_power.csv");
	const char *more[16] = { "--timezone", "America/Chicago" };
	size_t n = 2;
	char *dir;

	for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 15; i++)
		more[n++] = extra[i];
	more[n] = NULL;
	dir = rf_report(parent, csv, "2026-11-20T14:00:00-06:00",
	    "2026-11-20T17:05:00-06:00", "4242", name, more);
	free(csv);
	return dir;
}

char *
rf_generated(const char *parent, int gpu, int seconds, const char *id,
    const char *const *extra)
{
	char *gen = tu_top("build/gen-telemetry"), *csv, *end, *dir;
	char ngpu[16], dur[16];
	const char *argv[] = { gen, "--start", "2026-11-20T09:00:00-06:00",
	    "--duration", dur, "--cpu", "0", "--gpu", ngpu, "-o", NULL, NULL };
	int status;

	ck_assert(asprintf(&csv, "%s/gen-%s.csv", parent, id) > 0);
	snprintf(ngpu, sizeof ngpu, "%d", gpu);
	snprintf(dur, sizeof dur, "%d", seconds);
	argv[10] = csv;
	free(rf_capture(argv, &status));
	ck_assert_msg(status == 0, "%s failed (make build/gen-telemetry)", gen);
	ck_assert(asprintf(&end, "2026-11-20T%02d:%02d:%02d-06:00", 9 + seconds / 3600,
	    seconds / 60 % 60, seconds % 60) > 0);
	dir = rf_report(parent, csv, "2026-11-20T09:00:00-06:00", end, id, NULL,
	    extra);
	free(end);
	free(csv);
	free(gen);
	return dir;
}

char *
rf_file(const char *reportdir, const char *file)
{
	char *p, *text;

	ck_assert(asprintf(&p, "%s/%s", reportdir, file) > 0);
	text = tu_read(p, NULL);
	ck_assert_msg(text != NULL, "no %s", p);
	free(p);
	return text;
}

cJSON *
rf_json(const char *path)
{
	char *text = tu_read(path, NULL);
	cJSON *root;

	ck_assert_msg(text != NULL, "no %s", path);
	root = cJSON_Parse(text);
	ck_assert_msg(root != NULL, "%s is not JSON", path);
	free(text);
	return root;
}

cJSON *
rf_summary(const char *reportdir)
{
	char *p;
	cJSON *root;

	ck_assert(asprintf(&p, "%s/summary.json", reportdir) > 0);
	root = rf_json(p);
	free(p);
	return root;
}

double
rf_num(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	ck_assert_msg(cJSON_IsNumber(v), "%s is not a number", key);
	return v->valuedouble;
}

double
rf_total_kwh(cJSON *summary)
{
	return rf_num(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    summary, "totals"), "energy_kwh"), "total");
}

char *
rf_capture(const char *const *argv, int *status)
{
	struct run_result r = tu_run_cmd(argv, NULL, NULL);

	*status = r.status;
	free(r.err);
	return r.out;
}

char *
rf_stderr(const char *cmd, int *status)
{
	char *full;
	const char *argv[] = { "sh", "-c", NULL, NULL };
	char *out;

	ck_assert(asprintf(&full, "(%s) 2>&1 >/dev/null", cmd) > 0);
	argv[2] = full;
	out = rf_capture(argv, status);
	free(full);
	return out;
}

int
rf_have(const char *prog)
{
	const char *argv[] = { "sh", "-c", "command -v \"$0\"", prog, NULL };
	int status;
	char *out = rf_capture(argv, &status);

	free(out);
	return status == 0;
}

int
rf_count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}
