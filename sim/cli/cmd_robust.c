/* cmd_robust.c - `koning robust STUDY.yaml`: every policy of a study file in every
 * plausible world its design draws from the uncertainty file's ranges, on common random
 * numbers, as one ordinary study (journal, --resume, --jobs, MPI); then the verdict
 * across the worlds (views/robust_verdict.h) as text or JSON, and the charts and the
 * report if asked. `koning robust FILE.h5` prints the verdict of a finished study again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cluster.h"
#include "commands.h"
#include "h5read.h"
#include "koning/runner.h"
#include "options.h"
#include "robust.h"
#include "robust_run.h"
#include "robust_verdict.h"
#include "study.h"

const char kn_usage_robust[] =
    "usage: koning robust STUDY.yaml [-o OUT.h5] [options]\n"
    "       koning robust OUT.h5 [--json]     the verdict of a finished study again\n"
    "\n"
    "Who is king across plausible worlds (docs/robust.md): the study file names the\n"
    "policies (scenario files), the status quo they switch from, the uncertainty file that\n"
    "gives each assumed magnitude a range, and the design that draws worlds from the ranges\n"
    "(Latin hypercube; Saltelli for Sobol indices; Morris for screening). Every policy runs\n"
    "in every world on common random numbers. Then, per headline metric: the share of\n"
    "worlds where each policy is best and where it cannot be told from the best, regret,\n"
    "the policy of least maximum regret, which assumptions each gap hinges on, and where\n"
    "each win flips (PRIM). Runs are streamed to OUT.h5; killed? `--resume` finishes it;\n"
    "under mpirun the runs are spread over the ranks.\n"
    "\n"
    "  -o, --output FILE   results file (default: results/NAME.h5, NAME the study file's)\n"
    "  -j, --jobs N        simulations run at once on this machine (default: number of cores)\n"
    "  --resume            continue an interrupted study from OUT.h5.journal\n"
    "  --seed S            master seed: the worlds and the runs (default: the study file's)\n"
    "  --replications R    replications per policy and world (default: the study file's)\n"
    "  --worlds N          the design's size: worlds (Latin hypercube), base rows (Saltelli)\n"
    "                      or trajectories (Morris), instead of the study file's\n"
    "  --set KEY=VALUE     override a key in every policy (repeatable)\n"
    "  --json              the verdict as one JSON object\n"
    "  --plot DIR          then draw the charts into DIR (win shares, sensitivity, tipping maps)\n"
    "  --report FILE.html  then write the HTML report\n"
    "  --quiet             no progress bar\n";

enum { OPT_WORLDS = 512, OPT_JSON };

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && !strcmp(s + n - t, tail);
}

/* No output may overwrite an input: the study file, the uncertainty file, a policy's
 * file (nor the report the results file). Under MPI only rank 0 writes and checks. */
static int check_outputs(const kn_robust_def *def, const char *output, const char *report)
{
    size_t n = def->n_policies + 3;
    const char **inputs = calloc(n, sizeof *inputs);
    if (!inputs)
        return KN_EXIT_FAIL;
    inputs[0] = def->file;
    inputs[1] = def->unc_file;
    for (size_t p = 0; p < def->n_policies; p++)
        inputs[2 + p] = def->policy_file[p];
    int rc = kn_check_study_output(output, inputs, n - 1);
    if (rc == 0 && report) {
        inputs[n - 1] = output;
        rc = kn_check_output(report, inputs, n);
    }
    free(inputs);
    return rc;
}

/* The verdict of a robust results file, as text or JSON. */
static int verdict(const char *path, int json)
{
    kn_error err = {0};
    kn_h5r *r = NULL;
    kn_h5r_study st;
    kn_rb_verdict v;
    if (kn_h5r_open(&r, path, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        return KN_EXIT_INPUT;
    }
    int rc = 0;
    if (kn_h5r_study_load(r, &st, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        kn_h5r_close(r);
        return KN_EXIT_INPUT;
    }
    kn_status s = kn_rb_verdict_load(r, &st, &v, &err);
    if (s != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        rc = s == KN_ENOMEM ? KN_EXIT_FAIL : KN_EXIT_INPUT;
    } else {
        if (json)
            kn_rb_verdict_json(stdout, &v);
        else
            kn_rb_verdict_print(stdout, &v);
        kn_rb_verdict_free(&v);
        rc = kn_finish_output();
    }
    kn_h5r_study_free(&st);
    kn_h5r_close(r);
    return rc;
}

int kn_cmd_robust(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},   {"jobs", required_argument, 0, 'j'},
        {"resume", no_argument, 0, OPT_RESUME},  {"seed", required_argument, 0, OPT_SEED},
        {"replications", required_argument, 0, OPT_REPS}, {"worlds", required_argument, 0, OPT_WORLDS},
        {"set", required_argument, 0, OPT_SET},  {"json", no_argument, 0, OPT_JSON},
        {"plot", required_argument, 0, OPT_PLOT}, {"report", required_argument, 0, OPT_REPORT},
        {"quiet", no_argument, 0, OPT_QUIET},    {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *output = NULL;
    sim_opts post = {0};
    long jobs = kn_default_jobs(), v;
    int resume = 0, quiet = 0, json = 0, c;
    kn_robust_opts ro = {0};
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    if (!sets)
        return KN_EXIT_FAIL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'j': if (kn_opt_int("--jobs", optarg, 1, 4096, &jobs)) goto bad; break;
        case OPT_RESUME: resume = 1; break;
        case OPT_QUIET: quiet = 1; break;
        case OPT_JSON: json = 1; break;
        case OPT_PLOT: post.plot_dir = optarg; break;
        case OPT_REPORT: post.report = optarg; break;
        case OPT_SET: sets[ro.n_sets++] = optarg; break;
        case OPT_SEED: if (kn_opt_seed(optarg, &ro.seed)) goto bad;
            ro.has_seed = 1; break;
        case OPT_REPS: if (kn_opt_int("--replications", optarg, 2, 100000, &v)) goto bad;
            ro.replications = (int)v; break;
        case OPT_WORLDS: if (kn_opt_int("--worlds", optarg, 2, KN_ROBUST_MAX_WORLDS, &v)) goto bad;
            ro.worlds = (size_t)v; break;
        case 'h': fputs(kn_usage_robust, stdout); free(sets); return 0;
        default: fputs(kn_usage_robust, stderr); goto bad;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "koning robust: expected one STUDY.yaml (or a robust results FILE.h5)\n%s",
                kn_usage_robust);
        goto bad;
    }
    if (json && (post.plot_dir || post.report)) {
        fprintf(stderr, "koning: --plot and --report go with the text output, not --json\n");
        goto bad;
    }
    const char *file = argv[optind];
    if (ends_with(file, ".h5")) {
        if (output || resume || ro.n_sets || ro.has_seed || ro.replications || ro.worlds) {
            kn_eprintf("koning robust: %s is a results file: only --json, --plot and --report "
                       "go with it (nothing is simulated)", file);
            goto bad;
        }
        free(sets);
        if (post.report && kn_check_output(post.report, (const char *const[]){file}, 1) != 0)
            return KN_EXIT_INPUT;
        int rc = verdict(file, json);
        return rc == 0 && !json ? kn_post_outputs(file, &post) : rc;
    }
    ro.sets = sets;
    char default_path[KN_PATH_MAX];
    if (!output) {
        kn_default_output(default_path, sizeof default_path, file);
        output = default_path;
    }
    kn_error err = {0};
    kn_robust_def *def = NULL;
    kn_robust_plan plan = {0};
    int rc = KN_EXIT_INPUT;
    if (kn_robust_load(&def, file, &ro, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        rc = err.code == KN_ENOMEM ? KN_EXIT_FAIL : KN_EXIT_INPUT;
        goto done;
    }
    if (!kn_study_is_worker() && (rc = check_outputs(def, output, post.report)) != 0)
        goto done; /* said */
    rc = KN_EXIT_INPUT;
    if (kn_robust_plan_make(def, &plan, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        rc = err.code == KN_ESCENARIO ? KN_EXIT_INPUT : KN_EXIT_FAIL;
        goto done;
    }
    kn_study_opts so = {"robust", output, kn_command_line, NULL, (int)jobs, resume, !quiet, 0.95,
                        NULL, NULL};
    kn_study_out out;
    kn_status st = kn_robust_run(def, &plan, &so, &out, &err);
    if ((rc = kn_study_ended(st, &err, &out)) >= 0)
        goto done;
    char ranks[32];
    kn_mpi_ranks_note(ranks, sizeof ranks);
    kn_eprintf("koning robust: %zu policies x %zu worlds x %d replications = %llu runs, %llu "
               "failed; results in %s%s", def->n_policies, def->n_worlds, def->replications,
               (unsigned long long)out.n_runs, (unsigned long long)out.n_failed, output, ranks);
    if (out.n_failed)
        kn_eprintf("koning robust: first failure: %s", out.first_error);
    int failed = out.n_failed > 0;
    kn_study_out_free(&out);
    rc = verdict(output, json);
    if (rc == 0 && !json)
        rc = kn_post_outputs(output, &post);
    if (rc == 0 && failed)
        rc = KN_EXIT_FAIL;
done:
    kn_robust_plan_free(&plan);
    kn_robust_free(def);
    free(sets);
    return rc;
bad:
    free(sets);
    return KN_EXIT_INPUT;
}
