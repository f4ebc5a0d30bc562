/*
 * stallrelay.h - a TCP relay on 127.0.0.1 in front of the test PostgreSQL
 * (tests/pgserver.c) that fails the way a stalled server, pooler or network
 * does: it stops in the middle of a COPY or a query, or it accepts
 * connections and never answers.  It runs in a child process of the test, so the program
 * under test meets it exactly as it would a real server.
 */
#ifndef PR_STALLRELAY_H
#define PR_STALLRELAY_H

#include <sys/types.h>

enum relay_mode {
	/* Forward both ways until the server sends the first byte of a
	 * CopyData message; from then on forward nothing on any connection,
	 * old or new (a cancel request too), and close none.  Connections
	 * must not ask for SSL or GSS encryption (sslmode=disable
	 * gssencmode=disable), so the server's bytes are protocol messages. */
	RELAY_STALL_COPY,
	/* The same at the first RowDescription: inside the first query that
	 * returns rows, before any COPY. */
	RELAY_STALL_QUERY,
	/* Accept connections and never answer nor forward anything. */
	RELAY_MUTE,
};

struct relay {
	pid_t pid;
	int port;
	int event;	/* readable once it has stalled (MUTE: accepted) */
};

/* Start a relay: 0, or -1 after printing why. */
int relay_start(enum relay_mode mode, struct relay *r);
/* Wait up to secs for the stall (MUTE: the first connection): 0 or -1. */
int relay_wait(const struct relay *r, double secs);
void relay_stop(struct relay *r);

#endif
