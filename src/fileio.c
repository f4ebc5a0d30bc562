/*
 * fileio.c - whole-file reads (see fileio.h).
 */
#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"

int
fileio_read(const char *path, size_t max, char **data, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	size_t cap = 8192, n = 0, got;
	char *buf;
	int err = 0;

	if (fp == NULL)
		return errno;
	buf = xmalloc(cap);
	errno = 0;
	while ((got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
		n += got;
		if (n > max) {
			err = EFBIG;
			break;
		}
		if (n == cap - 1)
			buf = xrealloc(buf, cap *= 2);
	}
	if (err == 0 && ferror(fp))
		err = errno != 0 ? errno : EIO;
	fclose(fp);
	if (err != 0) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}
