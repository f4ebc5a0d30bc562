/*
 * slurm_energy.h - Slurm's own figure for a job's energy (ConsumedEnergy,
 * from its acct_gather_energy plugin), to set beside the telemetry's: from
 * the sacct line of a job lookup (ConsumedEnergyRaw, the last field), or
 * from a column of slurm.jobs where the site stores it
 * (database.jobs_energy_column: joules, or a TRES string with energy=).
 */
#ifndef PR_SLURM_ENERGY_H
#define PR_SLURM_ENERGY_H

#include "config.h"
#include "job.h"
#include "strlist.h"

/* Joules from ConsumedEnergyRaw text ("123456") or a TRES string
 * ("cpu=4,energy=123456,node=1"); 0 for "", "0" and a TRES string without
 * energy.  -1 when the text is neither. */
int slurm_energy_parse(const char *text, double *joules);

/* The sacct -P line of a job lookup that asked for nfields fields and then
 * ConsumedEnergyRaw: record the energy in job (slurm_energy_j,
 * slurm_energy_from) and cut it off, returning line for the fields before
 * it.  A line of another shape is returned as it is. */
char *slurm_energy_take_sacct(struct job *job, char *line, int nfields);

/* Slurm's figure as far as it is known: the one job holds, else, when the
 * configuration names the column, the one in the jobs table of the
 * database of the job's first node (one read-only statement).  *from is
 * NULL when nobody was asked; *joules 0 when absent or zero.  Failures
 * are notes; PR_OK unless interrupted. */
int slurm_energy_find(const struct config *cfg, const struct job *job,
    double *joules, const char **from, struct strlist *notes);

#endif
