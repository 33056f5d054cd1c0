/* main.c - the `koning` command line: main, the dispatcher to the subcommands
 * (cmd_*.c, declared in commands.h), help and version, and the overview of commands.
 *
 * Exit codes: 0 success; 1 the simulation or a validation check failed; 2 bad input
 * (usage, scenario file, override, parameter). Errors go to stderr as one line naming
 * the file, line, key and reason where known; results go to stdout.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cluster.h"
#include "commands.h"
#include "htmlreport.h"
#include "options.h"
#include "plot.h"
#include "stop.h"

static const char usage_main[] =
    "koning - who is king, the customer or the employee? A simulator of service organisations.\n"
    "\n"
    "usage: koning COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  demo           the headline policy comparison: verdict, charts, HTML report\n"
    "  run FILE       simulate a scenario file, print every metric with its confidence interval\n"
    "  compare A B .. run scenarios on common random numbers, report paired differences\n"
    "  sweep FILE     run a parameter sweep (grid or Latin hypercube) into a results file\n"
    "  robust FILE    who is king across plausible worlds: every policy in every world, where it flips\n"
    "  verdict FILE.h5 the verdict of a results file again (text or JSON), nothing simulated\n"
    "  export FILE.h5 write a results file's tables as CSV\n"
    "  plot FILE.h5   draw a results file's charts with gnuplot (PNG, SVG, PDF + data + script)\n"
    "  report FILE.h5 write a self-contained HTML report (verdict, table with CIs, charts)\n"
    "  validate       check the engine against exact Erlang-C / Erlang-A values\n"
    "  erlang         print exact M/M/n(+M) figures for given rates\n"
    "  help [COMMAND] show help (also: koning COMMAND --help)\n"
    "  version        print the version\n";

/* The command line that made a results file, for its attributes. */
static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) * 4 + 3;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (int i = 0; i < argc; i++) {
        int quote = strpbrk(argv[i], " \t\"'\\$") != NULL || !argv[i][0];
        if (i)
            *p++ = ' ';
        if (quote)
            *p++ = '\'';
        for (const char *c = argv[i]; *c; c++) {
            if (*c == '\'' && quote) {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *c;
            }
        }
        if (quote)
            *p++ = '\'';
    }
    *p = '\0';
    return s;
}

/* Every subcommand: its name, entry point and help text. */
static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} commands[] = {
    {"run", kn_cmd_run, kn_usage_run},
    {"demo", kn_cmd_demo, kn_usage_demo},
    {"compare", kn_cmd_compare, kn_usage_compare},
    {"sweep", kn_cmd_sweep, kn_usage_sweep},
    {"robust", kn_cmd_robust, kn_usage_robust},
    {"export", kn_cmd_export, kn_usage_export},
    {"verdict", kn_cmd_verdict, kn_usage_verdict},
    {"plot", kn_cmd_plot, kn_plot_usage},
    {"report", kn_cmd_report, kn_report_usage},
    {"validate", kn_cmd_validate, kn_usage_validate},
    {"erlang", kn_cmd_erlang, kn_usage_erlang},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(name, commands[i].name))
            return &commands[i];
    return NULL;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return KN_EXIT_INPUT;
    }
    const char *cmd = argv[1];
    const struct command *c = find_command(cmd);
    if (c)
        return c->run(argc - 1, argv + 1);
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("koning %s\n", KONING_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        const struct command *topic = argc > 2 ? find_command(argv[2]) : NULL;
        fputs(topic ? topic->usage : usage_main, stdout);
        return 0;
    }
    kn_eprintf("koning: unknown command '%s'", cmd);
    fprintf(stderr, "\n%s", usage_main);
    return KN_EXIT_INPUT;
}

int main(int argc, char **argv)
{
    kn_mpi_init(&argc, &argv);
    kn_stop_catch(); /* Ctrl-C and SIGTERM: clean up, then die of the signal (stop.h) */
    kn_command_line = join_args(argc, argv);
    int rc = dispatch(argc, argv);
    free(kn_command_line);
    fflush(NULL);
    kn_stop_obey();
    kn_mpi_finalize();
    return rc;
}
