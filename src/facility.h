/*
 * facility.h - facility energy from the infra database (facility in the
 * configuration; off by default): the PUE measured over the job window from
 * the rack PDUs and in-row coolers, the job's energy at the wall of the
 * building, and per rack the nodes' input energy against the PDUs'.
 */
#ifndef PR_FACILITY_H
#define PR_FACILITY_H

#include <stdbool.h>

#include "config.h"
#include "job.h"
#include "strlist.h"

struct rack_check {
	const char *name;	/* the configured rack's (borrowed) */
	double pdu_j, cooling_j;
	double nodes_j;		/* SystemInputPower of every node in the rack */
	size_t nnodes;		/* nodes of the rack with input power */
	double ratio;		/* nodes_j / pdu_j; NAN without PDU energy */
};

struct facility {
	bool measured;		/* a PUE came out of the infra database */
	const char *scope;	/* "racks" or "room" */
	double pdu_j, cooling_j;	/* over the scope and the job window */
	double pue;		/* (pdu + cooling) / pdu; NAN when not measured */
	struct rack_check *racks;	/* the job's racks */
	size_t nracks;
	struct strlist notes;	/* what could not be read, mismatched racks */
};

/* Read the infra database (one statement) and, for the rack cross-check,
 * the input power of every node of the job's racks (one statement per
 * node database).  Nothing configured: nothing done.  Failures are notes;
 * PR_OK unless interrupted. */
int facility_measure(struct facility *f, const struct config *cfg, const struct job *job);
void facility_free(struct facility *f);

#endif
