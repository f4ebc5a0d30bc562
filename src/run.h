/*
 * run.h - the pipeline of one powerreport run: job -> plan -> source ->
 * collector -> report model -> renderers -> output directory.
 */
#ifndef PR_RUN_H
#define PR_RUN_H

#include "cli.h"

/* Do what the options say; PR_OK or an exit status with pr_errmsg() set. */
int run(const struct options *o);

#endif
