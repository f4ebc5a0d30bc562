/*
 * slurm_pattern.h - expansion of Slurm's filename patterns (%j %x %u %A %a
 * %N %n %t %s %% and zero-padded forms like %4j), which slurmctld passes to
 * EpilogSlurmctld unexpanded in SLURM_JOB_STDOUT.  See sbatch(1), "filename
 * pattern".
 */
#ifndef PR_SLURM_PATTERN_H
#define PR_SLURM_PATTERN_H

struct job;

/* Expand the patterns of path for job; returns a malloc'd string.  Patterns
 * whose value is unknown here (e.g. %s step id) expand as Slurm does for a
 * batch job; an unknown letter is kept verbatim, as Slurm does. */
char *slurm_pattern_expand(const char *path, const struct job *job);

#endif
