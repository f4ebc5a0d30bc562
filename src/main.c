/*
 * main.c - powerreport's entry point: signals, command line, one run, and
 * the single place where a failure becomes a message and an exit status.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "backfill.h"
#include "cli.h"
#include "error.h"
#include "rollup.h"
#include "run.h"

static void
on_signal(int sig)
{
	(void)sig;
	pr_interrupted = 1;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: blocking reads return */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);	/* a file size limit is a write error, not a crash */
}

int
main(int argc, char **argv)
{
	struct options o;
	int rc;

	catch_signals();
	if (argc > 1 && strcmp(argv[1], "summary") == 0)
		rc = rollup_main(argc - 1, argv + 1);
	else if ((rc = cli_parse(argc, argv, &o)) == PR_OK && o.help)
		cli_usage();
	else if (rc == PR_OK && o.version)
		printf("powerreport %s\n", PR_VERSION);
	else if (rc == PR_OK)
		rc = o.mode == MODE_BATCH ? backfill(&o) : run(&o);
	if (rc != PR_OK)
		fprintf(stderr, "powerreport: %s\n", pr_errmsg()[0] ? pr_errmsg() :
		    "failed without a message (a bug: please report it)");
	return rc;
}
