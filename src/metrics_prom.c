/*
 * metrics_prom.c - metrics.prom: the figures of one job in the OpenMetrics
 * text format, which Prometheus' classic text parser (Pushgateway,
 * node_exporter) also reads, # UNIT and # EOF being comments to it.
 * Every family has one label set for all its samples; a label that is not
 * known is empty, which Prometheus treats as absent.  Label values are
 * escaped (\\, \", \n) and kept valid UTF-8 (a stray byte becomes U+FFFD),
 * so no job, user or device name can break a line.
 */
#include "metrics_prom.h"

#include <math.h>
#include <stdlib.h>

#include "attribution.h"
#include "cpu_efficiency.h"
#include "error.h"
#include "render.h"

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0. */
static size_t
utf8_seq(const unsigned char *s)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void
label_value(struct strbuf *b, const char *v)
{
	const unsigned char *s = (const unsigned char *)(v != NULL ? v : "");
	size_t n;

	strbuf_add(b, "\"", 1);
	while (*s != '\0') {
		n = utf8_seq(s);
		if (n == 0)
			strbuf_puts(b, "\xef\xbf\xbd"), n = 1;
		else if (*s == '\\' || *s == '"')
			strbuf_add(b, "\\", 1), strbuf_add(b, (const char *)s, 1);
		else if (*s == '\n')
			strbuf_puts(b, "\\n");
		else
			strbuf_add(b, (const char *)s, n);
		s += n;
	}
	strbuf_add(b, "\"", 1);
}

static void
label(struct strbuf *b, const char *name, const char *value)
{
	strbuf_printf(b, ",%s=", name);
	label_value(b, value);
}

/* The labels every sample carries, without the braces. */
static void
job_labels(struct strbuf *b, const struct job *job)
{
	strbuf_puts(b, "job_id=");
	label_value(b, job->id);
	label(b, "user", job->user);
	label(b, "account", job->account);
	label(b, "partition", job->partition);
	label(b, "cluster", job->cluster);
}

struct family {
	const char *name;	/* after the prefix */
	const char *unit;
	const char *help;
};

static const struct family
    f_job_energy = { "job_energy_joules", "joules",
	"Energy of the job by component, summed over its nodes with data" },
    f_node_energy = { "node_energy_joules", "joules",
	"Energy of one node of the job by component" },
    f_gpu_energy = { "gpu_energy_joules", "joules",
	"Energy of one GPU charged to the job (its part on a shared node)" },
    f_idle_energy = { "job_idle_energy_joules", "joules",
	"Energy of the job while its nodes sat idle (absent: unknown)" },
    f_cpu_efficiency = { "job_cpu_efficiency_ratio", "ratio",
	"TotalCPU over elapsed time x allocated CPUs, from sacct (absent: unknown)" },
    f_coverage = { "series_coverage_ratio", "ratio",
	"Share of the job window with samples of one series (node, metric, device)" },
    f_duration = { "job_duration_seconds", "seconds", "Length of the job window" },
    f_start = { "job_start_timestamp_seconds", "seconds",
	"Start of the job window, Unix time" },
    f_end = { "job_end_timestamp_seconds", "seconds", "End of the job window, Unix time" },
    f_nodes = { "job_nodes", NULL, "Nodes of the job" },
    f_nodata = { "job_nodes_without_data", NULL,
	"Nodes of the job without usable telemetry (energy unknown)" };

static void
header(struct strbuf *b, const char *prefix, const struct family *f)
{
	strbuf_printf(b, "# TYPE %s_%s gauge\n", prefix, f->name);
	if (f->unit != NULL)
		strbuf_printf(b, "# UNIT %s_%s %s\n", prefix, f->name, f->unit);
	strbuf_printf(b, "# HELP %s_%s %s.\n", prefix, f->name, f->help);
}

/* Start a sample line: name{job labels (the closing brace is sample_end's). */
static void
sample_begin(struct strbuf *b, const char *prefix, const struct family *f,
    const struct job *job)
{
	strbuf_printf(b, "%s_%s{", prefix, f->name);
	job_labels(b, job);
}

static void
sample_end(struct strbuf *b, double v)
{
	strbuf_printf(b, "} %.17g\n", v);
}

static void
job_sample(struct strbuf *b, const char *prefix, const struct family *f,
    const struct job *job, double v)
{
	header(b, prefix, f);
	sample_begin(b, prefix, f, job);
	sample_end(b, v);
}

static void
energies(struct strbuf *b, const struct report *rep, const char *prefix)
{
	const struct job *job = rep->job;

	header(b, prefix, &f_job_energy);
	for (int c = 0; c < COMP_N; c++) {
		sample_begin(b, prefix, &f_job_energy, job);
		label(b, "component", component_key[c]);
		sample_end(b, rep->energy_j[c]);
	}
	header(b, prefix, &f_node_energy);
	for (size_t i = 0; i < rep->nnodes; i++)
		for (int c = 0; c < COMP_N && rep->nodes[i].has_data; c++) {
			sample_begin(b, prefix, &f_node_energy, job);
			label(b, "node", rep->nodes[i].hostname);
			label(b, "component", component_key[c]);
			sample_end(b, rep->nodes[i].energy_j[c]);
		}
}

static void
gpus_and_coverage(struct strbuf *b, const struct report *rep, const char *prefix)
{
	const struct family *fam[] = { &f_gpu_energy, &f_coverage };

	for (int k = 0; k < 2; k++) {
		header(b, prefix, fam[k]);
		for (size_t i = 0; i < rep->nnodes; i++)
			for (size_t s = 0; s < rep->nodes[i].nseries; s++) {
				const struct series *se = &rep->nodes[i].series[s];
				if (k == 0 && (se->role != ROLE_GPU || se->nsamples == 0))
					continue;
				sample_begin(b, prefix, fam[k], rep->job);
				label(b, "node", rep->nodes[i].hostname);
				if (k == 1)
					label(b, "metric", se->metric);
				label(b, "device", se->fqdd);
				sample_end(b, k == 0 ? attribution_series_energy(rep, i, s) :
				    se->coverage);
			}
	}
}

void
metrics_prom_text(const struct report *rep, struct strbuf *b)
{
	const char *prefix = rep->cfg->prom.prefix;
	const struct job *job = rep->job;

	energies(b, rep, prefix);
	gpus_and_coverage(b, rep, prefix);
	job_sample(b, prefix, &f_duration, job,
	    (double)(job->end - job->start) / USEC_PER_SEC);
	job_sample(b, prefix, &f_start, job, (double)job->start / USEC_PER_SEC);
	job_sample(b, prefix, &f_end, job, (double)job->end / USEC_PER_SEC);
	job_sample(b, prefix, &f_nodes, job, (double)rep->nnodes);
	job_sample(b, prefix, &f_nodata, job, (double)rep->nodes_without_data);
	if (rep->attr != NULL && !isnan(rep->attr->idle_j))
		job_sample(b, prefix, &f_idle_energy, job, rep->attr->idle_j);
	if (rep->cpu_eff != NULL && !isnan(rep->cpu_eff->value))
		job_sample(b, prefix, &f_cpu_efficiency, job, rep->cpu_eff->value);
	strbuf_puts(b, "# EOF\n");
}

int
render_metrics_prom(const struct report *rep, const struct outdir *od)
{
	struct strbuf b = { 0 };
	FILE *fp = outdir_fopen(od, "metrics.prom");

	if (fp == NULL)
		return PR_EOUTPUT;
	metrics_prom_text(rep, &b);
	fwrite(b.s, 1, b.len, fp);
	free(b.s);
	return outdir_fclose(fp, "metrics.prom");
}
