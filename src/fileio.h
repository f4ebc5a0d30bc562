/*
 * fileio.h - reading a whole small file (configuration, stylesheet,
 * summary.json) into memory, the one way: read errors are never ignored and
 * the size is bounded.
 */
#ifndef PR_FILEIO_H
#define PR_FILEIO_H

#include <stddef.h>

/* The bytes of path, NUL-terminated, into *data (malloc'd; the length
 * without the NUL into *len).  Returns 0, or an errno value: that of
 * opening or reading (ENOENT: no such file), EFBIG when it holds more than
 * max bytes.  Callers turn it into their own message with pr_fail. */
int fileio_read(const char *path, size_t max, char **data, size_t *len);

#endif
