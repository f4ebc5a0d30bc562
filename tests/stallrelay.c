/*
 * stallrelay.c - the stalling relay of the tests (see stallrelay.h): one
 * poll() loop over the listening socket and every connection pair.
 */
#include "stallrelay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pgserver.h"

#define MAXLINKS 16

/* One client connection and its connection to the server; the server's
 * bytes are followed message by message to find the first CopyData. */
struct link {
	int client, server;
	unsigned char hdr[5];	/* type and length of the next message */
	size_t have;
	uint32_t left;		/* bytes of the current message still to come */
};

struct relay_state {
	enum relay_mode mode;
	int listener, event;
	int stalled;
	struct link links[MAXLINKS];
	size_t nlinks;
};

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	for (; n > 0; p += w, n -= (size_t)w)
		if ((w = write(fd, p, n)) <= 0)
			return -1;
	return 0;
}

/* How many of the n server bytes at p go to the client: all of them, or
 * up to and including the type byte of the first message of type stop. */
static size_t
server_bytes(struct link *l, const unsigned char *p, size_t n, char stop, int *stall)
{
	for (size_t i = 0; i < n; i++) {
		if (l->left > 0) {
			l->left--;
			continue;
		}
		if (l->have == 0 && p[i] == stop) {
			*stall = 1;
			return i + 1;
		}
		l->hdr[l->have++] = p[i];
		if (l->have == 5) {
			l->left = ((uint32_t)l->hdr[1] << 24 | (uint32_t)l->hdr[2] << 16 |
			    (uint32_t)l->hdr[3] << 8 | l->hdr[4]) - 4;
			l->have = 0;
		}
	}
	return n;
}

static int
connect_server(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(pgs_port()) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void
stalls(struct relay_state *rs)
{
	if (!rs->stalled && write(rs->event, "s", 1) != 1)
		_exit(3);
	rs->stalled = 1;
}

static void
accept_one(struct relay_state *rs)
{
	int fd = accept(rs->listener, NULL, NULL);
	struct link *l;

	if (fd < 0)
		return;
	if (rs->nlinks == MAXLINKS) {
		close(fd);
		return;
	}
	l = &rs->links[rs->nlinks++];
	*l = (struct link){ .client = fd, .server = -1 };
	if (rs->mode == RELAY_MUTE)
		stalls(rs);
	else if (!rs->stalled)
		l->server = connect_server();
}

static void
close_link(struct link *l)
{
	close(l->client);
	if (l->server >= 0)
		close(l->server);
	l->client = l->server = -1;
}

/* Move what is readable on one side of l to the other. */
static void
forward(struct relay_state *rs, struct link *l, int from_server)
{
	unsigned char buf[8192];
	ssize_t n = read(from_server ? l->server : l->client, buf, sizeof buf);
	size_t out = (size_t)n;
	int stall = 0;

	if (n <= 0) {
		close_link(l);
		return;
	}
	if (from_server)
		out = server_bytes(l, buf, (size_t)n, rs->mode == RELAY_STALL_COPY ? 'd' : 'T',
		    &stall);
	if (write_all(from_server ? l->client : l->server, buf, out) != 0)
		close_link(l);
	if (stall)
		stalls(rs);
}

static void
serve(struct relay_state *rs)
{
	struct pollfd pfd[1 + 2 * MAXLINKS];
	struct link *who[1 + 2 * MAXLINKS];
	size_t n, i;

	for (;;) {
		pfd[0] = (struct pollfd){ .fd = rs->listener, .events = POLLIN };
		for (i = 0, n = 1; i < rs->nlinks && !rs->stalled; i++) {
			if (rs->links[i].client < 0 || rs->links[i].server < 0)
				continue;
			who[n] = &rs->links[i];
			pfd[n++] = (struct pollfd){ .fd = rs->links[i].client, .events = POLLIN };
			who[n] = &rs->links[i];
			pfd[n++] = (struct pollfd){ .fd = rs->links[i].server, .events = POLLIN };
		}
		if (poll(pfd, n, -1) <= 0)
			continue;
		if (pfd[0].revents != 0)
			accept_one(rs);
		for (i = 1; i < n && !rs->stalled; i++)
			if (pfd[i].revents != 0 && who[i]->client >= 0)
				forward(rs, who[i], pfd[i].fd == who[i]->server);
	}
}

/* A listening socket on 127.0.0.1 at a free port. */
static int
listen_loopback(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(fd, 16) != 0 || getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

int
relay_start(enum relay_mode mode, struct relay *r)
{
	struct relay_state rs = { .mode = mode };
	int ev[2];

	if ((rs.listener = listen_loopback(&r->port)) < 0 || pipe(ev) != 0) {
		perror("stallrelay");
		return -1;
	}
	fflush(NULL);
	if ((r->pid = fork()) < 0) {
		perror("stallrelay: fork");
		return -1;
	}
	if (r->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* a failed test still ends it */
		close(ev[0]);
		rs.event = ev[1];
		serve(&rs);
	}
	close(ev[1]);
	close(rs.listener);
	r->event = ev[0];
	return 0;
}

int
relay_wait(const struct relay *r, double secs)
{
	struct pollfd pfd = { .fd = r->event, .events = POLLIN };
	char c;

	return poll(&pfd, 1, (int)(secs * 1000)) == 1 && read(r->event, &c, 1) == 1 ? 0 : -1;
}

void
relay_stop(struct relay *r)
{
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, NULL, 0);
	}
	close(r->event);
	r->pid = 0;
}
