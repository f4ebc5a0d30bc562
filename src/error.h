/*
 * error.h - the one error-handling style of powerreport.
 *
 * Every function that can fail returns an int status: PR_OK (0) or one of the
 * exit codes below.  The first failure records a one-line message with
 * pr_fail(); callers just pass the status up.  main() prints the message and
 * exits with the status, so the exit code a user sees names the class of
 * problem (documented in the man page and README).
 */
#ifndef PR_ERROR_H
#define PR_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum pr_status {
	PR_OK = 0,
	PR_EINTERNAL = 1,	/* a bug or out of memory */
	PR_EUSAGE = 2,		/* bad command line: option, time, nodelist */
	PR_ECONFIG = 3,		/* bad configuration file */
	PR_EDATA = 4,		/* input data unreadable or malformed */
	PR_ENODATA = 5,		/* no telemetry for the job */
	PR_ESOURCE = 6,		/* telemetry source unreachable or failing */
	PR_EOUTPUT = 7,		/* output directory not writable / write failed */
	PR_ENOJOB = 8,		/* job id not found */
	PR_EINTR = 9,		/* interrupted by a signal */
};

/* Record msg (printf-style) as the reason for failing, unless a reason is
 * already recorded, and return status.  Use as: return pr_fail(PR_EUSAGE, ...). */
int pr_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The recorded message ("" when none). */
const char *pr_errmsg(void);
/* Forget the recorded message (used by tests and retry loops). */
void pr_errclear(void);

/* Verbosity for pr_log: 0 quiet (errors only), 1 normal, 2 verbose. */
extern int pr_verbosity;
/* Progress/diagnostic line on stderr when level <= pr_verbosity. */
void pr_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocation that never returns NULL: on exhaustion print and exit(PR_EINTERNAL). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Set by the SIGINT/SIGTERM handler; long loops poll it and stop with PR_EINTR. */
extern volatile int pr_interrupted;

#endif
