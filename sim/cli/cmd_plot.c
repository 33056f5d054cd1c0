/* cmd_plot.c - `koning plot FILE.h5`: charts of a results file (docs/plots.md). */
#include "commands.h"
#include "plot.h"

int kn_cmd_plot(int argc, char **argv)
{
    return kn_plot_main(argc, argv);
}
