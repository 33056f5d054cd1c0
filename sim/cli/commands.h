/* commands.h - koning's subcommands: each takes the arguments after its name
 * (argv[0] is the subcommand) and returns the process exit status. */
#ifndef KONING_COMMANDS_H
#define KONING_COMMANDS_H

/* Exit statuses of every subcommand (README, docs/failure-modes). */
#define KN_EXIT_OK 0
#define KN_EXIT_FAIL 1  /* a simulation or a check failed, or an output could not be made */
#define KN_EXIT_INPUT 2 /* bad input: usage, a malformed file, a value out of range */

/* Print a one-line message on stderr, formatted as printf does, with every control
 * character of the result made visible (kn_tty_text: a name or path cannot drive the
 * terminal); the newline is added. (options.c) */
void kn_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int kn_cmd_plot(int argc, char **argv);
int kn_cmd_report(int argc, char **argv);
int kn_cmd_run(int argc, char **argv);
int kn_cmd_compare(int argc, char **argv);
int kn_cmd_demo(int argc, char **argv);
int kn_cmd_sweep(int argc, char **argv);
int kn_cmd_export(int argc, char **argv);
int kn_cmd_verdict(int argc, char **argv);
int kn_cmd_validate(int argc, char **argv);
int kn_cmd_erlang(int argc, char **argv);
int kn_cmd_robust(int argc, char **argv);

/* Their help texts (koning help COMMAND, koning COMMAND --help). */
extern const char kn_plot_usage[];
extern const char kn_report_usage[];
extern const char kn_usage_run[];
extern const char kn_usage_compare[];
extern const char kn_usage_demo[];
extern const char kn_usage_sweep[];
extern const char kn_usage_export[];
extern const char kn_usage_verdict[];
extern const char kn_usage_validate[];
extern const char kn_usage_erlang[];
extern const char kn_usage_robust[];

#endif
