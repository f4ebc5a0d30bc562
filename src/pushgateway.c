/*
 * pushgateway.c - one HTTP request to a Pushgateway through libcurl (see
 * pushgateway.h).  libcurl's own signal handling is off (NOSIGNAL: the
 * program's SIGTERM handler stays in charge) and its progress callback,
 * called at least once a second, aborts the transfer once the program has
 * been asked to stop, so a hung gateway holds a run for at most the
 * timeout and a signal for at most about a second.
 */
#include "pushgateway.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "error.h"
#include "fileio.h"

#define AUTH_MAX 4096		/* "user:password" */
#define JOB_LABEL "powerreport"
/* The classic text format, which the OpenMetrics text of metrics.prom is
 * to the Pushgateway (# UNIT and # EOF are comments in it). */
#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Abort the transfer once a signal asked the program to stop. */
static int
on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	return pr_interrupted ? 1 : 0;
}

/* The Pushgateway's answer is not needed, only its status code. */
static size_t
discard(char *data, size_t size, size_t n, void *ctx)
{
	return size * n;
}

/* "user:password" from the first line of path into *out (malloc'd). */
static int
read_auth(const char *path, char **out)
{
	size_t len;
	int err = fileio_read(path, AUTH_MAX, out, &len);

	if (err != 0)
		return pr_fail(PR_ESOURCE, "Pushgateway credentials %s: %s: make it "
		    "readable by the user the report runs as", path,
		    err == EFBIG ? "too large" : strerror(err));
	(*out)[strcspn(*out, "\r\n")] = '\0';
	if (strchr(*out, ':') == NULL) {
		free(*out);
		return pr_fail(PR_ESOURCE, "Pushgateway credentials %s: expected one "
		    "line user:password", path);
	}
	return PR_OK;
}

/* url/metrics/job/powerreport/job_id/<id, escaped> (malloc'd). */
static char *
group_url(CURL *curl, const char *base, const char *job_id)
{
	char *esc = curl_easy_escape(curl, job_id, 0);
	char *url = xasprintf("%s/metrics/job/" JOB_LABEL "/job_id/%s", base,
	    esc != NULL ? esc : "unknown");

	curl_free(esc);
	return url;
}

static void
set_request(CURL *curl, const struct prom_config *pc, const char *text,
    struct curl_slist *headers)
{
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)pc->push_timeout_s);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)pc->push_timeout_s);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	if (pc->cacert != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, pc->cacert);
	if (text != NULL) {
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, text);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(text));
	} else
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE");
}

/* The outcome of a performed request as a status. */
static int
outcome(CURL *curl, CURLcode cc, const char *errbuf, const char *what)
{
	long code = 0;

	if (cc == CURLE_ABORTED_BY_CALLBACK)
		return pr_fail(PR_EINTR, "interrupted by a signal during the "
		    "Pushgateway %s", what);
	if (cc != CURLE_OK)
		return pr_fail(PR_ESOURCE, "Pushgateway %s failed: %s", what,
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	if (code < 200 || code > 299)
		return pr_fail(PR_ESOURCE, "Pushgateway %s failed: HTTP status %ld%s",
		    what, code, code == 401 ? " (check prometheus.auth_file)" : "");
	return PR_OK;
}

int
pushgateway_send(const struct prom_config *pc, const char *job_id, const char *text)
{
	const char *what = text != NULL ? "push" : "delete";
	char errbuf[CURL_ERROR_SIZE] = "", *auth = NULL, *url;
	struct curl_slist *headers;
	CURL *curl;
	int rc = PR_OK;

	if (pc->auth_file != NULL && (rc = read_auth(pc->auth_file, &auth)) != PR_OK)
		return rc;
	if ((curl = curl_easy_init()) == NULL) {
		free(auth);
		return pr_fail(PR_ESOURCE, "Pushgateway %s: libcurl could not start",
		    what);
	}
	url = group_url(curl, pc->pushgateway_url, job_id);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	if (auth != NULL)
		curl_easy_setopt(curl, CURLOPT_USERPWD, auth);
	headers = curl_slist_append(NULL, "Content-Type: " CONTENT_TYPE);
	set_request(curl, pc, text, headers);
	rc = outcome(curl, curl_easy_perform(curl), errbuf, what);
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	if (auth != NULL)
		explicit_bzero(auth, strlen(auth));
	free(auth);
	free(url);
	return rc;
}
