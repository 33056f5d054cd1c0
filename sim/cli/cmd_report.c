/* cmd_report.c - `koning report FILE.h5`: one HTML page (docs/report.md). */
#include "commands.h"
#include "htmlreport.h"

int kn_cmd_report(int argc, char **argv)
{
    return kn_report_main(argc, argv);
}
