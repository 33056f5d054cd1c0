/* htmlreport_data.c - what `koning report` reads from a results file (declared in
 * htmlreport_int.h).
 *
 * The file is only read, through h5read.h: the study, the provenance, the runs of each
 * scenario, the value of every scenario key in each scenario, the mean and confidence
 * interval of each metric of the summary table (a file of an older version that lacks a
 * metric loses only that column), and the verdict (verdict.h). It all goes into one
 * `report`, which hr_report_free releases (with the directory of its charts).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "htmlreport_int.h"
#include "tables.h"
#include "robust_verdict.h"

/* ---- what the table shows -------------------------------------------------------------- */

static const metric_def org_metrics[] = {
    {"retention", "Customer retention", "% kept a year", 100.0, +1},
    {"service_quality", "Service quality", "0\xe2\x80\x93" "1", 1.0, +1},
    {"first_contact_resolution", "First-contact resolution", "% of visits", 100.0, +1},
    {"satisfaction", "Customer satisfaction", "0\xe2\x80\x93" "1", 1.0, +1},
    {"staff_turnover", "Staff turnover", "% a year", 100.0, -1},
    {"mean_morale", "Staff morale", "0\xe2\x80\x93" "1", 1.0, +1},
    {"mean_exhaustion", "Staff exhaustion", "0\xe2\x80\x93" "1", 1.0, -1},
    {"complaints_per_week", "Complaints", "a week", 1.0, -1},
    {"exploitative_claims_per_week", "Exploitative claims", "a week", 1.0, -1},
    {"profit", "Profit", "money a week", 1.0, +1},
};

static const metric_def queue_metrics[] = {
    {"p_wait", "Had to wait", "% of arrivals", 100.0, -1},
    {"p_abandon", "Gave up waiting", "% of arrivals", 100.0, -1},
    {"mean_wait_minutes", "Mean wait", "minutes", 1.0, -1},
    {"utilization", "Utilisation", "% of staffed time", 100.0, 0},
    {"served_per_hour", "Served", "an hour", 1.0, 0}, /* follows demand: no "best" */
};

const metric_def *hr_find_metric(const char *name)
{
    for (size_t i = 0; i < sizeof org_metrics / sizeof org_metrics[0]; i++)
        if (!strcmp(org_metrics[i].name, name))
            return &org_metrics[i];
    for (size_t i = 0; i < sizeof queue_metrics / sizeof queue_metrics[0]; i++)
        if (!strcmp(queue_metrics[i].name, name))
            return &queue_metrics[i];
    return NULL;
}

/* ---- loading --------------------------------------------------------------------------- */

static kn_status load_key(report *R, keyval *k, const char *key, kn_error *err)
{
    size_t n = R->s.n_scen;
    memset(k, 0, sizeof *k);
    if (!(k->key = strdup(key)))
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    char *t = NULL;
    k->long_name = kn_h5r_attr_text(R->r, key, "long_name", &t, NULL) == KN_OK ? t : strdup("");
    t = NULL;
    k->units = kn_h5r_attr_text(R->r, key, "units", &t, NULL) == KN_OK ? t : strdup("");
    if (!k->long_name || !k->units)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    size_t rows = 0, cols = 0, ns = 0;
    kn_error e2 = {0};
    if (kn_h5r_doubles(R->r, key, &k->num, &rows, &cols, &e2) == KN_OK) {
        if (rows != n) {
            free(k->num);
            k->num = NULL;
            return kn_error_set(err, KN_EIO, "%s: dataset '%s' has %zu rows, expected %zu",
                                R->path, key, rows, n);
        }
        k->cols = cols;
        for (size_t i = 1; i < n && !k->differs; i++)
            for (size_t c = 0; c < cols; c++)
                if (!hr_same_num(k->num[i * cols + c], k->num[c]))
                    k->differs = 1;
        return KN_OK;
    }
    KN_CHECK(kn_h5r_strings(R->r, key, &k->str, &ns, err));
    k->nstr = ns;
    k->is_str = 1;
    k->cols = 1;
    if (ns != n)
        return kn_error_set(err, KN_EIO, "%s: dataset '%s' has %zu values, expected %zu", R->path,
                            key, ns, n);
    for (size_t i = 1; i < n; i++)
        if (strcmp(k->str[i], k->str[0]))
            k->differs = 1;
    return KN_OK;
}

static kn_status load_keys(report *R, kn_error *err)
{
    char **keys = NULL;
    size_t nk = 0;
    KN_CHECK(kn_h5r_scenario_keys(R->r, &keys, &nk, err));
    int profile = kn_h5r_exists(R->r, "arrivals.profile");
    R->kv = calloc(nk + 1, sizeof *R->kv);
    kn_status rc = R->kv ? KN_OK : kn_error_set(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < nk && rc == KN_OK; i++) {
        if (!kn_h5r_exists(R->r, keys[i]))
            continue;
        rc = load_key(R, &R->kv[R->n_kv++], keys[i], err);
        /* the hourly profile is 2-D, so not a CF coordinate: it goes after per_hour */
        if (rc == KN_OK && profile && !strcmp(keys[i], "arrivals.per_hour")) {
            rc = load_key(R, &R->kv[R->n_kv++], "arrivals.profile", err);
            profile = 0;
        }
    }
    if (rc == KN_OK && profile)
        rc = load_key(R, &R->kv[R->n_kv++], "arrivals.profile", err);
    kn_h5r_free_strings(keys, nk);
    return rc;
}

static kn_status load_vector(const report *R, const char *name, double **out, kn_error *err)
{
    size_t rows = 0, cols = 0;
    KN_CHECK(kn_h5r_doubles(R->r, name, out, &rows, &cols, err));
    if (rows != R->s.n_scen || cols != 1) {
        free(*out);
        *out = NULL;
        return kn_error_set(err, KN_EIO, "%s: dataset '%s' has %zu x %zu values, expected %zu",
                            R->path, name, rows, cols, R->s.n_scen);
    }
    return KN_OK;
}

static kn_status load_metrics(report *R, kn_error *err)
{
    const metric_def *defs = R->s.organisation ? org_metrics : queue_metrics;
    size_t nd = R->s.organisation ? sizeof org_metrics / sizeof org_metrics[0]
                                  : sizeof queue_metrics / sizeof queue_metrics[0];
    if (!(R->col = calloc(nd, sizeof *R->col)))
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < nd; i++) {
        char m[160], lo[160], hi[160];
        snprintf(m, sizeof m, "%s_mean", defs[i].name);
        snprintf(lo, sizeof lo, "%s_ci_low", defs[i].name);
        snprintf(hi, sizeof hi, "%s_ci_high", defs[i].name);
        if (!kn_h5r_exists(R->r, m)) /* a file of an older version: skip the column */
            continue;
        mcol *c = &R->col[R->n_col++];
        c->def = &defs[i];
        KN_CHECK(load_vector(R, m, &c->mean, err));
        if (kn_h5r_exists(R->r, lo) && kn_h5r_exists(R->r, hi)) {
            KN_CHECK(load_vector(R, lo, &c->lo, err));
            KN_CHECK(load_vector(R, hi, &c->hi, err));
        }
        c->dec = hr_col_decimals(c->mean, c->lo, c->hi, R->s.n_scen, c->def->scale);
    }
    return KN_OK;
}

/* The verdict's "why" from PATH-why.h5 (the lever combinations koning compare --from
 * simulates), or in R->why_note why there is none. */
static void load_why(report *R)
{
    char why[PATH_MAX];
    kn_verdict_why_path(R->path, why, sizeof why);
    const char *base = strrchr(why, '/') ? strrchr(why, '/') + 1 : why;
    if (R->v.status_quo >= R->s.n_scen) {
        snprintf(R->why_note, sizeof R->why_note, "the study has no status quo to measure a gap "
                 "from");
    } else if (R->v.overall == R->v.status_quo) {
        snprintf(R->why_note, sizeof R->why_note, "the status quo itself comes out best");
    } else if (access(why, R_OK) != 0) {
        snprintf(R->why_note, sizeof R->why_note, "%.200s, the file of the lever combinations, "
                 "is not there (koning compare --from SQ.yaml writes it unless --why 0)", base);
    } else {
        kn_error werr = {0};
        if (kn_verdict_why(why, &R->s, &R->v, &werr) != KN_OK)
            snprintf(R->why_note, sizeof R->why_note, "%.900s", werr.msg);
    }
}

kn_status hr_report_load(report *R, kn_error *err)
{
    kn_status rc;
    if ((rc = kn_h5r_study_load(R->r, &R->s, err)) != KN_OK)
        return rc;
    R->sweep = R->s.kind && !strcmp(R->s.kind, "sweep");
    if (kn_h5r_attr_text(R->r, "/", "koning_version", &R->version, NULL) != KN_OK)
        R->version = strdup("(unknown version)");
    if (kn_h5r_attr_text(R->r, "/", "command_line", &R->cmdline, NULL) != KN_OK)
        R->cmdline = NULL;
    if ((rc = load_vector(R, "n_runs_ok", &R->n_ok, err)) != KN_OK ||
        (rc = load_vector(R, "n_runs_failed", &R->n_failed, err)) != KN_OK ||
        (rc = load_keys(R, err)) != KN_OK || (rc = load_metrics(R, err)) != KN_OK)
        return rc;

    if (kn_rb_is_robust(&R->s)) { /* the verdict across worlds instead */
        if (!(R->rb = calloc(1, sizeof *R->rb)))
            return kn_error_set(err, KN_ENOMEM, "out of memory");
        if ((rc = kn_rb_verdict_load(R->r, &R->s, R->rb, err)) != KN_OK) {
            free(R->rb);
            R->rb = NULL;
        }
        return rc;
    }
    /* the verdict: not for queue models or single scenarios (KN_EINVAL) */
    kn_error verr = {0};
    kn_status vrc = kn_verdict_from_file(R->r, &R->s, &R->v, &verr);
    if (vrc == KN_OK) {
        R->have_verdict = 1;
        load_why(R);
    } else if (vrc != KN_EINVAL) { /* e.g. a file of an older version: say so, go on */
        char safe[KN_TTY_MAX]; /* the message names the file: terminal-safe (tables.h) */
        fprintf(stderr, "koning: warning: no verdict: %s\n", kn_tty_text(safe, sizeof safe, verr.msg));
        snprintf(R->verdict_error, sizeof R->verdict_error, "%s", verr.msg);
    }
    return KN_OK;
}

void hr_report_free(report *R)
{
    for (size_t i = 0; i < R->n_kv; i++) {
        free(R->kv[i].key);
        free(R->kv[i].long_name);
        free(R->kv[i].units);
        free(R->kv[i].num);
        kn_h5r_free_strings(R->kv[i].str, R->kv[i].nstr);
    }
    free(R->kv);
    for (size_t i = 0; i < R->n_col; i++) {
        free(R->col[i].mean);
        free(R->col[i].lo);
        free(R->col[i].hi);
    }
    free(R->col);
    free(R->n_ok);
    free(R->n_failed);
    free(R->version);
    free(R->cmdline);
    kn_plot_list_free(&R->charts);
    if (R->rb)
        kn_rb_verdict_free(R->rb);
    free(R->rb);
    if (R->have_verdict)
        kn_verdict_free(&R->v);
    hr_charts_free(R);
    kn_h5r_study_free(&R->s);
    kn_h5r_close(R->r);
    memset(R, 0, sizeof *R);
}
