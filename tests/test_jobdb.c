/*
 * test_jobdb.c - `powerreport JOBID` looking a job up: one wording of how
 * the job ended whatever the source (the epilog's environment, slurm.jobs,
 * sacct), and a signal during the lookup ends the run as interrupted (exit
 * 9), not as a lookup failure.  The lookup itself against a real server is
 * in test_pg.c (job_lookup) and tests/test_slurm_e2e.c.
 */
#include "testutil.h"
#include "stallrelay.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "job.h"

static void
assert_exit_state(const char *state, const char *exit, const char *want)
{
	char *got = job_exit_state(state, exit);

	if (want == NULL)
		ck_assert_msg(got == NULL, "%s/%s: %s", state, exit, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0, "%s/%s: %s, not %s",
		    state, exit, got, want);
	free(got);
}

/* The epilog passes code:signal (from squeue's raw status), slurm.jobs
 * holds the raw wait status, sacct says code:signal and "CANCELLED by
 * UID": all read the same. */
START_TEST(one_wording_for_every_source)
{
	assert_exit_state("COMPLETED", "0:0", "COMPLETED (exit code 0)");
	assert_exit_state("COMPLETED", "0", "COMPLETED (exit code 0)");
	assert_exit_state("FAILED", "3:0", "FAILED (exit 3)");
	assert_exit_state("FAILED", "768", "FAILED (exit 3)");
	assert_exit_state("CANCELLED by 1001", "0:15", "CANCELLED (signal 15)");
	assert_exit_state("CANCELLED", "15", "CANCELLED (signal 15)");
	assert_exit_state("TIMEOUT", NULL, "TIMEOUT");
	assert_exit_state(NULL, "256", "exit 1");
	assert_exit_state("", "0", "exit code 0");
	assert_exit_state("x; rm", "0:0", "exit code 0");	/* no state word */
	assert_exit_state(NULL, "", NULL);
	assert_exit_state(NULL, NULL, NULL);
}
END_TEST

/* SIGTERM while the database takes the connection and never answers. */
START_TEST(sigterm_during_lookup_is_interrupted)
{
	struct relay relay;
	char *dir = tu_tmpdir(), *cfg = xasprintf("%s/config.json", dir), *text;
	int st;
	pid_t pid;

	ck_assert_int_eq(relay_start(RELAY_MUTE, &relay), 0);
	text = xasprintf("{\"rules\": [{\"match\": \"*\", \"database\": \"zen4\","
	    " \"metrics\": [\"SystemInputPower\"]}], \"database\": {\"conninfo\":"
	    " \"host=127.0.0.1 port=%d user=reader password=x sslmode=disable\","
	    " \"connect_timeout_s\": 60}}", relay.port);
	tu_write(cfg, text);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		execl(tu_bin(), tu_bin(), "4242", "--config", cfg, "--outdir", dir, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(relay_wait(&relay, 20), 0);
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	relay_stop(&relay);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == PR_EINTR, "status %d", st);
	ck_assert_int_eq(tu_count_entries(dir), 1);	/* only config.json */
	tu_rmrf(dir);
	free(text);
	free(cfg);
	free(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("jobdb");
	TCase *tc = tcase_create("jobdb");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, one_wording_for_every_source);
	tcase_add_test(tc, sigterm_during_lookup_is_interrupted);
	suite_add_tcase(s, tc);
	return tu_main(s);
}
