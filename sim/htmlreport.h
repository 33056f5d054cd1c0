/* htmlreport.h - `koning report FILE.h5 -o report.html`: one self-contained HTML page
 * for people who will not open a terminal: the verdict, a summary table with confidence
 * intervals, the charts (SVG, embedded), the scenarios' assumptions in plain words and
 * the sources of the defaults. Nothing is loaded from outside the page.
 */
#ifndef KONING_HTMLREPORT_H
#define KONING_HTMLREPORT_H

#include "koning/error.h"

kn_status kn_report_html(const char *h5path, const char *out_html, kn_error *err);

/* `koning report` command line (argv[0] = "report"). Returns the process exit code. */
int kn_report_main(int argc, char **argv);
extern const char kn_report_usage[];

#endif
