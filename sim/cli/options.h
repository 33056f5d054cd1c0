/* options.h - what several subcommands share: reading option values (integers, numbers,
 * --format), the default results path, the options of run and compare (sim_opts: --set,
 * --jobs, --output, --plot, ...), loading a scenario with its overrides, running a study
 * and what follows its results file (verdict, charts, HTML report). Every function
 * prints its own one-line error on stderr.
 */
#ifndef KONING_CLI_OPTIONS_H
#define KONING_CLI_OPTIONS_H

#include <stdint.h>
#include <stddef.h>
#include "koning/metrics.h"
#include "koning/scenario.h"
#include "koning/stats.h"
#include "study.h"

/* The command line that made a results file, for its attributes (set in main). */
extern char *kn_command_line;

/* getopt_long codes of the long options without a short form. */
enum { OPT_SET = 256, OPT_FORMAT, OPT_REPS, OPT_SEED, OPT_LEVEL, OPT_SCALE, OPT_LAMBDA,
       OPT_MU, OPT_THETA, OPT_SERVERS, OPT_NO_OUTPUT, OPT_RESUME, OPT_QUIET, OPT_PLOT,
       OPT_REPORT, OPT_BRIEF, OPT_SCENARIOS, OPT_FROM, OPT_SWITCH, OPT_WHY, OPT_YEARS,
       OPT_PAYBACK };

/* The value s of option opt as an integer in [lo, hi] / a finite number in [lo, hi];
 * 0, or -1 with the error printed. */
int kn_opt_int(const char *opt, const char *s, long lo, long hi, long *out);
int kn_opt_double(const char *opt, const char *s, double lo, double hi, double *out);
/* --seed S: decimal digits in [0, 2^64-1]; 0, or -1 with the error printed. */
int kn_opt_seed(const char *s, uint64_t *out);

/* --format table|json: *json = 0 or 1; 0, or KN_EXIT_INPUT with the error printed. */
int kn_opt_format(const char *s, int *json);

/* 1 when paths a and b name the same existing file (device and inode), else 0. */
int kn_same_file(const char *a, const char *b);

/* Check, before anything is done, that `out` can be written without destroying an
 * input: its directory exists and is writable, it is not a directory, and it is not one
 * of the n `inputs` (NULL entries are skipped). 0, or KN_EXIT_INPUT with the error
 * printed. */
int kn_check_output(const char *out, const char *const *inputs, size_t n);

/* The same for a study's results file `out`, and for what is written beside it while
 * the study runs (OUT.tmp, OUT.journal). */
int kn_check_study_output(const char *out, const char *const *inputs, size_t n);

/* Default results path results/NAME.h5 (creating results/ if needed). */
void kn_default_output(char *buf, size_t cap, const char *from_file);

/* Options shared by run and compare. */
typedef struct sim_opts {
    char **sets;
    int nsets;
    int json, no_output, resume;
    long jobs;
    double level;
    const char *output;
    const char *replications, *seed;
    const char *plot_dir, *report; /* --plot DIR, --report FILE.html */
    int brief;                     /* --brief: headline table and verdict only */
    const char *from;              /* --from FILE: start from that status quo, then switch */
    double switch_days;            /* --switch-after DAYS under it (default 365) */
    long why;                      /* --why N: attribute with Shapley values up to N levers,
                                      one at a time above; 0: no attribution (default 5) */
    const char *payback;           /* --payback NAME[:lower]: the series the payback week
                                      is on (NULL: profit) */
} sim_opts;

/* Parse run/compare options into *o (zeroed by the caller); `usage` is the command's help.
 * Returns 1 to go on (the operands from argv[optind]; free(o->sets) when done), or 0
 * with *status the exit status to end with: 0 after --help, KN_EXIT_INPUT after a bad
 * option (error printed), KN_EXIT_FAIL when out of memory. */
int kn_sim_opts_parse(int argc, char **argv, sim_opts *o, const char *usage, int *status);

/* Load a scenario file and apply the overrides (and --replications/--seed, and --from:
 * the status quo's levers before start.days). */
int kn_load_scenario(kn_scenario *sc, const char *path, const sim_opts *o);

/* Summaries of scenario s from a study's values. */
int kn_summarize_scenario(const kn_study_out *out, size_t s, int reps, double level,
                          kn_summary sum[KN_METRIC_COUNT]);

/* Run n scenarios as a study of `kind` into out_path (NULL: no file); 0, or the exit
 * status with the error printed (out is then released). */
int kn_run_study(kn_scenario *sc, size_t n, const sim_opts *o, const char *kind,
                 const char *out_path, kn_study_out *out);

/* The verdict's second study (cli/why.c): the overall winner of the study in results
 * file `path` against its status quo, the levers that differ switched one at a time
 * and in combination, into PATH-why.h5 (a stale one is removed first). 0 also when
 * there is nothing to attribute; else the exit status with the error printed. */
int kn_why_study(kn_scenario *sc, int n, const sim_opts *o, const char *path);

/* "results: PATH" on stdout (after a blank line if asked), the path made safe for a
 * terminal. */
void kn_print_results_path(const char *path, int blank_line);

/* After a study, under MPI or not: a worker rank frees `out` and gets its exit status;
 * a failed study prints why, stops every rank and gets its exit status (2 for bad
 * input, else 1). -1: the study ran and this is the rank that reports it. */
int kn_study_ended(kn_status st, const kn_error *err, kn_study_out *out);

/* " (N MPI ranks)" when there are several, else "". */
void kn_mpi_ranks_note(char *buf, size_t cap);

/* Flush stdout; 0, or KN_EXIT_FAIL with the error printed. */
int kn_finish_output(void);

/* After a study's file is written: the verdict (organisation model, two or more
 * scenarios), then the charts and the HTML report if asked for. A failure here keeps
 * the results file and is exit 1. */
int kn_post_outputs(const char *path, const sim_opts *o);

#endif
