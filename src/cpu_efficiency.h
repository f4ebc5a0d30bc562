/*
 * cpu_efficiency.h - how busy the job kept the CPUs it was given, from
 * Slurm's accounting (src/cpu_efficiency.c): TotalCPU over ElapsedRaw x
 * AllocCPUS, set beside the energy so a user sees whether the kWh did work.
 */
#ifndef PR_CPU_EFFICIENCY_H
#define PR_CPU_EFFICIENCY_H

#include "config.h"
#include "job.h"
#include "report.h"
#include "strlist.h"

struct cpu_efficiency {
	const char *from;	/* "sacct" once sacct was asked, NULL: never */
	double total_cpu_s;	/* TotalCPU in seconds, NAN: unknown */
	double elapsed_s;	/* ElapsedRaw, NAN: unknown */
	int alloc_cpus;		/* AllocCPUS, 0: unknown */
	double value;		/* total_cpu_s / (elapsed_s x alloc_cpus), NAN: unknown */
	struct strlist notes;	/* why it is unknown (data quality) */
};

/* Nothing known, sacct not asked. */
void cpu_efficiency_init(struct cpu_efficiency *e);
void cpu_efficiency_free(struct cpu_efficiency *e);

/* sacct's TotalCPU ("[DD-][HH:]MM:SS[.mmm]": "1-02:03:04", "02:03:04",
 * "12:34.567") in seconds; -1 for anything else. */
int cpu_efficiency_parse_time(const char *text, double *seconds);

/* One `sacct -P` line "JobID|TotalCPU|ElapsedRaw|AllocCPUS" of job into e:
 * the figures, and the efficiency when they are plausible (elapsed and
 * CPUs above 0, efficiency at most 1.05); else NAN and a note saying why. */
void cpu_efficiency_parse(struct cpu_efficiency *e, const char *job, const char *line);

/* Ask sacct when it is on PATH and the job's id (its own id for an array
 * task) is a Slurm job id; silent when not (e->from stays NULL).  Bounded
 * like the job lookup (connect plus statement timeout); whatever goes
 * wrong is a note, never a failure of the run. */
void cpu_efficiency_find(struct cpu_efficiency *e, const struct config *cfg,
    const struct job *job);

/* After the collector: e's notes into the report's warnings, and
 * rep->cpu_eff pointing at e when sacct was asked. */
void cpu_efficiency_attach(struct cpu_efficiency *e, struct report *rep);

#endif
