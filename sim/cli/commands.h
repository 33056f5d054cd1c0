/* commands.h - koning's subcommands: each takes the arguments after its name
 * (argv[0] is the subcommand) and returns the process exit status. */
#ifndef KONING_COMMANDS_H
#define KONING_COMMANDS_H

/* Exit statuses of every subcommand (README, docs/failure-modes). */
#define KN_EXIT_OK 0
#define KN_EXIT_FAIL 1  /* a simulation or a check failed, or an output could not be made */
#define KN_EXIT_INPUT 2 /* bad input: usage, a malformed file, a value out of range */

int kn_cmd_plot(int argc, char **argv);
extern const char kn_plot_usage[]; /* `koning help plot` */
int kn_cmd_report(int argc, char **argv);

#endif
