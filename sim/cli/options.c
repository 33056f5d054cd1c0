/* options.c - what several subcommands share (options.h): reading option values
 * (--jobs, --level, --format, ...) with one-line errors, the default results path, the
 * options of run and compare and their checks, loading a scenario with its --set
 * overrides, running a study, and the verdict, charts and report that follow it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "commands.h"
#include "h5out.h"
#include "h5read.h"
#include "htmlreport.h"
#include "koning/runner.h"
#include "options.h"
#include "plot.h"
#include "scenario_yaml.h"
#include "strbuf.h"
#include "study.h"
#include "tables.h"
#include "cluster.h"
#include "verdict.h"

char *kn_command_line; /* set in main */

void kn_eprintf(const char *fmt, ...)
{
    char msg[2 * KN_ERROR_MSG_MAX], safe[4 * KN_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", kn_tty_text(safe, sizeof safe, msg));
}

int kn_opt_int(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi) {
        kn_eprintf("koning: option '%s': expected an integer in [%ld, %ld], got '%s'",
                opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

int kn_opt_seed(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-') {
        kn_eprintf("koning: option '--seed': expected an integer in [0, 2^64-1], got '%s'", s);
        return -1;
    }
    *out = v;
    return 0;
}

int kn_opt_double(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno || !isfinite(v) || v < lo || v > hi) {
        kn_eprintf("koning: option '%s': expected a number in [%g, %g], got '%s'", opt,
                lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

int kn_opt_format(const char *s, int *json)
{
    if (!strcmp(s, "json"))
        *json = 1;
    else if (!strcmp(s, "table"))
        *json = 0;
    else
    {
        kn_eprintf("koning: option '--format': expected table or json, got '%s'", s);
        return KN_EXIT_INPUT;
    }
    return 0;
}

int kn_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int kn_check_output(const char *out, const char *const *inputs, size_t n)
{
    kn_error err = {0};
    if (kn_h5_check_writable(out, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        return KN_EXIT_INPUT;
    }
    for (size_t i = 0; i < n; i++)
        if (inputs[i] && kn_same_file(out, inputs[i])) {
            kn_eprintf("koning: %s: would overwrite the input file %s; choose another output "
                       "name", out, inputs[i]);
            return KN_EXIT_INPUT;
        }
    return 0;
}

int kn_check_study_output(const char *out, const char *const *inputs, size_t n)
{
    static const char *const side[] = {".tmp", ".journal"}; /* what a study writes beside it */
    KN_CHECK(kn_check_output(out, inputs, n));
    for (size_t k = 0; k < sizeof side / sizeof side[0]; k++) {
        char path[KN_PATH_MAX + 16];
        snprintf(path, sizeof path, "%s%s", out, side[k]);
        for (size_t i = 0; i < n; i++)
            if (inputs[i] && kn_same_file(path, inputs[i])) {
                kn_eprintf("koning: %s: its %s would overwrite the input file %s; choose "
                           "another output name", out, path, inputs[i]);
                return KN_EXIT_INPUT;
            }
    }
    return 0;
}

void kn_default_output(char *buf, size_t cap, const char *from_file)
{
    const char *base = strrchr(from_file, '/');
    base = base ? base + 1 : from_file;
    size_t n = strcspn(base, ".");
    if (n == 0)
        n = strlen(base);
    mkdir("results", 0755);
    snprintf(buf, cap, "results/%.*s.h5", (int)(n > 200 ? 200 : n), base);
}

/* Returns -1 (error printed), 1 (--help shown) or 0. */
static int parse_sim_opts(int argc, char **argv, sim_opts *o, const char *usage)
{
    static const struct option opts[] = {
        {"set", required_argument, 0, OPT_SET},      {"format", required_argument, 0, OPT_FORMAT},
        {"jobs", required_argument, 0, 'j'},         {"replications", required_argument, 0, OPT_REPS},
        {"seed", required_argument, 0, OPT_SEED},    {"level", required_argument, 0, OPT_LEVEL},
        {"output", required_argument, 0, 'o'},       {"no-output", no_argument, 0, OPT_NO_OUTPUT},
        {"resume", no_argument, 0, OPT_RESUME},      {"help", no_argument, 0, 'h'},
        {"plot", required_argument, 0, OPT_PLOT},    {"report", required_argument, 0, OPT_REPORT},
        {"brief", no_argument, 0, OPT_BRIEF},        {"from", required_argument, 0, OPT_FROM},
        {"switch-after", required_argument, 0, OPT_SWITCH}, {"why", required_argument, 0, OPT_WHY},
        {"payback", required_argument, 0, OPT_PAYBACK}, {0, 0, 0, 0}};
    int c;
    o->jobs = kn_default_jobs();
    o->level = 0.95;
    o->switch_days = -1.0;
    o->why = 5;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:o:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_SET: o->sets[o->nsets++] = optarg; break;
        case OPT_FORMAT: if (kn_opt_format(optarg, &o->json)) return -1; break;
        case 'j': if (kn_opt_int("--jobs", optarg, 1, 4096, &o->jobs)) return -1; break;
        case OPT_REPS: o->replications = optarg; break;
        case OPT_SEED: o->seed = optarg; break;
        case OPT_LEVEL: if (kn_opt_double("--level", optarg, 0.5, 0.9999, &o->level)) return -1; break;
        case 'o': o->output = optarg; break;
        case OPT_NO_OUTPUT: o->no_output = 1; break;
        case OPT_RESUME: o->resume = 1; break;
        case OPT_PLOT: o->plot_dir = optarg; break;
        case OPT_REPORT: o->report = optarg; break;
        case OPT_BRIEF: o->brief = 1; break;
        case OPT_FROM: o->from = optarg; break;
        case OPT_SWITCH: if (kn_opt_double("--switch-after", optarg, 1, 3650, &o->switch_days)) return -1; break;
        case OPT_WHY: if (kn_opt_int("--why", optarg, 0, 10, &o->why)) return -1; break;
        case OPT_PAYBACK: o->payback = optarg; break;
        case 'h': fputs(usage, stdout); return 1;
        default: fputs(usage, stderr); return -1;
        }
    }
    if (o->no_output && (o->output || o->resume)) {
        kn_eprintf("koning: --no-output cannot go with --output or --resume");
        return -1;
    }
    if (o->no_output && (o->plot_dir || o->report)) {
        fprintf(stderr, "koning: --plot and --report draw from the results file; they cannot go "
                "with --no-output\n");
        return -1;
    }
    if (o->switch_days >= 0.0 && !o->from) {
        fprintf(stderr, "koning: --switch-after goes with --from (the status quo to switch from)\n");
        return -1;
    }
    if (o->switch_days >= 0.0 && o->switch_days != floor(o->switch_days)) {
        fprintf(stderr, "koning: option '--switch-after': expected whole days, got '%g'\n", o->switch_days);
        return -1;
    }
    if (o->from && o->switch_days < 0.0)
        o->switch_days = 365.0;
    if (o->json && (o->brief || o->plot_dir || o->report)) {
        kn_eprintf("koning: --brief, --plot and --report go with the table format only");
        return -1;
    }
    return 0;
}

int kn_sim_opts_parse(int argc, char **argv, sim_opts *o, const char *usage, int *status)
{
    o->sets = calloc((size_t)argc + 1, sizeof *o->sets);
    if (!o->sets) {
        *status = KN_EXIT_FAIL;
        return 0;
    }
    int p = parse_sim_opts(argc, argv, o, usage);
    if (p != 0) {
        free(o->sets);
        o->sets = NULL;
        *status = p > 0 ? 0 : KN_EXIT_INPUT;
        return 0;
    }
    return 1;
}

/* Whether the override "key=value" sets key p (or the block holding it). */
static int sets_key(const char *assignment, const kn_param *p)
{
    size_t n = strcspn(assignment, "=");
    while (n > 0 && (assignment[n - 1] == ' ' || assignment[n - 1] == '\t'))
        n--;
    while (n > 0 && (*assignment == ' ' || *assignment == '\t'))
        assignment++, n--;
    return p && n > 0 && !strncmp(assignment, p->path, n) && (!p->path[n] || p->path[n] == '.');
}

/* The overrides that set a key of fault f, as "--set a=1, --seed 2" (all of them when
 * none does), into b. */
static void overrides_at_fault(const sim_opts *o, const kn_scenario_fault *f, kn_strbuf *b)
{
    const kn_param *reps = kn_param_find("run.replications"), *seed = kn_param_find("run.seed");
    for (int all = 0; all < 2 && !b->n; all++) {
        for (int i = 0; i < o->nsets; i++)
            if (all || sets_key(o->sets[i], f->key) || sets_key(o->sets[i], f->near))
                kn_sb_printf(b, "%s--set %s", b->n ? ", " : "", o->sets[i]);
        if (o->replications && (all || f->key == reps || f->near == reps))
            kn_sb_printf(b, "%s--replications %s", b->n ? ", " : "", o->replications);
        if (o->seed && (all || f->key == seed || f->near == seed))
            kn_sb_printf(b, "%s--seed %s", b->n ? ", " : "", o->seed);
    }
}

int kn_load_scenario(kn_scenario *sc, const char *path, const sim_opts *o)
{
    kn_error err = {0};
    char buf[128];
    if (kn_scenario_load(sc, path, &err) != KN_OK)
        goto bad;
    for (int i = 0; i < o->nsets; i++)
        if (kn_scenario_set(sc, o->sets[i], &err) != KN_OK)
            goto bad;
    if (o->replications) {
        snprintf(buf, sizeof buf, "run.replications=%.60s", o->replications);
        if (kn_scenario_set(sc, buf, &err) != KN_OK)
            goto bad;
    }
    if (o->seed) {
        snprintf(buf, sizeof buf, "run.seed=%.60s", o->seed);
        if (kn_scenario_set(sc, buf, &err) != KN_OK)
            goto bad;
    }
    if (o->from) { /* the status quo's levers until the switch */
        kn_scenario sq;
        if (kn_scenario_load(&sq, o->from, &err) != KN_OK)
            goto bad;
        for (int i = 0; i < o->nsets; i++) /* --set overrides the status quo too */
            if (kn_scenario_set(&sq, o->sets[i], &err) != KN_OK)
                goto bad;
        sc->start.policy = sq.policy;
        sc->start.days = o->switch_days;
    }
    kn_scenario_fault f;
    if (kn_scenario_validate(sc, &f) != KN_OK) {
        /* the file alone was valid: its overrides broke a rule across keys */
        kn_strbuf sets = {0};
        overrides_at_fault(o, &f, &sets);
        kn_eprintf("koning: %s, after %s: key '%s': %s", path, sets.s ? sets.s : "",
                f.name, f.reason);
        kn_sb_free(&sets);
        return -1;
    }
    return 0;
bad:
    kn_eprintf("koning: %s", err.msg);
    return -1;
}

int kn_summarize_scenario(const kn_study_out *out, size_t s, int reps, double level,
                          kn_summary sum[KN_METRIC_COUNT])
{
    kn_error err = {0};
    const double *v = out->values + s * (size_t)out->max_reps * KN_METRIC_COUNT;
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        if (kn_summarize(v + m, (size_t)reps, KN_METRIC_COUNT, level, &sum[m], &err) != KN_OK) {
            kn_eprintf("koning: %s", err.msg);
            return -1;
        }
    return 0;
}

int kn_run_study(kn_scenario *sc, size_t n, const sim_opts *o, const char *kind,
                 const char *out_path, kn_study_out *out)
{
    /* no output may overwrite a scenario file (nor the report the results file) */
    const char **inputs = calloc(n + 2, sizeof *inputs);
    int bad = !inputs, writer = !kn_study_is_worker(); /* under MPI only rank 0 writes */
    for (size_t i = 0; inputs && i < n; i++)
        inputs[i] = sc[i].file[0] ? sc[i].file : NULL;
    if (inputs)
        inputs[n] = o->from; /* the status quo's file is an input too */
    if (!bad && writer && out_path)
        bad = kn_check_study_output(out_path, inputs, n + 1) != 0;
    if (!bad && writer && o->report) {
        inputs[n + 1] = out_path;
        bad = kn_check_output(o->report, inputs, n + 2) != 0;
    }
    free(inputs);
    if (bad) {
        memset(out, 0, sizeof *out);
        return KN_EXIT_INPUT;
    }
    kn_study_opts so = {kind, out_path, kn_command_line, NULL, (int)o->jobs, o->resume, 1, o->level,
                       NULL, NULL};
    kn_error err = {0};
    if (kn_study_run(sc, n, &so, out, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        /* KN_EUSAGE: it could not start (output path, journal): the user's input */
        return err.code == KN_EUSAGE ? KN_EXIT_INPUT : KN_EXIT_FAIL;
    }
    if (out->n_failed) {
        kn_eprintf("koning: %llu of %llu runs failed; first: %s",
                (unsigned long long)out->n_failed, (unsigned long long)out->n_runs, out->first_error);
        if (out_path)
            kn_eprintf("koning: every run, failed ones with their error, is in %s", out_path);
        kn_study_out_free(out);
        return KN_EXIT_FAIL;
    }
    return 0;
}

void kn_print_results_path(const char *path, int blank_line)
{
    char safe[KN_TTY_MAX];
    printf("%sresults: %s\n", blank_line ? "\n" : "", kn_tty_text(safe, sizeof safe, path));
}

int kn_finish_output(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        kn_eprintf("koning: cannot write the results to standard output: %s", strerror(errno));
        return KN_EXIT_FAIL;
    }
    return 0;
}

int kn_post_outputs(const char *path, const sim_opts *o)
{
    kn_error err = {0};
    kn_h5r *r = NULL;
    kn_h5r_study st;
    /* the file this command has just written (or, for `robust FILE.h5`, has just read) */
    if (kn_h5r_open_own(&r, path, &err) == KN_OK && kn_h5r_study_load(r, &st, &err) == KN_OK) {
        if (st.organisation && st.n_scen >= 2 && strcmp(st.kind, "robust") != 0) {
            kn_verdict v;
            if (kn_verdict_from_file_payback(r, &st, o->payback, &v, &err) == KN_OK) {
                char why[KN_PATH_MAX];
                kn_verdict_why_path(path, why, sizeof why);
                kn_error werr = {0};
                if (access(why, R_OK) == 0 && kn_verdict_why(why, &st, &v, &werr) != KN_OK)
                    kn_eprintf("koning: %s", werr.msg);
                fputc('\n', stdout);
                kn_verdict_print(stdout, &st, &v);
                kn_verdict_free(&v);
            } else {
                kn_eprintf("koning: %s", err.msg);
            }
        }
        kn_h5r_study_free(&st);
    } else {
        kn_eprintf("koning: %s", err.msg);
        kn_h5r_close(r);
        return KN_EXIT_FAIL;
    }
    kn_h5r_close(r);
    fflush(stdout);
    int rc = 0;
    if (o->plot_dir) {
        kn_plot_opts po = {0};
        po.quiet = 1;
        kn_plot_list made = {0};
        if (kn_plot_file(path, o->plot_dir, &po, &made, &err) != KN_OK) {
            kn_eprintf("koning: %s (the results are kept in %s)", err.msg, path);
            rc = KN_EXIT_FAIL;
        } else {
            char dir[KN_TTY_MAX];
            printf("plots: %zu charts in %s/ (PNG, SVG, PDF, with their .dat and .gp)\n", made.n,
                   kn_tty_text(dir, sizeof dir, o->plot_dir));
        }
        kn_plot_list_free(&made);
    }
    if (o->report) {
        if (kn_report_html(path, o->report, &err) != KN_OK) {
            kn_eprintf("koning: %s (the results are kept in %s)", err.msg, path);
            rc = KN_EXIT_FAIL;
        } else {
            char page[KN_TTY_MAX];
            printf("report: %s\n", kn_tty_text(page, sizeof page, o->report));
        }
    }
    return rc;
}

int kn_study_ended(kn_status st, const kn_error *err, kn_study_out *out)
{
    if (kn_study_is_worker()) {
        if (st != KN_OK)
            kn_eprintf("koning: rank %d: %s", kn_mpi_rank(), err->msg);
        kn_study_out_free(out);
        return st == KN_OK ? 0 : KN_EXIT_FAIL;
    }
    if (st == KN_OK)
        return -1;
    kn_eprintf("koning: %s", err->msg);
    int rc = st == KN_EUSAGE ? KN_EXIT_INPUT : KN_EXIT_FAIL;
    kn_mpi_abort(rc);
    return rc;
}

void kn_mpi_ranks_note(char *buf, size_t cap)
{
    buf[0] = '\0';
    if (kn_mpi_size() > 1)
        snprintf(buf, cap, " (%d MPI ranks)", kn_mpi_size());
}
