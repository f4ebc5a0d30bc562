/*
 * rate_pg.h - a carbon intensity or price series from a database table.
 */
#ifndef PR_RATE_PG_H
#define PR_RATE_PG_H

#include "config.h"
#include "rate.h"
#include "strlist.h"

/* The steps of src's table in force during [start, end] into r (empty
 * when there are none).  When the table cannot be read, the reason goes to
 * notes and r stays empty; PR_OK unless interrupted. */
int rate_load_pg(struct rate *r, const struct config *cfg, const struct rate_source *src,
    usec_t start, usec_t end, struct strlist *notes);

#endif
