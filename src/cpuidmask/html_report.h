/* html_report.h - the self-contained HTML report of cpuidmask fleet. */
#ifndef CPUIDMASK_HTML_REPORT_H
#define CPUIDMASK_HTML_REPORT_H

#include "cpuidmask.h"

/* Write the report to path (replaced atomically). Prints errors; returns -1 on failure. */
int html_report(const char *path, const cm_fleet *f);

#endif
