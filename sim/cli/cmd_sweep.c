/* cmd_sweep.c - `koning sweep FILE`: every point of a sweep file's design with its
 * replications, streamed to a results file, resumable, spread over MPI ranks under
 * mpirun (rank 0 writes the file and says how it went).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cluster.h"
#include "commands.h"
#include "koning/runner.h"
#include "options.h"
#include "study.h"
#include "sweep.h"

const char kn_usage_sweep[] =
    "usage: koning sweep FILE [-o OUT.h5] [options]\n"
    "\n"
    "Run a parameter sweep (docs/sweeps.md): every point of the design, each with its\n"
    "replications, interleaved so that a sweep cut short still covers the space, results\n"
    "streamed to OUT.h5 as they finish. A failed run is recorded and the sweep goes on\n"
    "(exit 1 at the end). Killed? `--resume` finishes it. Under mpirun the runs are\n"
    "spread over the ranks; rank 0 writes the file.\n"
    "\n"
    "  -o, --output FILE   results file (default: results/NAME.h5, NAME the sweep file's)\n"
    "  -j, --jobs N        simulations run at once on this machine (default: number of cores)\n"
    "  --resume            continue an interrupted sweep from OUT.h5.journal\n"
    "  --seed S            master seed (default: the sweep file's, else the base scenario's)\n"
    "  --replications R    replications per point (default: the sweep file's)\n"
    "  --level L           confidence level of the summaries in the file (default 0.95)\n"
    "  --quiet             no progress bar\n";

static kn_status point_of(void *sw, size_t i, kn_scenario *out, kn_error *err)
{
    return kn_sweep_scenario(sw, i, out, err);
}

int kn_cmd_sweep(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},   {"jobs", required_argument, 0, 'j'},
        {"resume", no_argument, 0, OPT_RESUME},  {"seed", required_argument, 0, OPT_SEED},
        {"replications", required_argument, 0, OPT_REPS}, {"level", required_argument, 0, OPT_LEVEL},
        {"quiet", no_argument, 0, OPT_QUIET},    {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *output = NULL;
    long jobs = kn_default_jobs(), v;
    int resume = 0, quiet = 0, c;
    double level = 0.95;
    kn_sweep_opts so = {0};
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'j': if (kn_opt_int("--jobs", optarg, 1, 4096, &jobs)) return KN_EXIT_INPUT; break;
        case OPT_RESUME: resume = 1; break;
        case OPT_QUIET: quiet = 1; break;
        case OPT_SEED: if (kn_opt_seed(optarg, &so.seed)) return KN_EXIT_INPUT;
            so.has_seed = 1; break;
        case OPT_REPS: if (kn_opt_int("--replications", optarg, 2, 100000, &v)) return KN_EXIT_INPUT;
            so.replications = (int)v; break;
        case OPT_LEVEL: if (kn_opt_double("--level", optarg, 0.5, 0.9999, &level)) return KN_EXIT_INPUT; break;
        case 'h': fputs(kn_usage_sweep, stdout); return 0;
        default: fputs(kn_usage_sweep, stderr); return KN_EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "koning sweep: expected one sweep FILE\n%s", kn_usage_sweep);
        return KN_EXIT_INPUT;
    }
    char default_path[KN_PATH_MAX];
    if (!output) {
        kn_default_output(default_path, sizeof default_path, argv[optind]);
        output = default_path;
    }
    kn_error err = {0};
    kn_sweep *sw = NULL;
    /* a bad output is said before a large sweep spends seconds building its points */
    int writer = !kn_study_is_worker(); /* under MPI only rank 0 writes (or needs to) */
    if (writer && kn_check_study_output(output, (const char *const *)&argv[optind], 1))
        return KN_EXIT_INPUT;
    if (kn_sweep_load_opts(&sw, argv[optind], &so, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        return KN_EXIT_INPUT;
    }
    const char *inputs[] = {argv[optind], kn_sweep_base_file(sw)};
    if (writer && kn_check_study_output(output, inputs, 2)) {
        kn_sweep_free(sw);
        return KN_EXIT_INPUT;
    }
    size_t n = kn_sweep_points(sw);
    int rc = KN_EXIT_FAIL;
    /* the points are made when their runs start: none is held for the whole sweep */
    kn_study_source src = {{n, point_of, sw}, kn_sweep_replications(sw), kn_sweep_periods(sw),
                           kn_sweep_last_day(sw), kn_sweep_fingerprint(sw)};
    kn_study_opts o = {"sweep", output, kn_command_line, kn_sweep_text(sw), (int)jobs, resume,
                       !quiet, level, NULL, NULL};
    kn_study_out out;
    kn_status st = kn_study_run_source(&src, &o, &out, &err);
    if ((rc = kn_study_ended(st, &err, &out)) >= 0)
        goto done;
    char ranks[32];
    kn_mpi_ranks_note(ranks, sizeof ranks);
    kn_eprintf("koning sweep: %zu points x %d replications = %llu runs, %llu failed; results in %s%s",
               n, kn_sweep_replications(sw), (unsigned long long)out.n_runs,
               (unsigned long long)out.n_failed, output, ranks);
    if (out.n_failed)
        kn_eprintf("koning sweep: first failure: %s", out.first_error);
    rc = out.n_failed ? KN_EXIT_FAIL : 0;
    kn_study_out_free(&out);
done:
    kn_sweep_free(sw);
    return rc;
}
