/*
 * trust_html.h - the trust section of report.html.
 */
#ifndef PR_TRUST_HTML_H
#define PR_TRUST_HTML_H

#include "report.h"
#include "template_shim.h"

/* Fill templates/trust.html.tpl's dictionary d. */
void html_trust(struct tpl *d, const struct report *rep);

#endif
