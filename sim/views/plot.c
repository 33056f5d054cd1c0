/* plot.c - `koning plot`: the charts of a results file, drawn by one gnuplot process.
 *
 * The file is read with the read-only reader (h5read.h). Every chart NAME becomes
 * NAME.dat (plain columns, described in a header comment), NAME.gp (a complete gnuplot
 * script that reads NAME.dat by a relative path and writes the images) and the images
 * NAME.png / .svg / .pdf. The script text is written to NAME.gp and sent, unchanged, to
 * gnuplot, which runs with the output directory as its working directory, so the
 * directory name never reaches gnuplot at all.
 *
 * This file is the driver: it opens the file, decides which charts suit it (the plan),
 * starts gnuplot and runs the charts. The rest is in plot_pipe.c (the gnuplot process),
 * plot_script.c (what all charts share), plot_series.c, plot_summary.c and plot_sweep.c
 * (the charts), with their shared declarations in plot_int.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "plot_int.h"
#include "robust_verdict.h"
#include "stop.h"

#define DEFAULT_MAX_RUNS 40

/* ---- what is drawn --------------------------------------------------------------------- */

/* The metrics, as the file names their datasets (plot_int.h describes the fields). */
static const metric_desc m_retention = {
    "retention", "retention_by_period", "retention", "Customer retention", "retention",
    "customers kept (share per year)", "share per year", "retention (share/year)",
    0, 1, 1, 0, 0, 0.0};
static const metric_desc m_quality = {
    "service_quality", "service_quality_by_period", "service_quality", "Service quality",
    "service quality", "perceived service quality (0 to 1)", "0 to 1", "quality (0-1)",
    0, 1, 1, 0, 0, 0.0};
static const metric_desc m_turnover = {
    "staff_turnover", "staff_turnover_by_period", "staff_turnover",
    "Staff turnover (trailing 13 weeks)", "staff turnover",
    "quits per employee per year, trailing 13 weeks", "quits per employee per year",
    "turnover (1/year)", 0, 0, 1, 1, 1, 91.0};
static const metric_desc m_morale = {
    "mean_morale", "mean_morale_by_period", "mean_morale", "Staff morale", "morale",
    "mean morale of employees (0 to 1)", "0 to 1", "morale (0-1)",
    0, 1, 1, 0, 0, 0.0};
static const metric_desc m_exhaustion = {
    "mean_exhaustion", "mean_exhaustion_by_period", "mean_exhaustion", "Staff exhaustion",
    "exhaustion", "mean exhaustion of employees (0 to 1)", "0 to 1", "exhaustion (0-1)",
    0, 1, 1, 1, 0, 0.0};
static const metric_desc m_complaints = {
    "complaints", "complaints_by_period", "complaints_per_week", "Complaints", "complaints",
    "complaints per week", "per week", "complaints per week",
    1, 0, 1, 1, 0, 0.0};
static const metric_desc m_profit = {
    "profit", "profit_by_period", "profit", "Profit", "profit", "profit (money units per week)",
    "money units per week", "profit per week",
    1, 0, 0, 0, 0, 0.0};
static const metric_desc m_p_wait = {
    "p_wait", "p_wait_by_period", "p_wait", "Share of arrivals who waited", "P(wait)",
    "share of arrivals who waited", "share of arrivals", "P(wait)",
    0, 1, 1, 1, 0, 0.0};
static const metric_desc m_wait = {
    "mean_wait_minutes", "mean_wait_minutes_by_period", "mean_wait_minutes", "Mean wait",
    "mean wait", "mean wait in queue (minutes)", "minutes", "mean wait (min)",
    0, 0, 1, 1, 0, 0.0};
static const metric_desc m_p_abandon = {
    "p_abandon", "p_abandon_by_period", "p_abandon", "Share of arrivals who abandoned",
    "P(abandon)", "share of arrivals who abandoned", "share of arrivals", "P(abandon)",
    0, 1, 1, 1, 0, 0.0};
static const metric_desc m_util = {
    "utilization", "utilization_by_period", "utilization", "Utilisation", "utilisation",
    "utilisation (share of staffed time serving)", "share of staffed time", "utilisation",
    0, 1, 1, 0, 0, 0.0};

static const metric_desc *const org_headline[4] = {&m_retention, &m_quality, &m_turnover, &m_profit};
static const metric_desc *const queue_headline[4] = {&m_p_wait, &m_wait, &m_p_abandon, &m_util};

/* Set the error, bad input (as kn_pl_fail_run does for a failure), and return code. */
static kn_status fail_input(plot_ctx *c, kn_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static kn_status fail_input(plot_ctx *c, kn_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[KN_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->bad_input = 1;
    return kn_error_set(c->err, code, "%s", msg);
}

/* ---- names on charts ------------------------------------------------------------------- */

/* The names shown in legends and on axes: a name of more than DISPLAY_CHARS characters
 * loses the start all names share (up to a space or '[', so a sweep point
 * "study [a=1, b=2]" keeps "b=2]"), and what is still too long is cut, with an ellipsis. */
static void display_names(char *const *names, size_t n, char (*out)[DISPLAY_MAX])
{
    size_t common = 0;
    if (n >= 2) {
        common = strlen(names[0]);
        for (size_t s = 1; s < n; s++) {
            size_t k = 0;
            while (k < common && names[s][k] == names[0][k])
                k++;
            common = k;
        }
        while (common > 0 && names[0][common - 1] != ' ' && names[0][common - 1] != '[')
            common--;
    }
    for (size_t s = 0; s < n; s++) {
        const char *nm = names[s];
        char buf[DISPLAY_MAX * 2];
        if (kn_pl_utf8_len(nm) > DISPLAY_CHARS && common > 0 && nm[common])
            snprintf(buf, sizeof buf, "\xE2\x80\xA6%s", nm + common);
        else
            snprintf(buf, sizeof buf, "%s", nm);
        if (kn_pl_utf8_len(buf) > DISPLAY_CHARS) {
            size_t k = 0, chars = 0;
            while (buf[k] && chars < DISPLAY_CHARS - 1) {
                k++;
                while (((unsigned char)buf[k] & 0xC0) == 0x80)
                    k++;
                chars++;
            }
            snprintf(buf + k, sizeof buf - k, "\xE2\x80\xA6");
        }
        kn_pl_copy_text(out[s], DISPLAY_MAX, buf);
    }
}

/* ---- planning -------------------------------------------------------------------------- */

typedef struct plan_list {
    chart_plan *p;
    size_t n, cap;
} plan_list;

static chart_plan *plan_add(plan_list *l, int kind, const char *name)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        chart_plan *np = realloc(l->p, cap * sizeof *np);
        if (!np)
            return NULL;
        l->p = np;
        l->cap = cap;
    }
    chart_plan *p = &l->p[l->n++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    snprintf(p->name, sizeof p->name, "%s", name);
    return p;
}

/* A sweep key as part of a chart's file name: other characters than [A-Za-z0-9_-] as '-'. */
static void key_file_part(const char *key, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *p = key; *p && k + 1 < cap; p++)
        out[k++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                           *p == '_' || *p == '-'
                       ? *p
                       : '-';
    out[k] = '\0';
}

/* A robust study's charts: win shares, then per metric its sensitivity and its map. */
static kn_status robust_plan(plot_ctx *c, plan_list *l)
{
    chart_plan *p;
    if (!(p = plan_add(l, CH_ROBUST_WINS, "robust_wins")))
        return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
    for (size_t m = 0; m < KN_RB_METRICS; m++) {
        char name[128];
        int sens = 0;
        for (size_t g = 0; g < c->rb->n_gaps; g++)
            sens |= c->rb->gap[g].metric == m && c->rb->gap[g].sens;
        snprintf(name, sizeof name, "robust_sensitivity_%s", kn_rb_metric_name(m));
        if (sens && !(p = plan_add(l, CH_ROBUST_SENS, name)))
            return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        if (sens)
            p->key = m;
        snprintf(name, sizeof name, "robust_map_%s", kn_rb_metric_name(m));
        if (c->rb->map_y[m] != SIZE_MAX && !(p = plan_add(l, CH_ROBUST_MAP, name)))
            return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        if (c->rb->map_y[m] != SIZE_MAX)
            p->key = m;
    }
    return KN_OK;
}

static kn_status make_plan(plot_ctx *c, plan_list *l)
{
    int sweep = !strcmp(c->st.kind, "sweep") && c->nkeys > 0;
    const metric_desc *const *head = c->st.organisation ? org_headline : queue_headline;
    chart_plan *p;
    if (c->rb)
        return robust_plan(c, l);
    if (!sweep) {
        static const metric_desc *const org_series[] = {&m_retention, &m_quality, &m_turnover,
                                                        NULL, &m_complaints, &m_profit};
        if (c->st.organisation) {
            for (size_t i = 0; i < sizeof org_series / sizeof org_series[0]; i++) {
                if (!org_series[i]) {
                    if (!(p = plan_add(l, CH_SERIES, "morale_exhaustion")))
                        return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
                    p->m[0] = &m_morale;
                    p->m[1] = &m_exhaustion;
                    p->nm = 2;
                    continue;
                }
                if (!(p = plan_add(l, CH_SERIES, org_series[i]->name)))
                    return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
                p->m[0] = org_series[i];
                p->nm = 1;
            }
        } else {
            for (size_t i = 0; i < 4; i++) {
                if (!(p = plan_add(l, CH_SERIES, head[i]->name)))
                    return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
                p->m[0] = head[i];
                p->nm = 1;
            }
        }
        if (!(p = plan_add(l, CH_SUMMARY, "summary")))
            return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        memcpy(p->m, head, sizeof p->m);
        p->nm = 4;
        if (c->st.organisation) {
            if (!(p = plan_add(l, CH_MULTIPLES, "small_multiples")))
                return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
            memcpy(p->m, head, sizeof p->m);
            p->nm = 4;
            /* the switch from the status quo (plot_switch.c; skipped when there is none) */
            if (!(p = plan_add(l, CH_SWITCH_PAYBACK, "switch-payback")))
                return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
            if (!(p = plan_add(l, CH_SWITCH_TRANSITION, "switch-transition")))
                return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
            memcpy(p->m, head, sizeof p->m);
            p->nm = 4;
        }
        return KN_OK;
    }
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < c->nkeys; k++) {
            char name[128], kf[100];
            key_file_part(c->keys[k].name, kf, sizeof kf);
            snprintf(name, sizeof name, "sweep_%s_vs_%s", head[i]->name, kf);
            if (!(p = plan_add(l, CH_SWEEP, name)))
                return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
            p->m[0] = head[i];
            p->nm = 1;
            p->key = k;
        }
    if (c->nkeys >= 2 && c->grid)
        for (size_t i = 0; i < 4; i++) {
            char name[128];
            snprintf(name, sizeof name, "heatmap_%s", head[i]->name);
            if (!(p = plan_add(l, CH_HEATMAP, name)))
                return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
            p->m[0] = head[i];
            p->nm = 1;
        }
    return KN_OK;
}

/* 1 when chart `name` is in the comma-separated list `only` (or there is no list). */
static int wanted(const char *only, const char *name)
{
    if (!only || !*only)
        return 1;
    size_t len = strlen(name);
    for (const char *p = only; *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == len && !strncmp(p, name, len))
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

/* ---- the whole run --------------------------------------------------------------------- */

static int mkdir_p(const char *dir)
{
    char buf[PATH_MAX];
    struct stat st;
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) && errno != EEXIST)
        return -1;
    if (stat(buf, &st))
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    if (access(buf, W_OK | X_OK))
        return -1;
    return 0;
}

/* Remove the files of a chart that was not finished (a failure, an interruption). */
static void remove_chart_files(const plot_ctx *c, const char *name)
{
    static const char *const ext[] = {"dat", "gp", "png", "svg", "pdf"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s.%s", c->dir, name, ext[i]) < (int)sizeof path)
            unlink(path);
    }
}

static kn_status gnuplot_gone(plot_ctx *c, kn_status rc)
{
    char errl[512] = "";
    int status = kn_pl_gp_finish(&c->gp);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return kn_pl_fail_run(c, KN_EIO, "gnuplot not found on PATH; install it (Debian: apt-get "
                                         "install gnuplot-nox)");
    if (kn_pl_gp_errors(&c->gp, errl, sizeof errl, 1))
        return kn_pl_fail_run(c, KN_EIO, "gnuplot failed: %s", errl);
    if (WIFEXITED(status))
        return kn_pl_fail_run(c, KN_EIO, "gnuplot failed: it ended early (exit status %d)",
                              WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return kn_pl_fail_run(c, KN_EIO, "gnuplot failed: killed by signal %d", WTERMSIG(status));
    return rc != KN_OK ? rc : kn_pl_fail_run(c, KN_EIO, "gnuplot failed");
}

static kn_status plot_run(plot_ctx *c, const char *h5path, const char *dir_in,
                          const kn_plot_opts *opts)
{
    kn_status rc;
    plan_list plan = {0};
    char dirbuf[PATH_MAX], prog[PATH_MAX];
    int made_dir = 0; /* the output directory did not exist */
    c->h5path = h5path;
    c->formats = opts && opts->formats ? opts->formats : KN_PLOT_PNG | KN_PLOT_SVG | KN_PLOT_PDF;
    c->quiet = opts ? opts->quiet : 0;
    c->max_runs = !opts || opts->max_runs == 0 ? DEFAULT_MAX_RUNS
                  : opts->max_runs < 0         ? 0
                                               : (size_t)opts->max_runs;
    if ((rc = kn_h5r_open(&c->r, h5path, c->err)) != KN_OK ||
        (rc = kn_h5r_study_load(c->r, &c->st, c->err)) != KN_OK) {
        c->bad_input = rc != KN_ENOMEM;
        return rc;
    }
    const kn_h5r_study *st = &c->st;
    size_t S = st->n_scen;
    if (!S)
        return fail_input(c, KN_EIO, "%s: the file has no scenarios", h5path);

    /* the output directory: FILE without .h5, plus -plots */
    if (dir_in && *dir_in) {
        c->dir = dir_in;
    } else {
        size_t len = strlen(h5path);
        if (len > 3 && !strcmp(h5path + len - 3, ".h5"))
            len -= 3;
        if (len + 8 >= sizeof dirbuf)
            return fail_input(c, KN_EUSAGE, "%s: path too long", h5path);
        snprintf(dirbuf, sizeof dirbuf, "%.*s-plots", (int)len, h5path);
        c->dir = dirbuf;
    }

    c->colour = calloc(S, sizeof *c->colour);
    c->disp = calloc(S, sizeof *c->disp);
    c->n_ok = calloc(S, sizeof *c->n_ok);
    if (!c->colour || !c->disp || !c->n_ok)
        return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
    display_names(st->scen_name, S, c->disp);
    for (size_t s = 0; s < S; s++)
        snprintf(c->colour[s], sizeof c->colour[s], "%s", kn_plot_colour(st->scen_name[s], s));
    for (size_t i = 0; i < st->n_run; i++)
        if (st->run_ok[i])
            c->n_ok[st->run_scenario[i]]++;
    c->n_ok_min = SIZE_MAX;
    for (size_t s = 0; s < S; s++) {
        c->n_ok_min = c->n_ok[s] < c->n_ok_min ? c->n_ok[s] : c->n_ok_min;
        c->n_ok_max = c->n_ok[s] > c->n_ok_max ? c->n_ok[s] : c->n_ok_max;
    }
    c->horizon = 0.0;
    c->warmup = 0.0;
    for (size_t s = 0; s < S; s++) {
        if (isfinite(st->days[s]))
            c->horizon = fmax(c->horizon, st->days[s]);
        if (isfinite(st->warmup_days[s]))
            c->warmup = fmax(c->warmup, st->warmup_days[s]);
    }
    if (!(c->horizon > 0.0))
        c->horizon = st->n_period ? st->period_end[st->n_period - 1] : 1.0;
    /* a last period much shorter than the others (365 days = 52 weeks and 1 day) gives a
     * wild last point: it stays in the data but is not drawn */
    c->p_draw = st->n_period;
    c->xmax = st->n_period ? st->period_end[st->n_period - 1] : c->horizon;
    if (st->n_period >= 2) {
        double last = c->horizon - st->period_end[st->n_period - 2];
        if (last > 0.0 && last < 0.5 * st->period_end[0]) {
            c->p_draw = st->n_period - 1;
            c->xmax = st->period_end[st->n_period - 2];
            c->cut_days = last;
        }
    }
    c->tscale = c->horizon >= 56.0 ? 7.0 : c->horizon >= 2.0 ? 1.0 : 1.0 / 24.0;
    c->tunit = c->horizon >= 56.0 ? "weeks" : c->horizon >= 2.0 ? "days" : "hours";

    if (!strcmp(st->kind, "sweep") && (rc = kn_pl_sweep_find_keys(c)) != KN_OK)
        return rc;
    if (kn_rb_is_robust(st)) {
        if (!(c->rb = calloc(1, sizeof *c->rb)))
            return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        if ((rc = kn_rb_verdict_load(c->r, st, c->rb, c->err)) != KN_OK) {
            free(c->rb);
            c->rb = NULL;
            c->bad_input = rc != KN_ENOMEM;
            return rc;
        }
    }
    if ((rc = make_plan(c, &plan)) != KN_OK)
        goto done;
    if (opts && opts->only && *opts->only) {
        for (const char *p = opts->only; *p;) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p), i;
            for (i = 0; i < plan.n; i++)
                if (strlen(plan.p[i].name) == len && !strncmp(plan.p[i].name, p, len))
                    break;
            if (i == plan.n) {
                sbuf names = {0};
                for (size_t j = 0; j < plan.n; j++)
                    kn_sb_printf(&names, "%s%s", j ? ", " : "", plan.p[j].name);
                rc = fail_input(c, KN_EUSAGE, "option '--only': no chart '%.*s' for %s (its charts: %s)",
                                (int)(len > 100 ? 100 : len), p, h5path, names.s ? names.s : "none");
                free(names.s);
                goto done;
            }
            if (!e)
                break;
            p = e + 1;
        }
    }

    /* gnuplot before anything is written */
    const char *gpname = getenv("KONING_GNUPLOT");
    if (!gpname || !*gpname)
        gpname = "gnuplot";
    if (kn_pl_find_program(gpname, prog, sizeof prog)) {
        if (strcmp(gpname, "gnuplot"))
            rc = kn_pl_fail_run(c, KN_EIO, "gnuplot not found: KONING_GNUPLOT is '%s', not an "
                                           "executable program", gpname);
        else
            rc = kn_pl_fail_run(c, KN_EIO, "gnuplot not found on PATH; install it (Debian: "
                                           "apt-get install gnuplot-nox)");
        goto done;
    }
    struct stat dst;
    made_dir = stat(c->dir, &dst) != 0;
    if (mkdir_p(c->dir)) {
        rc = fail_input(c, KN_EIO, "%s: cannot create the output directory: %s", c->dir, strerror(errno));
        goto done;
    }
    if ((rc = kn_pl_gp_start(&c->gp, prog, c->dir, c->err)) != KN_OK) {
        c->bad_input = 0;
        goto done;
    }
    /* which terminals this gnuplot has */
    if (kn_pl_gp_ask(&c->gp, "sprintf('%d %d', strstrt(' '.GPVAL_TERMINALS.' ', ' pngcairo ') "
                             "> 0, strstrt(' '.GPVAL_TERMINALS.' ', ' pdfcairo ') > 0)")) {
        rc = gnuplot_gone(c, KN_OK);
        goto done;
    }
    {
        int has_png = 0, has_pdf = 0;
        if (sscanf(c->gp.reply, "%d %d", &has_png, &has_pdf) != 2) {
            rc = gnuplot_gone(c, KN_OK);
            goto done;
        }
        snprintf(c->png_term, sizeof c->png_term, "%s", has_png ? "pngcairo" : "png");
        if (!has_pdf && (c->formats & KN_PLOT_PDF)) {
            c->formats &= ~(unsigned)KN_PLOT_PDF;
            fprintf(stderr, "koning plot: note: this gnuplot has no pdfcairo terminal; PDF skipped\n");
        }
    }
    for (size_t i = 0; i < plan.n && rc == KN_OK; i++) {
        const chart_plan *pl = &plan.p[i];
        if (opts && !wanted(opts->only, pl->name))
            continue;
        if (kn_stop_requested())
            break;
        c->drawing = pl->name;
        switch (pl->kind) {
        case CH_SERIES: rc = kn_pl_chart_series(c, pl); break;
        case CH_SUMMARY: rc = kn_pl_chart_summary(c, pl); break;
        case CH_MULTIPLES: rc = kn_pl_chart_multiples(c, pl); break;
        case CH_SWEEP: rc = kn_pl_chart_sweep(c, pl); break;
        case CH_HEATMAP: rc = kn_pl_chart_heatmap(c, pl); break;
        case CH_SWITCH_PAYBACK: rc = kn_pl_chart_switch_payback(c, pl); break;
        case CH_SWITCH_TRANSITION: rc = kn_pl_chart_switch_transition(c, pl); break;
        case CH_ROBUST_WINS: rc = kn_pl_chart_robust_wins(c, pl); break;
        case CH_ROBUST_SENS: rc = kn_pl_chart_robust_sens(c, pl); break;
        case CH_ROBUST_MAP: rc = kn_pl_chart_robust_map(c, pl); break;
        default: break;
        }
        if (rc == KN_OK)
            c->drawing = NULL;
    }
    if (kn_stop_requested()) {
        rc = KN_EIO; /* said below */
    } else if (rc == KN_OK) {
        int status = kn_pl_gp_finish(&c->gp);
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
            rc = gnuplot_gone(c, KN_OK);
    } else if (c->gp_gone) {
        rc = gnuplot_gone(c, rc); /* say what gnuplot said */
    }
done:
    if (rc != KN_OK && kn_stop_requested()) /* whatever failed, the stop is the reason */
        rc = kn_pl_fail_run(c, KN_EIO, "interrupted by SIG%s%s%s", sigabbrev_np(kn_stop_requested()),
                            c->drawing ? " while drawing " : "", c->drawing ? c->drawing : "");
    kn_pl_gp_cleanup(&c->gp); /* gnuplot has ended: nothing writes the chart's files now */
    if (rc != KN_OK && c->drawing)
        remove_chart_files(c, c->drawing);
    if (rc != KN_OK && made_dir)
        rmdir(c->dir); /* only if empty: the charts finished before stay */
    free(plan.p);
    return rc;
}

kn_status kn_plot_file_ex(const char *h5path, const char *dir, const kn_plot_opts *opts,
                          kn_plot_list *made, kn_error *err, int *bad_input)
{
    kn_error local = {0};
    plot_ctx c;
    memset(&c, 0, sizeof c);
    kn_pl_gp_init(&c.gp);
    c.err = err ? err : &local;
    c.made = made;
    if (made) {
        made->chart = NULL;
        made->n = 0;
    }
    kn_status rc = plot_run(&c, h5path, dir, opts);
    if (bad_input)
        *bad_input = rc != KN_OK && c.bad_input;
    kn_pl_sweep_keys_free(&c);
    kn_pl_switch_free(&c);
    if (c.rb)
        kn_rb_verdict_free(c.rb);
    free(c.rb);
    free(c.colour);
    free(c.disp);
    free(c.n_ok);
    kn_h5r_study_free(&c.st);
    kn_h5r_close(c.r);
    if (rc != KN_OK && made)
        kn_plot_list_free(made);
    return rc;
}

kn_status kn_plot_file(const char *h5path, const char *dir, const kn_plot_opts *opts,
                       kn_plot_list *made, kn_error *err)
{
    return kn_plot_file_ex(h5path, dir, opts, made, err, NULL);
}

void kn_plot_list_free(kn_plot_list *l)
{
    if (!l)
        return;
    free(l->chart);
    l->chart = NULL;
    l->n = 0;
}
