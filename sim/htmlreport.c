/* htmlreport.c - placeholder until the report lands (being written). */
#include "htmlreport.h"
const char kn_report_usage[] = "usage: koning report FILE.h5 -o report.html\n";
kn_status kn_report_html(const char *h5path, const char *out_html, kn_error *err)
{
    (void)out_html;
    return kn_error_set(err, KN_EIO, "%s: report not built yet", h5path);
}
int kn_report_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }
