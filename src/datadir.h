/*
 * datadir.h - where the report templates and assets are found at run time.
 */
#ifndef PR_DATADIR_H
#define PR_DATADIR_H

/* Templates and assets: $POWERREPORT_DATADIR, else next to the binary when
 * it runs from its build tree, else <bindir>/../share/powerreport (an
 * install moved elsewhere), else the configured DATADIR.  malloc'd. */
char *find_datadir(void);

#endif
