/* htmlreport.c - `koning report FILE.h5 -o report.html` (API in htmlreport.h).
 *
 * Builds one self-contained HTML page from a results file: the verdict (verdict.h), a
 * summary table of means with confidence intervals, the charts of the plotter (plot.h,
 * drawn as SVG into a temporary directory and embedded as base64 data URIs), the
 * scenarios' assumptions in plain words, every key in a collapsible table, the sources
 * of the defaults and a short guide to reading the figures. Nothing on the page is
 * loaded from outside it. Every string that comes from the file goes through html_esc.
 *
 * The page is built in memory and written atomically: OUT.tmp.XXXXXX beside OUT,
 * fsync, rename; on any failure the temporary file is removed and an existing OUT is
 * left as it was. The results file is only read, through h5read.h.
 */
#define _GNU_SOURCE
#include "htmlreport.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "h5read.h"
#include "koning/scenario.h"
#include "plot.h"
#include "strbuf.h"
#include "verdict.h"

#ifndef KONING_VERSION
#define KONING_VERSION "unknown"
#endif

#define EXIT_FAIL 1
#define EXIT_INPUT 2
#define SWEEP_ROWS_MAX 50  /* rows of the summary table of a sweep before it is cut */
#define WIDE_SCENARIOS 8   /* more scenarios than this: differing keys as value lists */

const char kn_report_usage[] =
    "usage: koning report FILE.h5 [-o OUT.html] [--max-runs N]\n"
    "\n"
    "Write one self-contained HTML page about a results file, for readers who will not\n"
    "open a terminal: the verdict (which policy wins each headline metric, and why), a\n"
    "summary table with confidence intervals, the charts, the assumptions in plain words\n"
    "and the sources of the defaults. Nothing on the page is loaded from outside it; it\n"
    "prints well. Charts need gnuplot. docs/report.md describes the page.\n"
    "\n"
    "  -o, --output OUT.html  the page (default: FILE without .h5, plus .html)\n"
    "  --max-runs N           faint individual runs drawn per scenario in the charts\n"
    "                         (default 40; 0 = none)\n"
    "  --list-sources         print the literature behind the defaults, one per line\n"
    "                         (citation TAB mechanism TAB basis), and exit\n"
    "\n"
    "Exit status: 0 written; 1 plotting or writing failed; 2 bad input (a missing or\n"
    "non-koning file, a bad option, an output directory that does not exist).\n";

/* ---- growing text buffer --------------------------------------------------------------- */

typedef kn_strbuf buf; /* strbuf.h */

/* Text from the file (or any text) as HTML: & < > " ' escaped, control characters
 * other than tab and newline dropped. Safe in element content and quoted attributes. */
static void b_esc(buf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
                rep = "";
        }
        if (rep) {
            kn_sb_put(b, run, (size_t)(s - run));
            kn_sb_puts(b, rep);
            run = s + 1;
        }
    }
    kn_sb_put(b, run, (size_t)(s - run));
}

/* A dotted key that may break after its dots (narrow table headers). */
static void b_key_breakable(buf *b, const char *key)
{
    for (const char *d; (d = strchr(key, '.')); key = d + 1) {
        char *part = strndup(key, (size_t)(d - key) + 1);
        b_esc(b, part ? part : "");
        free(part);
        kn_sb_puts(b, "<wbr>");
    }
    b_esc(b, key);
}

static void b_base64(buf *b, const unsigned char *d, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        q[0] = tab[(v >> 18) & 63];
        q[1] = tab[(v >> 12) & 63];
        q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? tab[v & 63] : '=';
        kn_sb_put(b, q, 4);
    }
}

/* ---- numbers --------------------------------------------------------------------------- */

/* v with `dec` decimals, thousands separated by commas, a real minus sign (U+2212) and
 * no "-0"; "n/a" when v is not finite. Returns out. */
static char *fmt_fixed(char *out, size_t cap, double v, int dec)
{
    if (!isfinite(v)) {
        snprintf(out, cap, "n/a");
        return out;
    }
    char raw[512];
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
    int neg = v < 0 && strspn(raw, "0.") != strlen(raw);
    const char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    char tmp[600];
    size_t k = 0;
    if (neg)
        k += (size_t)snprintf(tmp, sizeof tmp, "\xe2\x88\x92");
    for (size_t i = 0; i < ilen && k < sizeof tmp - 2; i++) {
        if (i && ilen >= 4 && (ilen - i) % 3 == 0)
            tmp[k++] = ',';
        tmp[k++] = raw[i];
    }
    for (const char *d = dot; d && *d && k < sizeof tmp - 1; d++)
        tmp[k++] = *d;
    tmp[k] = '\0';
    if (cap) {
        size_t m = k < cap - 1 ? k : cap - 1;
        memcpy(out, tmp, m);
        out[m] = '\0';
    }
    return out;
}

/* A parameter value for people: integers as integers (grouped), other numbers with up to
 * 6 significant digits; "not used" for NaN. */
static char *fmt_value(char *out, size_t cap, double v)
{
    if (isnan(v)) {
        snprintf(out, cap, "not used");
        return out;
    }
    if (v == floor(v) && fabs(v) < 1e15)
        return fmt_fixed(out, cap, v, 0);
    char g[64];
    snprintf(g, sizeof g, "%.6g", v);
    if (strchr(g, 'e'))
        snprintf(out, cap, "%s", g);
    else {
        const char *dot = strchr(g, '.');
        int dec = dot ? (int)strlen(dot + 1) : 0;
        fmt_fixed(out, cap, v, dec);
    }
    return out;
}

/* Decimals for a column of means: one significant digit of the smallest half-width of
 * the intervals (values already multiplied by `scale`), between 0 and 3; by magnitude
 * when no interval is known. */
static int col_decimals(const double *mean, const double *lo, const double *hi, size_t n,
                        double scale)
{
    double hw = INFINITY, mag = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (lo && hi && isfinite(lo[i]) && isfinite(hi[i])) {
            double h = (hi[i] - lo[i]) / 2.0 * scale;
            if (h > 0.0 && h < hw)
                hw = h;
        }
        if (isfinite(mean[i]) && fabs(mean[i] * scale) > mag)
            mag = fabs(mean[i] * scale);
    }
    int d;
    if (isfinite(hw))
        d = (int)-floor(log10(hw));
    else
        d = mag >= 100.0 ? 0 : mag >= 1.0 ? 1 : 3;
    return d < 0 ? 0 : d > 3 ? 3 : d;
}

/* ---- what the table shows -------------------------------------------------------------- */

typedef struct metric_def {
    const char *name;  /* dataset stem: NAME_mean, NAME_ci_low, NAME_ci_high */
    const char *label; /* column header */
    const char *unit;  /* shown under the header */
    double scale;      /* displayed value = file value x scale (100 for percentages) */
    int better;        /* +1 higher is better, -1 lower is better, 0 neither */
} metric_def;

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

static const metric_def *find_metric(const char *name)
{
    for (size_t i = 0; i < sizeof org_metrics / sizeof org_metrics[0]; i++)
        if (!strcmp(org_metrics[i].name, name))
            return &org_metrics[i];
    for (size_t i = 0; i < sizeof queue_metrics / sizeof queue_metrics[0]; i++)
        if (!strcmp(queue_metrics[i].name, name))
            return &queue_metrics[i];
    return NULL;
}

/* ---- the sources of the defaults ------------------------------------------------------- */

/* The literature behind the mechanisms and their defaults. This table mirrors
 * docs/model.md: every `cite` is spelled exactly as there (tests/cli/cli_report.sh checks
 * each occurs in docs/model.md); the basis says what model.md says of the number. Change
 * model.md and this table together. */
typedef struct source {
    const char *cite;      /* as in docs/model.md */
    const char *mechanism; /* what it informs */
    const char *keys;      /* the parameters, or "" */
    const char *basis;     /* literature / calibrated / direction only / ... */
} source;

#define QUEUE_SOURCES 3 /* the first entries: the queue model's */
static const source sources[] = {
    {"Brown et al. 2005", "Customers arrive at random (Poisson) at a rate that follows the hour of "
     "the day; service times are close to lognormal",
     "arrivals.profile, service.distribution", "literature (the shape used in the presets)"},
    {"Erlang-A", "The queue with impatient customers (M/M/n+M) whose exact figures the simulated "
     "desk is checked against", "", "validation of the engine (docs/validation.md)"},
    {"Salmon et al. 2011", "Philox random number streams: one per source, so scenarios see the "
     "same customers (common random numbers)", "run.seed", "method"},
    {"Oliva & Sterman 2001", "Work pressure cuts the time given to each customer, and the service "
     "standard erodes and almost never recovers",
     "work.pressure_elasticity (\xe2\x88\x92" "0.64), work.erosion_weeks (19)",
     "literature; restore time and smoothing assumed"},
    {"Dogan 2007", "Re-estimate of the time-per-customer elasticity (\xe2\x88\x92" "0.60)",
     "work.pressure_elasticity", "literature (cross-check)"},
    {"Goodman & Newman 2003", "How many dissatisfied customers complain: 3 % about small problems, "
     "about 70 % about costly ones", "customers.complain_min, customers.complain_max",
     "literature; the squared rise with severity assumed"},
    {"Wirtz & Kum 2004", "Opportunistic claims: easy claims and a short relationship raise them, "
     "the size of the payout does not", "customers.claim_propensity, policy.claim_ease",
     "direction only; sizes assumed"},
    {"Reynolds & Harris 2005", "Illegitimate complainers learn from being paid (conditioned "
     "complainers)", "customers.claim_learning", "direction only; size assumed"},
    {"Wirtz & McColl-Kennedy 2010", "One-off transactions invite more opportunism than long "
     "relationships", "customers.claim_relationship_visits", "direction only; size assumed"},
    {"de Matos, Henrique & Rossi 2007", "The service recovery paradox: an upheld complaint lifts "
     "satisfaction above its earlier level but only restores loyalty and word of mouth",
     "customers.recovery_bonus", "direction only; size assumed"},
    {"Brown & Lam 2008", "Employee satisfaction reaches customers only through the service they "
     "perceive (full mediation)", "", "structure of the model"},
    {"Grandey, Dickter & Sin 2004", "Verbal aggression from customers (about 10 calls a day) "
     "exhausts staff and leads to absence; autonomy lowers the threat",
     "employee.moderation_backing, employee.moderation_autonomy, employee.sick_exhaustion, "
     "customers.mix.rude", "direction and plausibility check; sizes assumed"},
    {"Dormann & Zapf 2004", "Customer-related stressors explain about 14 % of exhaustion beyond "
     "other causes", "employee.abuse_exhaustion", "direction only; size assumed"},
    {"Demerouti et al. 2001", "Job demands exhaust (Job Demands\xe2\x80\x93Resources model)",
     "employee.workload_exhaustion", "direction only; size assumed"},
    {"Homer 1985", "Work drains energy and rest restores it", "employee.recovery",
     "direction only; size assumed"},
    {"Holman, Batt & Holtgrewe 2007", "Staff turnover in call centres: about 20 % a year "
     "worldwide (median), 25\xe2\x80\x93" "50 % and more in the US", "employee.quit_base",
     "calibrated: about 30 % a year in the default organisation"},
    {"Lee & Ashforth 1996", "Exhaustion raises the intention to quit (\xcf\x81 \xe2\x89\x88 .44)",
     "employee.quit_exhaustion", "shape only; size assumed (unverified secondary source)"},
    {"Li & Zhou 2013", "Exhaustion carries verbal aggression through to the intention to quit",
     "employee.quit_exhaustion", "shape only; size assumed"},
    {"Harter, Schmidt & Hayes 2002", "Across business units, engaged staff go with satisfied "
     "customers (r \xe2\x89\x88 .33) and lower turnover (r \xe2\x89\x88 \xe2\x88\x92.30)", "",
     "a target the model is checked against, not a parameter"},
    {"Kjerulf 2006", "The claim that \xe2\x80\x9cthe customer is always right\xe2\x80\x9d harms "
     "staff and service through rude and exploitative customers", "",
     "the hypothesis under test, not a parameter"},
    {"Fader 2012", "Customer centricity: give each customer time in proportion to his value",
     "policy.effort_by_value", "a policy lever (the best-customers-first preset)"},
    {"US NRF", "Fraudulent returns are roughly 4.6\xe2\x80\x93" "8 % of returns (retailers' "
     "estimates)", "customers.mix.exploitative", "order of magnitude only; the share is assumed"},
    {"TARP", "Unhappy customers tell 9\xe2\x80\x93" "10 others", "customers.word_of_mouth",
     "direction only; size assumed (unverified)"},
};

/* ---- the report's data ----------------------------------------------------------------- */

typedef struct keyval {
    char *key, *long_name, *units;
    int is_str;
    size_t cols;  /* 24 for arrivals.profile, else 1 */
    double *num;  /* [n_scen x cols] */
    char **str;   /* [nstr], nstr = n_scen once loaded */
    size_t nstr;
    int differs;  /* the value is not the same in every scenario */
} keyval;

typedef struct mcol {
    const metric_def *def;
    double *mean, *lo, *hi;
    int dec;
} mcol;

typedef struct report {
    kn_h5r *r;
    kn_h5r_study s;
    const char *path;
    char *version, *cmdline;
    double *n_ok, *n_failed;
    keyval *kv;
    size_t n_kv;
    mcol *col;
    size_t n_col;
    int sweep;
    kn_verdict v;
    int have_verdict;
    char verdict_error[KN_ERROR_MSG_MAX]; /* why an organisation study has no verdict */
    kn_plot_list charts;
    char *chart_dir;
} report;

static const keyval *kv_find(const report *R, const char *key)
{
    for (size_t i = 0; i < R->n_kv; i++)
        if (!strcmp(R->kv[i].key, key))
            return &R->kv[i];
    return NULL;
}

/* 1 and *v = the value when `key` has one numeric value common to all scenarios; 0 when
 * it differs; -1 when the file does not have it. */
static int kv_num(const report *R, const char *key, double *v)
{
    const keyval *k = kv_find(R, key);
    if (!k || k->is_str)
        return -1;
    *v = k->num[0];
    return k->differs ? 0 : 1;
}

static const char *kv_str(const report *R, const char *key, int *common)
{
    const keyval *k = kv_find(R, key);
    *common = 0;
    if (!k || !k->is_str)
        return NULL;
    *common = !k->differs;
    return k->str[0];
}

static int same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

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
                if (!same_num(k->num[i * cols + c], k->num[c]))
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
        c->dec = col_decimals(c->mean, c->lo, c->hi, R->s.n_scen, c->def->scale);
    }
    return KN_OK;
}

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

static void report_free(report *R)
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
    if (R->chart_dir) {
        nftw(R->chart_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(R->chart_dir);
    }
    kn_h5r_study_free(&R->s);
    kn_h5r_close(R->r);
    memset(R, 0, sizeof *R);
}

/* ---- small pieces of the page ---------------------------------------------------------- */

/* The colour of scenario i, as the charts draw it. */
static const char *scen_colour(const report *R, size_t i)
{
    return kn_plot_colour(R->s.scen_name[i], i);
}

static void b_swatch(buf *b, const report *R, size_t i)
{
    const char *c = scen_colour(R, i);
    /* only a "#rrggbb" reaches the style attribute */
    int okc = c && c[0] == '#' && strlen(c) == 7 && strspn(c + 1, "0123456789abcdefABCDEF") == 6;
    kn_sb_printf(b, "<span class=\"sw\" style=\"background:%s\"></span>", okc ? c : "#888888");
}

static void b_scen(buf *b, const report *R, size_t i)
{
    kn_sb_puts(b, "<span class=\"scen\">");
    b_swatch(b, R, i);
    b_esc(b, R->s.scen_name[i]);
    kn_sb_puts(b, "</span>");
}

static char *pct_level(char *out, size_t cap, double level)
{
    snprintf(out, cap, "%g\xc2\xa0%%", 100.0 * level);
    return out;
}

/* A metric value with its unit, e.g. "72.6 %", "47,724 money a week". */
static void b_metric_value(buf *b, const metric_def *d, double v, int dec)
{
    char t[96];
    kn_sb_puts(b, fmt_fixed(t, sizeof t, v * d->scale, dec));
    if (d->scale == 100.0)
        kn_sb_puts(b, "\xc2\xa0%");
}

static void b_interval(buf *b, double lo, double hi, double scale, int dec)
{
    char a[96], c[96];
    if (!isfinite(lo) || !isfinite(hi))
        return;
    /* "66–79", but "−54 to 198": a dash after a minus sign reads as a second minus */
    fmt_fixed(a, sizeof a, lo * scale, dec);
    fmt_fixed(c, sizeof c, hi * scale, dec);
    kn_sb_printf(b, "%s%s%s", a, !strncmp(a, "\xe2\x88\x92", 3) ? " to " : "\xe2\x80\x93", c);
}

/* ---- the sections ---------------------------------------------------------------------- */

/* split in parts: ISO C compilers need only support 4095-byte strings */
static const char *const css[] = {
    ":root{--ink:#1d2733;--muted:#5b6875;--rule:#d8dee6;--soft:#f4f6f9;--accent:#17375e;"
    "--good:#14643a;--goodbg:#e2f3e8;--warn:#7a5200;--warnbg:#fff3dc}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;color:var(--ink);background:#fff;font:15px/1.55 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}\n"
    ".wrap{max-width:1240px;margin:0 auto;padding:0 28px}\n"
    "header.top{background:var(--accent);color:#fff;padding:28px 0 22px}\n"
    "header.top .kicker{margin:0;font-size:12px;letter-spacing:.14em;text-transform:uppercase;"
    "opacity:.75}\n"
    "header.top h1{margin:6px 0 10px;font-size:30px;line-height:1.2;font-weight:650}\n"
    "header.top h1.long{font-size:24px}\n"
    "header.top .prov{margin:0;font-size:13px;opacity:.85}\n"
    "header.top code{background:rgba(255,255,255,.12);color:#fff;padding:1px 5px;"
    "border-radius:3px}\n"
    "nav.toc{margin:18px 0 6px;font-size:13px;color:var(--muted)}\n"
    "nav.toc a{color:var(--accent);text-decoration:none;margin-right:16px}\n"
    "section{margin:34px 0}\n"
    "h2{font-size:21px;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid var(--accent);"
    "color:var(--accent)}\n"
    "h3{font-size:16px;margin:22px 0 8px}\n"
    "p{margin:8px 0}\n"
    "section>p,section>ul{max-width:940px}\n"
    ".lead{font-size:16px}\n"
    ".note{color:var(--muted);font-size:13px}\n"
    "code{font:12.5px/1.4 ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;"
    "background:var(--soft);padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:14px;"
    "margin:14px 0}\n"
    ".card{border:1px solid var(--rule);border-radius:8px;padding:14px 16px;background:#fff;"
    "break-inside:avoid;min-width:0}\n"
    ".card .scen{overflow-wrap:anywhere}\n"
    ".card .metric{font-size:12px;text-transform:uppercase;letter-spacing:.08em;"
    "color:var(--muted)}\n"
    ".card .who{font-size:18px;font-weight:650;margin:4px 0}\n"
    ".card .val{font-size:15px;font-variant-numeric:tabular-nums}\n"
    ".card .lead-by{font-size:13px;color:var(--muted);margin-top:6px}\n"
    ".badge{display:inline-block;font-size:12px;font-weight:600;padding:1px 8px;"
    "border-radius:10px;margin-top:8px}\n"
    ".badge.clear{background:var(--goodbg);color:var(--good)}\n"
    ".badge.unclear{background:var(--warnbg);color:var(--warn)}\n"
    ".overall{background:var(--soft);border-left:4px solid var(--accent);padding:12px 16px;"
    "border-radius:0 6px 6px 0}\n"
    ".overall p{margin:4px 0}\n"
    ,".tablewrap{overflow-x:auto}\n"
    "table{border-collapse:collapse;font-size:13px;margin:10px 0;"
    "font-variant-numeric:tabular-nums}\n"
    "th,td{padding:6px 7px;border-bottom:1px solid var(--rule);text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:var(--soft);font-weight:600;border-bottom:2px solid var(--rule)}\n"
    "th .unit{display:block;font-weight:400;color:var(--muted);font-size:12px}\n"
    "table.summary td.num,table.summary th.num{text-align:right}\n"
    "table.summary td.num{white-space:nowrap}\n"
    "td .ci{display:block;color:var(--muted);font-size:11.5px}\n"
    "table.summary{width:100%}\n"
    "table.summary thead th{font-size:12.5px;line-height:1.3}\n"
    "td.best{background:var(--goodbg);color:var(--good);font-weight:650}\n"
    "td.best .ci{color:var(--good);font-weight:400}\n"
    "td.failed{color:#a61b1b}\n"
    ".sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:7px;"
    "vertical-align:baseline;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    ".scen{font-weight:600;overflow-wrap:break-word}\n"
    "td code{overflow-wrap:normal}\n"
    "table.summary td:first-child{min-width:130px;max-width:260px}\n"
    "figure{margin:22px 0;break-inside:avoid}\n"
    "figure img{display:block;width:100%;max-width:980px;height:auto;"
    "border:1px solid var(--rule);border-radius:6px}\n"
    "figcaption{max-width:980px}\n"
    "figcaption{font-size:13px;color:var(--muted);margin-top:6px}\n"
    "figcaption b{color:var(--ink)}\n"
    ,"ul.plain{padding-left:20px}\n"
    "ul.plain li{margin:6px 0}\n"
    "details{margin:14px 0;border:1px solid var(--rule);border-radius:6px;padding:8px 14px}\n"
    "details summary{cursor:pointer;font-weight:600;color:var(--accent)}\n"

    "td.changed{font-weight:650}\n"
    "ol.sources{max-width:980px}\n"
    "ol.sources li{margin:7px 0}\n"
    ".basis{color:var(--muted);font-size:13px}\n"
    "footer{margin:40px 0 30px;padding-top:12px;border-top:1px solid var(--rule);font-size:12px;"
    "color:var(--muted)}\n"
    "@media print{\n"
    "  body{font-size:10.5pt}\n"
    "  .wrap{max-width:none;padding:0}\n"
    "  header.top{background:none;color:var(--ink);padding:0 0 8px;border-bottom:2px solid "
    "var(--accent)}\n"
    "  header.top code{background:none;color:var(--ink)}\n"
    "  header.top h1{color:var(--accent)}\n"
    "  nav.toc{display:none}\n"
    "  section{margin:18px 0}\n"
    "  h2{break-after:avoid}\n"
    "  table,figure,.card,.overall{break-inside:avoid}\n"
    "  td.best,.badge,.overall{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "  details{border:none;padding:0}\n"
    "  details::details-content{content-visibility:visible;display:block}\n"
    "  .tablewrap{overflow:visible}\n"
    "  a{color:inherit;text-decoration:none}\n"
    "}\n"};

/* Only for the browser test: count the images that decoded. The page needs no script. */
static const char load_check[] =
    "<script>window.addEventListener(\"load\",function(){var im=document.images,ok=0;"
    "for(var i=0;i<im.length;i++)if(im[i].complete&&im[i].naturalWidth>0)ok++;"
    "document.body.dataset.imagesOk=ok+\"/\"+im.length;});</script>\n";

/* The sweep's base name: the scenario name before " [". */
static void b_sweep_name(buf *b, const report *R)
{
    const char *n = R->s.n_scen ? R->s.scen_name[0] : "";
    const char *br = strstr(n, " [");
    char *base = strndup(n, br ? (size_t)(br - n) : strlen(n));
    b_esc(b, base ? base : n);
    free(base);
}

static void b_title(buf *b, const report *R)
{
    if (R->sweep) {
        kn_sb_puts(b, "Sweep: ");
        b_sweep_name(b, R);
        return;
    }
    kn_sb_puts(b, R->s.organisation ? "Who is king? " : "Queue study: ");
    for (size_t i = 0; i < R->s.n_scen; i++) {
        if (i)
            kn_sb_puts(b, i + 1 == R->s.n_scen ? " and " : ", ");
        b_esc(b, R->s.scen_name[i]);
    }
}

static void reps_range(const report *R, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = 0;
    for (size_t i = 0; i < R->s.n_scen; i++) {
        double n = R->n_ok[i] + R->n_failed[i];
        if (n < *lo)
            *lo = n;
        if (n > *hi)
            *hi = n;
    }
    if (!R->s.n_scen)
        *lo = 0;
}

static void b_reps(buf *b, const report *R)
{
    double lo, hi;
    reps_range(R, &lo, &hi);
    if (lo == hi)
        kn_sb_printf(b, "%.0f replication%s%s", lo, lo == 1 ? "" : "s",
                     R->s.n_scen < 2 ? "" : R->sweep ? " per point" : " per scenario");
    else
        kn_sb_printf(b, "%.0f\xe2\x80\x93%.0f replications per %s", lo, hi,
                     R->sweep ? "point" : "scenario");
}

static void sec_header(buf *b, const report *R)
{
    char lv[32];
    kn_sb_printf(b,
                 "<header class=\"top\"><div class=\"wrap\">\n<p class=\"kicker\">koning \xc2\xb7 "
                 "simulation report</p>\n<h1%s>",
                 !R->sweep && R->s.n_scen > 3 ? " class=\"long\"" : "");
    b_title(b, R);
    kn_sb_puts(b, "</h1>\n<p class=\"prov\">");
    char *p = strdup(R->path);
    kn_sb_puts(b, "File <b>");
    b_esc(b, p ? basename(p) : R->path);
    free(p);
    kn_sb_puts(b, "</b> \xc2\xb7 written by koning ");
    b_esc(b, R->version);
    struct stat st;
    if (stat(R->path, &st) == 0) {
        char date[32];
        struct tm tmv;
        if (localtime_r(&st.st_mtime, &tmv) && strftime(date, sizeof date, "%Y-%m-%d", &tmv))
            kn_sb_printf(b, " on %s", date);
    }
    kn_sb_puts(b, " \xc2\xb7 ");
    b_reps(b, R);
    kn_sb_printf(b, " \xc2\xb7 %s confidence", pct_level(lv, sizeof lv, R->s.level));
    if (R->cmdline && *R->cmdline) {
        kn_sb_puts(b, "<br>Made with <code>");
        b_esc(b, R->cmdline);
        kn_sb_puts(b, "</code>");
    }
    kn_sb_puts(b, "</p>\n</div></header>\n");
}

static void sec_toc(buf *b, const report *R)
{
    kn_sb_puts(b, "<nav class=\"toc\">");
    if (R->have_verdict)
        kn_sb_puts(b, "<a href=\"#verdict\">Verdict</a>");
    kn_sb_puts(b, "<a href=\"#summary\">Summary</a>");
    if (R->charts.n)
        kn_sb_puts(b, "<a href=\"#charts\">Charts</a>");
    kn_sb_puts(b, "<a href=\"#assumptions\">Assumptions</a><a href=\"#sources\">Sources</a>"
                  "<a href=\"#reading\">How to read this report</a></nav>\n");
}

static const mcol *find_col(const report *R, const char *metric)
{
    for (size_t i = 0; i < R->n_col; i++)
        if (!strcmp(R->col[i].def->name, metric))
            return &R->col[i];
    return NULL;
}

static void sec_verdict(buf *b, const report *R)
{
    const kn_verdict *v = &R->v;
    char lv[32], t[96];
    pct_level(lv, sizeof lv, v->level > 0 && v->level < 1 ? v->level : R->s.level);
    kn_sb_puts(b, "<section id=\"verdict\">\n<h2>The verdict</h2>\n");
    size_t wins = 0;
    for (size_t i = 0; i < KN_VERDICT_METRICS; i++)
        if (v->line[i].winner == v->overall)
            wins++;
    if (v->overall < R->s.n_scen) {
        kn_sb_puts(b, "<div class=\"overall\"><p class=\"lead\">");
        b_scen(b, R, v->overall);
        if (wins == KN_VERDICT_METRICS)
            kn_sb_printf(b, " comes out best: it leads on all %d headline metrics.</p>\n",
                         KN_VERDICT_METRICS);
        else
            kn_sb_printf(b, " comes out best: it leads on %zu of the %d headline metrics.</p>\n",
                         wins, KN_VERDICT_METRICS);
        if (v->why[0]) {
            kn_sb_puts(b, "<p>");
            b_esc(b, v->why);
            kn_sb_puts(b, "</p>\n");
        }
        kn_sb_puts(b, "</div>\n");
    }
    kn_sb_puts(b, "<div class=\"cards\">\n");
    for (size_t i = 0; i < KN_VERDICT_METRICS; i++) {
        const kn_verdict_line *l = &v->line[i];
        if (!l->metric || l->winner >= R->s.n_scen)
            continue;
        const metric_def *d = find_metric(l->metric);
        metric_def fallback = {l->metric, l->label ? l->label : l->metric, l->unit ? l->unit : "",
                               1.0, l->higher_is_better ? 1 : -1};
        if (!d)
            d = &fallback;
        const mcol *c = find_col(R, l->metric);
        int dec = c ? c->dec : col_decimals(&l->mean, &l->lo, &l->hi, 1, d->scale);
        kn_sb_puts(b, "<div class=\"card\"><div class=\"metric\">");
        b_esc(b, d->label);
        kn_sb_puts(b, "</div>\n<div class=\"who\">");
        b_scen(b, R, l->winner);
        kn_sb_puts(b, "</div>\n<div class=\"val\">");
        b_metric_value(b, d, l->mean, dec);
        if (d->scale != 100.0 && d->unit[0] && strcmp(d->unit, "0\xe2\x80\x93" "1")) {
            kn_sb_puts(b, " ");
            b_esc(b, strncmp(d->unit, "money ", 6) ? d->unit : d->unit + 6);
        }
        if (isfinite(l->lo) && isfinite(l->hi)) {
            kn_sb_printf(b, " <span class=\"note\">(%s CI ", lv);
            b_interval(b, l->lo, l->hi, d->scale, dec);
            kn_sb_puts(b, ")</span>");
        }
        kn_sb_puts(b, "</div>\n");
        if (l->runner_up < R->s.n_scen && l->runner_up != l->winner && l->diff == 0.0 &&
            l->diff_lo == 0.0 && l->diff_hi == 0.0) {
            kn_sb_puts(b, "<div class=\"lead-by\">Level with ");
            b_esc(b, R->s.scen_name[l->runner_up]);
            kn_sb_puts(b, " in every run</div>\n");
        } else if (l->runner_up < R->s.n_scen && l->runner_up != l->winner) {
            /* the lead as a size in the good direction, with its paired interval */
            double s = l->diff < 0 ? -1.0 : 1.0;
            double dl = s > 0 ? l->diff_lo : -l->diff_hi, dh = s > 0 ? l->diff_hi : -l->diff_lo;
            double hw = (dh - dl) / 2.0 * d->scale;
            int ddec = isfinite(hw) && hw > 0 ? (int)-floor(log10(hw)) : dec;
            ddec = ddec < 0 ? 0 : ddec > 4 ? 4 : ddec;
            /* an end of the interval that is not 0 must not print as 0 */
            for (; ddec < 4; ddec++) {
                char z1[96], z2[96];
                fmt_fixed(z1, sizeof z1, dl * d->scale, ddec);
                fmt_fixed(z2, sizeof z2, dh * d->scale, ddec);
                if ((dl == 0 || strspn(z1, "0.") != strlen(z1)) &&
                    (dh == 0 || strspn(z2, "0.") != strlen(z2)))
                    break;
            }
            kn_sb_printf(b, "<div class=\"lead-by\">%s than ", l->diff < 0 ? "Lower" : "Higher");
            b_esc(b, R->s.scen_name[l->runner_up]);
            kn_sb_printf(b, " by %s", fmt_fixed(t, sizeof t, fabs(l->diff) * d->scale, ddec));
            kn_sb_puts(b, d->scale == 100.0 ? "\xc2\xa0points" : "");
            if (isfinite(dl) && isfinite(dh)) {
                kn_sb_printf(b, " (paired %s CI ", lv);
                b_interval(b, dl, dh, d->scale, ddec);
                kn_sb_puts(b, ")");
            }
            kn_sb_puts(b, "</div>\n");
        }
        if (l->clear)
            kn_sb_puts(b, "<span class=\"badge clear\">clear</span>");
        else
            kn_sb_printf(b, "<span class=\"badge unclear\">not clear at the %s level</span>", lv);
        kn_sb_puts(b, "</div>\n");
    }
    kn_sb_printf(b,
                 "</div>\n<p class=\"note\">A lead is <b>clear</b> when its paired %s confidence "
                 "interval excludes zero: the same random customers and events are replayed under "
                 "each policy, so the difference is measured run by run.</p>\n</section>\n",
                 lv);
}

/* A key's value in scenario i as text: "exponential", "14", "0.3", the profile. */
static void b_keyval(buf *b, const keyval *k, size_t i)
{
    char t[96];
    if (k->is_str) {
        b_esc(b, k->str[i]);
        return;
    }
    if (k->cols == 1) {
        kn_sb_puts(b, fmt_value(t, sizeof t, k->num[i]));
        return;
    }
    /* an array: runs of equal values, "0 ×8, 50 ×10, 0 ×6" */
    const double *a = k->num + i * k->cols;
    size_t j = 0;
    int first = 1;
    while (j < k->cols) {
        size_t e = j + 1;
        while (e < k->cols && same_num(a[e], a[j]))
            e++;
        if (!first)
            kn_sb_puts(b, ", ");
        first = 0;
        kn_sb_puts(b, fmt_value(t, sizeof t, a[j]));
        if (e - j > 1)
            kn_sb_printf(b, " \xc3\x97%zu", e - j);
        j = e;
    }
}

/* How often a key's value changes from one scenario to the next. */
static size_t key_changes(const keyval *k, size_t n)
{
    size_t c = 0;
    for (size_t i = 1; i < n; i++)
        c += k->is_str ? strcmp(k->str[i], k->str[i - 1]) != 0
                       : memcmp(k->num + i * k->cols, k->num + (i - 1) * k->cols,
                                k->cols * sizeof(double)) != 0;
    return c;
}

/* The keys that differ between scenarios (the varied keys of a sweep), the one that
 * varies slowest first, as the sweep's design lists them. */
static size_t varied_keys(const report *R, const keyval **out, size_t cap)
{
    size_t n = 0, ch[8];
    for (size_t i = 0; i < R->n_kv && n < cap && n < 8; i++)
        if (R->kv[i].differs) {
            size_t c = key_changes(&R->kv[i], R->s.n_scen), j = n++;
            for (; j > 0 && ch[j - 1] > c; j--) {
                out[j] = out[j - 1];
                ch[j] = ch[j - 1];
            }
            out[j] = &R->kv[i];
            ch[j] = c;
        }
    return n;
}

static void sec_summary(buf *b, const report *R)
{
    size_t n = R->s.n_scen, shown = n;
    char lv[32], t[96];
    pct_level(lv, sizeof lv, R->s.level);
    const keyval *vk[8];
    size_t nvk = R->sweep ? varied_keys(R, vk, 8) : 0;
    if (R->sweep && shown > SWEEP_ROWS_MAX)
        shown = SWEEP_ROWS_MAX;
    kn_sb_puts(b, "<section id=\"summary\">\n<h2>Summary</h2>\n");
    kn_sb_printf(b, "<p>The mean of each metric over the successful replications of each %s, with "
                    "its %s confidence interval underneath. ",
                 R->sweep ? "point of the sweep" : "scenario", lv);
    if (n > 1)
        kn_sb_puts(b, "The best mean of each column is highlighted. ");
    kn_sb_puts(b, R->s.organisation
                      ? "Measured after the warm-up; money is in the model's units.</p>\n"
                      : "This is a queue model (no customers, staff or policy): the figures are "
                        "those of the service desk.</p>\n");
    if (shown < n)
        kn_sb_printf(b,
                     "<p class=\"note\">The sweep has %zu points; the first %zu are shown. Every "
                     "point is in <code>koning export FILE --format csv</code>.</p>\n",
                     n, shown);
    kn_sb_puts(b, "<div class=\"tablewrap\"><table class=\"summary\">\n<thead><tr>");
    if (nvk) {
        for (size_t k = 0; k < nvk; k++) {
            kn_sb_puts(b, "<th>");
            b_key_breakable(b, vk[k]->key);
            kn_sb_puts(b, "</th>");
        }
    } else {
        kn_sb_puts(b, "<th>Scenario</th>");
    }
    for (size_t c = 0; c < R->n_col; c++) {
        kn_sb_puts(b, "<th class=\"num\">");
        b_esc(b, R->col[c].def->label);
        kn_sb_puts(b, "<span class=\"unit\">");
        b_esc(b, R->col[c].def->unit);
        kn_sb_puts(b, "</span></th>");
    }
    kn_sb_puts(b,
               "<th class=\"num\">Runs<span class=\"unit\">ok (failed)</span></th></tr></thead>\n"
               "<tbody>\n");
    /* the best printed mean of each column */
    char(*best)[96] = calloc(R->n_col ? R->n_col : 1, sizeof *best);
    for (size_t c = 0; best && c < R->n_col; c++) {
        const mcol *m = &R->col[c];
        double bv = NAN;
        for (size_t i = 0; i < n && m->def->better && n > 1; i++)
            if (isfinite(m->mean[i]) &&
                (isnan(bv) || (m->def->better > 0 ? m->mean[i] > bv : m->mean[i] < bv)))
                bv = m->mean[i];
        if (isfinite(bv))
            fmt_fixed(best[c], sizeof best[c], bv * m->def->scale, m->dec);
    }
    for (size_t i = 0; i < shown; i++) {
        kn_sb_printf(b, "<tr data-scenario=\"%zu\">", i);
        if (nvk) {
            for (size_t k = 0; k < nvk; k++) {
                kn_sb_puts(b, "<td>");
                b_keyval(b, vk[k], i);
                kn_sb_puts(b, "</td>");
            }
        } else {
            kn_sb_puts(b, "<td>");
            b_scen(b, R, i);
            kn_sb_puts(b, "</td>");
        }
        for (size_t c = 0; c < R->n_col; c++) {
            const mcol *m = &R->col[c];
            fmt_fixed(t, sizeof t, m->mean[i] * m->def->scale, m->dec);
            int is_best = best && best[c][0] && !strcmp(best[c], t);
            kn_sb_printf(b, "<td class=\"num%s\" data-metric=\"%s\" data-scale=\"%g\">%s",
                         is_best ? " best" : "", m->def->name, m->def->scale, t);
            if (m->lo && m->hi && isfinite(m->lo[i])) {
                kn_sb_puts(b, "<span class=\"ci\">");
                b_interval(b, m->lo[i], m->hi[i], m->def->scale, m->dec);
                kn_sb_puts(b, "</span>");
            } else if (!isfinite(m->mean[i])) {
                kn_sb_puts(b, "<span class=\"ci\">fewer than 2 runs</span>");
            }
            kn_sb_puts(b, "</td>");
        }
        kn_sb_printf(b, "<td class=\"num%s\">%.0f", R->n_failed[i] > 0 ? " failed" : "",
                     R->n_ok[i]);
        if (R->n_failed[i] > 0)
            kn_sb_printf(b, " (%.0f)", R->n_failed[i]);
        kn_sb_puts(b, "</td></tr>\n");
    }
    free(best);
    kn_sb_puts(b, "</tbody></table></div>\n");
    double failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += R->n_failed[i];
    if (failed > 0)
        kn_sb_printf(b,
                     "<p class=\"note\">%.0f run%s failed; the summaries use the successful runs "
                     "only. The error of each failed run is in the results file (dataset "
                     "<code>error</code>).</p>\n",
                     failed, failed == 1 ? "" : "s");
    kn_sb_puts(b, "</section>\n");
}

static kn_status sec_charts(buf *b, const report *R, kn_error *err)
{
    if (!R->charts.n)
        return KN_OK;
    kn_sb_puts(b, "<section id=\"charts\">\n<h2>Charts</h2>\n");
    for (size_t i = 0; i < R->charts.n; i++) {
        const kn_plot_chart *c = &R->charts.chart[i];
        if (!c->name[0] || strchr(c->name, '/') || c->name[0] == '.')
            return kn_error_set(err, KN_EIO, "chart %zu: bad name '%s'", i, c->name);
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s.svg", R->chart_dir, c->name);
        FILE *f = fopen(path, "rb");
        if (!f)
            return kn_error_set(err, KN_EIO, "%s: cannot read chart: %s", path, strerror(errno));
        buf img = {0};
        char chunk[65536];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
            kn_sb_put(&img, chunk, got);
        int bad = ferror(f);
        fclose(f);
        if (bad || img.oom || !img.n) {
            const char *why = img.oom ? ": out of memory" : !img.n && !bad ? ": empty" : "";
            kn_sb_free(&img); /* zeroes img */
            return kn_error_set(err, KN_EIO, "%s: cannot read chart%s", path, why);
        }
        kn_sb_printf(b, "<figure id=\"chart-%zu\"><img src=\"data:image/svg+xml;base64,", i + 1);
        b_base64(b, (const unsigned char *)img.s, img.n);
        kn_sb_free(&img);
        kn_sb_puts(b, "\" alt=\"");
        b_esc(b, c->title);
        kn_sb_puts(b, "\">\n<figcaption><b>");
        b_esc(b, c->title);
        kn_sb_puts(b, ".</b> ");
        b_esc(b, c->caption);
        kn_sb_puts(b, "</figcaption></figure>\n");
    }
    kn_sb_puts(b, "</section>\n");
    return KN_OK;
}

/* ---- assumptions in plain words -------------------------------------------------------- */

/* A common number with `dec` decimals times `scale`, or "(varies)" when it differs. */
static void w_num(buf *b, const report *R, const char *key, double scale, int dec)
{
    double v;
    char t[96];
    int st = kv_num(R, key, &v);
    if (st == 1) {
        if (dec < 0)
            kn_sb_puts(b, fmt_value(t, sizeof t, v * scale));
        else
            kn_sb_puts(b, fmt_fixed(t, sizeof t, v * scale, dec));
    } else {
        kn_sb_puts(b, "<em>(varies)</em>");
    }
}

static void w_pct(buf *b, const report *R, const char *key)
{
    double v;
    if (kv_num(R, key, &v) != 1) {
        kn_sb_puts(b, "<em>a varying share</em>");
        return;
    }
    w_num(b, R, key, 100.0, -1);
    kn_sb_puts(b, "\xc2\xa0%");
}

static void w_minutes(buf *b, const report *R, const char *key)
{
    double v;
    w_num(b, R, key, 1.0, -1);
    kn_sb_puts(b, kv_num(R, key, &v) == 1 && v == 1 ? " minute" : " minutes");
}

static const char *hour_label(int h, char *out, size_t cap)
{
    snprintf(out, cap, "%02d:00", h);
    return out;
}

static void w_arrivals(buf *b, const report *R)
{
    double ph;
    const keyval *pk = kv_find(R, "arrivals.profile");
    int st = kv_num(R, "arrivals.per_hour", &ph);
    char t[96], h1[16], h2[16];
    if (st == 1 && isfinite(ph) && ph > 0) {
        kn_sb_printf(b,
                     "Customers arrive at random (Poisson) at about %s an hour, around the clock",
                     fmt_value(t, sizeof t, ph));
        return;
    }
    if (!pk || pk->differs || pk->cols != 24 || (st == 0)) {
        kn_sb_puts(b, "Customers arrive at random (Poisson) at a rate that differs between the "
                      "scenarios (see the tables below)");
        return;
    }
    const double *a = pk->num;
    double lo = INFINITY, hi = 0, sum = 0;
    int open = 0;
    for (int h = 0; h < 24; h++)
        if (a[h] > 0) {
            lo = a[h] < lo ? a[h] : lo;
            hi = a[h] > hi ? a[h] : hi;
            sum += a[h];
            open++;
        }
    if (!open) {
        kn_sb_puts(b, "No customers arrive");
        return;
    }
    if (lo == hi)
        kn_sb_printf(b, "Customers arrive at random (Poisson) at about %s an hour",
                     fmt_value(t, sizeof t, lo));
    else {
        char t2[96], t3[96];
        kn_sb_printf(b, "Customers arrive at random (Poisson) at between %s and %s an hour (%s on "
                        "average)", fmt_value(t, sizeof t, lo), fmt_value(t2, sizeof t2, hi),
                     fmt_fixed(t3, sizeof t3, sum / open, 1));
    }
    if (open == 24) {
        kn_sb_puts(b, " around the clock (the hourly profile)");
        return;
    }
    /* the open hours as ranges */
    kn_sb_puts(b, " between ");
    int first = 1;
    for (int h = 0; h < 24;) {
        if (!(a[h] > 0)) {
            h++;
            continue;
        }
        int e = h;
        while (e < 24 && a[e] > 0)
            e++;
        if (!first)
            kn_sb_puts(b, " and ");
        first = 0;
        kn_sb_printf(b, "%s and %s", hour_label(h, h1, sizeof h1), hour_label(e, h2, sizeof h2));
        h = e;
    }
    kn_sb_puts(b, " (the hourly profile)");
}

static void w_dist(buf *b, const report *R, const char *block)
{
    char kd[64], kc[64];
    int common;
    snprintf(kd, sizeof kd, "%s.distribution", block);
    snprintf(kc, sizeof kc, "%s.cv", block);
    const char *d = kv_str(R, kd, &common);
    if (!d || !common) {
        kn_sb_puts(b, " (the distribution differs between scenarios)");
        return;
    }
    if (!strcmp(d, "lognormal")) {
        kn_sb_puts(b, " (lognormal, coefficient of variation ");
        w_num(b, R, kc, 1.0, -1);
        kn_sb_puts(b, ")");
    } else if (!strcmp(d, "deterministic")) {
        kn_sb_puts(b, " (always exactly that)");
    } else {
        kn_sb_puts(b, " (");
        b_esc(b, d);
        kn_sb_puts(b, ")");
    }
}

typedef struct lever {
    const char *key;
    void (*say)(buf *b, const report *R, const char *key);
} lever;

static double num_or_nan(const report *R, const char *key)
{
    double v = NAN;
    return kv_num(R, key, &v) == 1 ? v : NAN;
}

static void say_investigate(buf *b, const report *R, const char *k)
{
    kn_sb_puts(b, "investigates ");
    w_pct(b, R, k);
    kn_sb_puts(b, " of complaints and claims before deciding");
}
static void say_side(buf *b, const report *R, const char *k)
{
    kn_sb_puts(b, "upholds ");
    w_pct(b, R, k);
    kn_sb_puts(b, " of the complaints and claims it does not investigate");
}
static void say_comp(buf *b, const report *R, const char *k)
{
    kn_sb_puts(b, "pays ");
    w_num(b, R, k, 1.0, -1);
    kn_sb_puts(b, " per upheld complaint or claim");
}
static void say_ease(buf *b, const report *R, const char *k)
{
    kn_sb_puts(b, "sets the ease of making a claim at ");
    w_num(b, R, k, 1.0, -1);
    kn_sb_puts(b, " (0\xe2\x80\x93" "1; 1 = no questions asked)");
}
static void say_reprimand(buf *b, const report *R, const char *k)
{
    kn_sb_puts(b, "reprimands the employee for ");
    w_pct(b, R, k);
    kn_sb_puts(b, " of complaints upheld unchecked or caused by him");
}
static void say_end(buf *b, const report *R, const char *k)
{
    double v = num_or_nan(R, k);
    if (v == 0)
        kn_sb_puts(b, "does not let staff end an abusive contact");
    else if (v == 1)
        kn_sb_puts(b, "lets staff end any abusive contact");
    else {
        kn_sb_puts(b, "lets staff end some abusive contacts (");
        w_num(b, R, k, 1.0, -1);
        kn_sb_puts(b, " on a 0\xe2\x80\x93" "1 scale)");
    }
}
static void say_ban(buf *b, const report *R, const char *k)
{
    double v = num_or_nan(R, k);
    if (v == 0)
        kn_sb_puts(b, "never bans a customer");
    else {
        kn_sb_puts(b, "bans a customer after ");
        w_num(b, R, k, 1.0, 0);
        kn_sb_puts(b, v == 1 ? " recorded incident" : " recorded incidents");
    }
}
static void say_rating(buf *b, const report *R, const char *k)
{
    kn_sb_puts(b, "weighs customer ratings ");
    w_pct(b, R, k);
    kn_sb_puts(b, " in staff evaluation");
}
static void say_cap(buf *b, const report *R, const char *k)
{
    double v = num_or_nan(R, k);
    if (v == 0)
        kn_sb_puts(b, "sets no time limit per customer");
    else {
        kn_sb_puts(b, "allows at most ");
        w_num(b, R, k, 1.0, -1);
        kn_sb_puts(b, " minutes per customer");
    }
}
static void say_empower(buf *b, const report *R, const char *k)
{
    kn_sb_puts(b, "empowers staff to solve problems themselves (");
    w_num(b, R, k, 1.0, -1);
    kn_sb_puts(b, " on a 0\xe2\x80\x93" "1 scale)");
}
static void say_backing(buf *b, const report *R, const char *k)
{
    kn_sb_puts(b, "backs staff against customers (");
    w_num(b, R, k, 1.0, -1);
    kn_sb_puts(b, " on a 0\xe2\x80\x93" "1 scale)");
}
static void say_effort(buf *b, const report *R, const char *k)
{
    double v = num_or_nan(R, k);
    if (v == 0)
        kn_sb_puts(b, "gives every customer the same effort");
    else {
        kn_sb_puts(b, "gives customers time according to their value (weight ");
        w_num(b, R, k, 1.0, -1);
        kn_sb_puts(b, ")");
    }
}
static void say_training(buf *b, const report *R, const char *k)
{
    double v = num_or_nan(R, k);
    if (v == 0)
        kn_sb_puts(b, "gives new hires no extra training");
    else {
        kn_sb_puts(b, "trains new hires so they learn ");
        w_num(b, R, k, 1.0, -1);
        kn_sb_puts(b, " times faster");
    }
}

static const lever levers[] = {
    {"policy.investigate", say_investigate}, {"policy.side_with_customer", say_side},
    {"policy.compensation", say_comp},       {"policy.claim_ease", say_ease},
    {"policy.reprimand", say_reprimand},     {"policy.end_abusive_contact", say_end},
    {"policy.ban_after_incidents", say_ban}, {"policy.rating_weight", say_rating},
    {"policy.minutes_cap", say_cap},         {"policy.empowerment", say_empower},
    {"policy.backing", say_backing},         {"policy.effort_by_value", say_effort},
    {"policy.training", say_training},
};

/* Keys that belong to the organisation model only (ignored by a queue model). */
static int org_key(const char *key)
{
    static const char *const pre[] = {"customers.", "employee.", "work.", "policy.", "demand.",
                                      "behaviour."};
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        if (!strncmp(key, pre[i], strlen(pre[i])))
            return 1;
    return !strncmp(key, "staff.", 6) && strcmp(key, "staff.employees");
}

/* Keys that describe the study itself rather than a modelling assumption with a default. */
static int defining_key(const char *key)
{
    static const char *const pre[] = {"run.", "arrivals.", "service.", "patience."};
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        if (!strncmp(key, pre[i], strlen(pre[i])))
            return 1;
    return !strcmp(key, "staff.employees") || !strcmp(key, "customers.base");
}

/* The documented default of a numeric key (NAN when it has none, or is required). */
static double key_default(const char *key)
{
    const kn_param *p = kn_param_find(key);
    if (!p || (p->type != KN_PT_INT && p->type != KN_PT_UINT64 && p->type != KN_PT_DOUBLE))
        return NAN;
    kn_scenario sc;
    kn_scenario_defaults(&sc);
    double v = kn_param_get_number(&sc, p, 0);
    if (v < p->min || v > p->max || (p->min_exclusive && v == p->min))
        return NAN; /* a required key: its placeholder default is out of range */
    return v;
}

/* What all scenarios share, as a list of sentences. */
static void assumptions_list(buf *b, const report *R)
{
    int org = R->s.organisation;
    double v, e, d;
    kn_sb_puts(b, "<ul class=\"plain\">\n");
    /* the desk */
    kn_sb_puts(b, "<li><b>Staff.</b> ");
    if (org) {
        w_num(b, R, "staff.employees", 1.0, 0);
        kn_sb_puts(b, " positions; each employee works ");
        w_num(b, R, "staff.days_per_week", 1.0, 0);
        kn_sb_puts(b, " days a week");
        if (kv_num(R, "staff.employees", &e) == 1 && kv_num(R, "staff.days_per_week", &d) == 1) {
            char t[32];
            kn_sb_printf(b, ", so about %s are at the desk on a day",
                         fmt_fixed(t, sizeof t, e * d / 7.0, 0));
        }
        kn_sb_puts(b, ". A leaver's position stays empty for ");
        w_num(b, R, "staff.hiring_delay_days", 1.0, -1);
        kn_sb_puts(b, " days; a new hire needs ");
        w_num(b, R, "staff.ramp_days", 1.0, -1);
        kn_sb_puts(b, " working days to reach full skill.</li>\n");
    } else {
        w_num(b, R, "staff.employees", 1.0, 0);
        kn_sb_puts(b, " employees serve one first-come-first-served queue.</li>\n");
    }
    /* demand and service */
    kn_sb_puts(b, "<li><b>Demand.</b> ");
    w_arrivals(b, R);
    kn_sb_puts(b, org ? ", in proportion to the customers still active (fewer come when customers "
                        "leave, more when word of mouth brings new ones)"
                      : "");
    kn_sb_puts(b, ". Each needs about ");
    w_minutes(b, R, "service.mean_minutes");
    kn_sb_puts(b, " of service");
    w_dist(b, R, "service");
    if (org) {
        kn_sb_puts(b, "; rude customers need ");
        w_num(b, R, "customers.rude_service_factor", 1.0, -1);
        kn_sb_puts(b, " times as long");
    }
    kn_sb_puts(b, ". ");
    int common;
    const char *pd = kv_str(R, "patience.distribution", &common);
    if (pd && common && !strcmp(pd, "none"))
        kn_sb_puts(b, "Nobody gives up waiting.");
    else {
        kn_sb_puts(b, "A waiting customer gives up after about ");
        w_minutes(b, R, "patience.mean_minutes");
        kn_sb_puts(b, " on average");
        w_dist(b, R, "patience");
        kn_sb_puts(b, ".");
    }
    if (org && kv_num(R, "demand.spike_days", &v) == 1 && v > 0) {
        kn_sb_puts(b, " Demand rises ");
        w_num(b, R, "demand.spike_factor", 1.0, -1);
        kn_sb_puts(b, " times for ");
        w_num(b, R, "demand.spike_days", 1.0, -1);
        kn_sb_puts(b, " days from day ");
        w_num(b, R, "demand.spike_start_day", 1.0, -1);
        kn_sb_puts(b, ".");
    }
    kn_sb_puts(b, "</li>\n");
    if (org) {
        kn_sb_puts(b, "<li><b>Customers.</b> ");
        w_num(b, R, "customers.base", 1.0, 0);
        kn_sb_puts(b, " customers at the start, of whom ");
        w_pct(b, R, "customers.mix.rude");
        kn_sb_puts(b, " rude and ");
        w_pct(b, R, "customers.mix.exploitative");
        kn_sb_puts(b, " exploitative (the rest polite); ");
        w_pct(b, R, "customers.abuse_probability");
        kn_sb_puts(b, " of a rude customer's visits are abusive. A served visit brings ");
        w_num(b, R, "customers.value_per_visit", 1.0, -1);
        kn_sb_puts(b, " of revenue on average. Customers who are let down may complain, and may "
                      "leave; new ones come by word of mouth.</li>\n");
        kn_sb_puts(b, "<li><b>Money.</b> A filled position costs ");
        w_num(b, R, "staff.wage_per_day", 1.0, -1);
        kn_sb_puts(b, " a day and a hire ");
        w_num(b, R, "staff.hiring_cost_days", 1.0, -1);
        kn_sb_puts(b, " days' pay. Money is in arbitrary units: compare scenarios, not "
                      "currencies.</li>\n");
        /* the policy, when (some of) it is common */
        size_t ncommon = 0, nlev = sizeof levers / sizeof levers[0];
        for (size_t i = 0; i < nlev; i++)
            if (kv_num(R, levers[i].key, &v) == 1)
                ncommon++;
        if (ncommon) {
            kn_sb_printf(b, "<li><b>Management%s.</b> In every scenario management ",
                         ncommon < nlev ? " (what all scenarios share)" : "");
            size_t said = 0;
            for (size_t i = 0; i < nlev; i++) {
                if (kv_num(R, levers[i].key, &v) != 1)
                    continue;
                if (said)
                    kn_sb_puts(b, said + 1 == ncommon ? " and " : "; ");
                levers[i].say(b, R, levers[i].key);
                said++;
            }
            kn_sb_puts(b, ".</li>\n");
        }
        if (kv_num(R, "behaviour.effects", &v) == 1 && v == 0)
            kn_sb_puts(b,
                       "<li><b>Behaviour switched off</b> (<code>behaviour.effects: 0</code>): no "
                       "complaints, churn, exhaustion or quits; a check of the queue, not a "
                       "study of policy.</li>\n");
    }
    kn_sb_printf(b, "<li><b>Simulation.</b> %s simulated for ",
                 R->s.n_scen > 1 ? "Each scenario was" : "The scenario was");
    w_num(b, R, "run.days", 1.0, -1);
    kn_sb_puts(b, " days; the first ");
    w_num(b, R, "run.warmup_days", 1.0, -1);
    kn_sb_puts(b, " days were a warm-up, left out of the figures; ");
    b_reps(b, R);
    kn_sb_puts(b, " (independent replications");
    if (R->s.n_scen > 1)
        kn_sb_puts(b, ", on common random numbers");
    kn_sb_puts(b, "), master seed ");
    w_num(b, R, "run.seed", 1.0, 0);
    kn_sb_puts(b, ".</li>\n");
    /* changed from the documented defaults */
    size_t nchg = 0;
    for (size_t i = 0; i < R->n_kv; i++) {
        const keyval *k = &R->kv[i];
        if (k->is_str || k->cols != 1 || k->differs || defining_key(k->key) ||
            (!org && org_key(k->key)))
            continue;
        double def = key_default(k->key);
        if (isnan(def) || same_num(def, k->num[0]))
            continue;
        char t1[96], t2[96];
        kn_sb_puts(b, nchg ? "; " : "<li><b>Changed from the model's defaults.</b> ");
        b_esc(b, k->long_name[0] ? k->long_name : k->key);
        kn_sb_puts(b, " (<code>");
        b_esc(b, k->key);
        kn_sb_printf(b, "</code>): %s instead of %s", fmt_value(t1, sizeof t1, k->num[0]),
                     fmt_value(t2, sizeof t2, def));
        nchg++;
    }
    if (nchg)
        kn_sb_puts(b, ".</li>\n");
    kn_sb_puts(b,
               org ? "<li><b>Everything else</b>: how customers judge a visit, complain and leave, "
                     "how staff tire, lose heart and quit, how work pressure wears down the "
                     "service standard, is at the model's documented defaults"
                   : "<li><b>Everything else</b> is at the model's documented defaults");
    kn_sb_puts(b, nchg ? " except as listed above" : "");
    kn_sb_puts(b, "; the full table below lists every value.</li>\n</ul>\n");
}

/* The keys whose values differ between the scenarios, with each scenario's value (with
 * many scenarios, the distinct values). */
static void differs_table(buf *b, const report *R)
{
    int org = R->s.organisation;
    const keyval *vk[512];
    size_t nvk = 0;
    for (size_t i = 0; i < R->n_kv && nvk < 512; i++)
        if (R->kv[i].differs && (org || !org_key(R->kv[i].key)))
            vk[nvk++] = &R->kv[i];
    if (nvk) {
        kn_sb_puts(b, "<h3>What differs between the scenarios</h3>\n<div class=\"tablewrap\">"
                      "<table class=\"differs\">\n<thead><tr><th>Setting</th><th>Key</th>");
        int wide = R->s.n_scen > WIDE_SCENARIOS;
        if (wide)
            kn_sb_puts(b, "<th>Values</th>");
        else
            for (size_t i = 0; i < R->s.n_scen; i++) {
                kn_sb_puts(b, "<th>");
                b_scen(b, R, i);
                kn_sb_puts(b, "</th>");
            }
        kn_sb_puts(b, "</tr></thead>\n<tbody>\n");
        for (size_t j = 0; j < nvk; j++) {
            const keyval *k = vk[j];
            kn_sb_puts(b, "<tr><td>");
            b_esc(b, k->long_name[0] ? k->long_name : k->key);
            if (k->units[0] && strcmp(k->units, "1")) {
                kn_sb_puts(b, " <span class=\"note\">(");
                b_esc(b, k->units);
                kn_sb_puts(b, ")</span>");
            }
            kn_sb_puts(b, "</td><td><code>");
            b_key_breakable(b, k->key);
            kn_sb_puts(b, "</code></td>");
            if (wide) {
                /* the distinct values, in order of first appearance */
                kn_sb_puts(b, "<td>");
                size_t shown = 0;
                for (size_t i = 0; i < R->s.n_scen && shown < 40; i++) {
                    int seen = 0;
                    for (size_t p = 0; p < i && !seen; p++)
                        seen = k->is_str ? !strcmp(k->str[p], k->str[i])
                                         : !memcmp(k->num + p * k->cols, k->num + i * k->cols,
                                                   k->cols * sizeof(double));
                    if (seen)
                        continue;
                    if (shown++)
                        kn_sb_puts(b, k->cols > 1 ? "<br>" : ", ");
                    b_keyval(b, k, i);
                }
                kn_sb_puts(b, "</td>");
            } else {
                for (size_t i = 0; i < R->s.n_scen; i++) {
                    kn_sb_puts(b, "<td>");
                    b_keyval(b, k, i);
                    kn_sb_puts(b, "</td>");
                }
            }
            kn_sb_puts(b, "</tr>\n");
        }
        kn_sb_puts(b, "</tbody></table></div>\n");
    }
}

/* Every key, collapsed: value, unit, meaning and the model's default. */
static void keys_table(buf *b, const report *R)
{
    int org = R->s.organisation;
    kn_sb_puts(b, "<details><summary>Every parameter of the study</summary>\n");
    if (!org)
        kn_sb_puts(b, "<p class=\"note\">A queue model: the keys of the organisation model "
                      "(customers, employees, policy) are stored in the file but not used, and "
                      "not listed.</p>\n");
    kn_sb_puts(b, "<div class=\"tablewrap\"><table class=\"keys\">\n<thead><tr><th>Key</th>"
                  "<th>Meaning</th><th>Unit</th><th>Value</th><th>Model default</th></tr></thead>\n"
                  "<tbody>\n");
    for (size_t i = 0; i < R->n_kv; i++) {
        const keyval *k = &R->kv[i];
        if (!org && org_key(k->key))
            continue;
        double def = k->is_str || k->cols != 1 ? NAN : key_default(k->key);
        int changed = !k->differs && isfinite(def) && !same_num(def, k->num[0]);
        char t[96];
        kn_sb_puts(b, "<tr><td><code>");
        b_key_breakable(b, k->key);
        kn_sb_puts(b, "</code></td><td>");
        b_esc(b, k->long_name);
        kn_sb_puts(b, "</td><td>");
        b_esc(b, strcmp(k->units, "1") ? k->units : "");
        kn_sb_printf(b, "</td><td%s>", changed ? " class=\"changed\"" : "");
        if (k->differs)
            kn_sb_puts(b, "<em>differs: see above</em>");
        else
            b_keyval(b, k, 0);
        kn_sb_printf(b, "</td><td>%s</td></tr>\n",
                     isfinite(def) ? fmt_value(t, sizeof t, def) : "");
    }
    kn_sb_puts(b,
               "</tbody></table></div>\n<p class=\"note\">Values in bold differ from the model's "
               "documented default. Each key is explained in docs/scenarios.md and its "
               "mechanism in docs/model.md.</p>\n</details>\n");
}

static void sec_assumptions(buf *b, const report *R)
{
    kn_sb_puts(b, "<section id=\"assumptions\">\n<h2>Assumptions in plain words</h2>\n");
    kn_sb_puts(b, "<p>What every scenario of this study assumes. ");
    if (R->s.n_scen > 1)
        kn_sb_puts(b, "What differs between the scenarios is in the table after the list.");
    kn_sb_puts(b, "</p>\n");
    assumptions_list(b, R);
    differs_table(b, R);
    keys_table(b, R);
    kn_sb_puts(b, "</section>\n");
}

static void sec_sources(buf *b, const report *R)
{
    kn_sb_puts(b, "<section id=\"sources\">\n<h2>Sources of the defaults</h2>\n");
    kn_sb_puts(b,
               "<p>The literature behind the model's mechanisms and default values, as "
               "docs/model.md gives it. Most magnitudes are <b>assumed</b>: the literature gives "
               "the direction of an effect, not its size. One number is <b>calibrated</b> (the "
               "base quit rate, to a published turnover band); a few come straight from the "
               "literature.");
    size_t ns = sizeof sources / sizeof sources[0];
    if (!R->s.organisation) {
        ns = QUEUE_SOURCES;
        kn_sb_printf(b,
                     " This study is a queue model: the %zu sources of the organisation model (in "
                     "docs/model.md) do not apply to it.",
                     sizeof sources / sizeof sources[0] - ns);
    }
    kn_sb_puts(b, "</p>\n<ol class=\"sources\">\n");
    for (size_t i = 0; i < ns; i++) {
        const source *s = &sources[i];
        kn_sb_puts(b, "<li><b>");
        b_esc(b, s->cite);
        kn_sb_puts(b, "</b> \xe2\x80\x94 ");
        b_esc(b, s->mechanism);
        kn_sb_puts(b, ".<br><span class=\"basis\">");
        if (s->keys[0]) {
            kn_sb_puts(b, "Parameters: ");
            b_esc(b, s->keys);
            kn_sb_puts(b, " \xc2\xb7 ");
        }
        kn_sb_puts(b, "Basis: ");
        b_esc(b, s->basis);
        kn_sb_puts(b, ".</span></li>\n");
    }
    kn_sb_puts(b, "</ol>\n</section>\n");
}

static void sec_reading(buf *b, const report *R)
{
    char lv[32];
    pct_level(lv, sizeof lv, R->s.level);
    kn_sb_puts(b, "<section id=\"reading\">\n<h2>How to read this report</h2>\n"
                  "<ul class=\"plain\">\n");
    kn_sb_puts(b,
               "<li><b>Replications.</b> Each scenario was simulated several times with different "
               "random customers and events (");
    b_reps(b, R);
    kn_sb_puts(b, "). A figure in the tables is the mean over those runs.</li>\n");
    kn_sb_printf(b,
                 "<li><b>Confidence intervals.</b> The range under each mean is its %s confidence "
                 "interval: an interval made this way contains the model's true mean in %s of "
                 "studies. More replications make it narrower. Two scenarios whose intervals do "
                 "not overlap clearly differ; overlapping intervals do not prove they are the "
                 "same.</li>\n",
                 lv, lv);
    if (R->s.n_scen > 1)
        kn_sb_puts(b,
                   "<li><b>Common random numbers.</b> Every scenario replays the same customers "
                   "with the same needs and the same random events, as far as the scenarios let "
                   "them; differences between scenarios therefore come from what differs between "
                   "them, not from luck. This is why the verdict's paired intervals are "
                   "usually narrower than the intervals in the table.</li>\n");
    kn_sb_puts(b,
               "<li><b>Warm-up.</b> Each run starts empty; the first days (the warm-up, shaded in "
               "the charts) are left out of the figures so that they describe the organisation "
               "in its running state.</li>\n");
    kn_sb_puts(b, "<li><b>A model, not a forecast.</b> The figures are what the model's mechanisms "
                  "imply under the stated assumptions, many of them assumed magnitudes (see the "
                  "sources). Use them to compare policies and to see which mechanism drives an "
                  "outcome, not to predict the numbers of a real organisation.</li>\n");
    kn_sb_puts(b, "</ul>\n</section>\n");
}

static void page(buf *b, report *R, kn_error *err, kn_status *rc)
{
    kn_sb_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    kn_sb_printf(b, "<meta name=\"generator\" content=\"koning %s\">\n<title>", KONING_VERSION);
    b_title(b, R);
    kn_sb_puts(b, "</title>\n<style>\n");
    for (size_t i = 0; i < sizeof css / sizeof css[0]; i++)
        kn_sb_puts(b, css[i]);
    kn_sb_puts(b, "</style>\n</head>\n<body>\n");
    sec_header(b, R);
    kn_sb_puts(b, "<main class=\"wrap\">\n");
    sec_toc(b, R);
    if (R->have_verdict)
        sec_verdict(b, R);
    else if (R->verdict_error[0]) {
        kn_sb_puts(b,
                   "<section id=\"verdict\">\n<h2>The verdict</h2>\n<p class=\"note\">The verdict "
                   "could not be computed from this file: ");
        b_esc(b, R->verdict_error);
        kn_sb_puts(b, "</p>\n</section>\n");
    }
    sec_summary(b, R);
    if ((*rc = sec_charts(b, R, err)) != KN_OK)
        return;
    sec_assumptions(b, R);
    sec_sources(b, R);
    sec_reading(b, R);
    kn_sb_printf(b, "<footer>Made by koning %s (<code>koning report</code>) from ", KONING_VERSION);
    b_esc(b, R->path);
    kn_sb_puts(b, ". The results file holds every run, series and parameter: "
                  "<code>koning export FILE --format csv</code> for spreadsheets.</footer>\n"
                  "</main>\n");
    kn_sb_puts(b, load_check);
    kn_sb_puts(b, "</body>\n</html>\n");
}

/* ---- writing --------------------------------------------------------------------------- */

static kn_status write_atomic(const char *out, const buf *b, kn_error *err)
{
    size_t len = strlen(out);
    char *tmp = malloc(len + 16);
    if (!tmp)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    snprintf(tmp, len + 16, "%s.tmp.XXXXXX", out);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        kn_status rc = kn_error_set(err, KN_EIO, "%s: cannot write: %s", out, strerror(errno));
        free(tmp);
        return rc;
    }
    mode_t mask = umask(0);
    umask(mask);
    int e = 0;
    if (fchmod(fd, 0666 & ~mask) != 0)
        e = errno;
    FILE *f = e ? NULL : fdopen(fd, "wb");
    if (!f) {
        e = e ? e : errno;
        close(fd);
    } else {
        if (fwrite(b->s, 1, b->n, f) != b->n || fflush(f) != 0 || fsync(fileno(f)) != 0)
            e = errno ? errno : EIO;
        if (fclose(f) != 0 && !e)
            e = errno ? errno : EIO;
    }
    if (!e && rename(tmp, out) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        free(tmp);
        return kn_error_set(err, KN_EIO, "%s: cannot write: %s", out, strerror(e));
    }
    free(tmp);
    /* make the rename durable */
    char *dcopy = strdup(out);
    if (dcopy) {
        int dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dcopy);
    }
    return KN_OK;
}

/* ---- the API --------------------------------------------------------------------------- */

kn_status kn_report_html_opts(const char *h5path, const char *out_html, const kn_report_opts *opts,
                              kn_error *err)
{
    report R = {0};
    buf b = {0};
    kn_status rc;
    R.path = h5path;
    if ((rc = kn_h5r_open(&R.r, h5path, err)) != KN_OK)
        return rc;
    if ((rc = kn_h5r_study_load(R.r, &R.s, err)) != KN_OK)
        goto done;
    R.sweep = R.s.kind && !strcmp(R.s.kind, "sweep");
    if (kn_h5r_attr_text(R.r, "/", "koning_version", &R.version, NULL) != KN_OK)
        R.version = strdup("(unknown version)");
    if (kn_h5r_attr_text(R.r, "/", "command_line", &R.cmdline, NULL) != KN_OK)
        R.cmdline = NULL;
    if ((rc = load_vector(&R, "n_runs_ok", &R.n_ok, err)) != KN_OK ||
        (rc = load_vector(&R, "n_runs_failed", &R.n_failed, err)) != KN_OK ||
        (rc = load_keys(&R, err)) != KN_OK || (rc = load_metrics(&R, err)) != KN_OK)
        goto done;

    /* the verdict: not for queue models or single scenarios (KN_EINVAL) */
    kn_error verr = {0};
    kn_status vrc = kn_verdict_from_file(R.r, &R.s, &R.v, &verr);
    if (vrc == KN_OK)
        R.have_verdict = 1;
    else if (vrc != KN_EINVAL) { /* e.g. a file of an older version: say so, go on */
        fprintf(stderr, "koning: warning: no verdict: %s\n", verr.msg);
        snprintf(R.verdict_error, sizeof R.verdict_error, "%s", verr.msg);
    }

    /* the charts, into a temporary directory */
    const char *td = getenv("TMPDIR");
    if (opts && opts->tmpdir)
        td = opts->tmpdir;
    char tmpl[PATH_MAX];
    snprintf(tmpl, sizeof tmpl, "%s/koning-report-XXXXXX", td && *td ? td : "/tmp");
    if (!mkdtemp(tmpl)) {
        rc = kn_error_set(err, KN_EIO, "%s: cannot make a temporary directory: %s", tmpl,
                          strerror(errno));
        goto done;
    }
    if (!(R.chart_dir = strdup(tmpl))) {
        rmdir(tmpl);
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    kn_plot_opts po = {KN_PLOT_SVG, opts ? opts->max_runs : 0, NULL, 1};
    if ((rc = kn_plot_file(h5path, R.chart_dir, &po, &R.charts, err)) != KN_OK)
        goto done;

    page(&b, &R, err, &rc);
    if (rc != KN_OK)
        goto done;
    if (b.oom) {
        rc = kn_error_set(err, KN_ENOMEM, "%s: out of memory building the page", out_html);
        goto done;
    }
    rc = write_atomic(out_html, &b, err);
done:
    kn_sb_free(&b);
    report_free(&R);
    return rc;
}

kn_status kn_report_html(const char *h5path, const char *out_html, kn_error *err)
{
    return kn_report_html_opts(h5path, out_html, NULL, err);
}

void kn_report_list_sources(FILE *f)
{
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
        fprintf(f, "%s\t%s\t%s\n", sources[i].cite, sources[i].mechanism, sources[i].basis);
}

/* ---- the command line ------------------------------------------------------------------ */

/* Can `out` be written? Its directory must exist and be writable, and it must not be
 * the results file itself. Returns 0, or 1 with a message printed. */
static int check_output(const char *out, const char *in)
{
    char *copy = strdup(out);
    if (!copy) {
        fprintf(stderr, "koning: out of memory\n");
        return 1;
    }
    const char *dir = dirname(copy);
    struct stat st, si;
    int bad = 1;
    if (stat(dir, &st) != 0)
        fprintf(stderr, "koning: %s: cannot write: directory '%s' does not exist\n", out, dir);
    else if (!S_ISDIR(st.st_mode))
        fprintf(stderr, "koning: %s: cannot write: '%s' is not a directory\n", out, dir);
    else if (access(dir, W_OK | X_OK) != 0)
        fprintf(stderr, "koning: %s: cannot write: directory '%s' is not writable\n", out, dir);
    else if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        fprintf(stderr, "koning: %s: cannot write: is a directory\n", out);
    else if (stat(out, &st) == 0 && stat(in, &si) == 0 && st.st_dev == si.st_dev &&
             st.st_ino == si.st_ino)
        fprintf(stderr, "koning: %s: is the results file itself; choose another output name\n",
                out);
    else
        bad = 0;
    free(copy);
    return bad;
}

int kn_report_main(int argc, char **argv)
{
    enum { OPT_MAX_RUNS = 256, OPT_LIST_SOURCES };
    static const struct option lopts[] = {
        {"output", required_argument, 0, 'o'},
        {"max-runs", required_argument, 0, OPT_MAX_RUNS},
        {"list-sources", no_argument, 0, OPT_LIST_SOURCES},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *out = NULL;
    kn_report_opts o = {0, NULL};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", lopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_MAX_RUNS: {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || n < 0 || n > 100000) {
                fprintf(stderr, "koning: option '--max-runs': expected an integer in [0, 100000], "
                                "got '%s'\n", optarg);
                return EXIT_INPUT;
            }
            o.max_runs = n == 0 ? -1 : (int)n;
            break;
        }
        case OPT_LIST_SOURCES: kn_report_list_sources(stdout); return 0;
        case 'h': fputs(kn_report_usage, stdout); return 0;
        default: fputs(kn_report_usage, stderr); return EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        fputs(kn_report_usage, stderr);
        return EXIT_INPUT;
    }
    const char *file = argv[optind];
    char buf_out[PATH_MAX];
    if (!out) {
        size_t len = strlen(file);
        if (len > 3 && !strcmp(file + len - 3, ".h5"))
            len -= 3;
        if (len + 6 > sizeof buf_out) {
            fprintf(stderr, "koning: %s: name too long\n", file);
            return EXIT_INPUT;
        }
        snprintf(buf_out, sizeof buf_out, "%.*s.html", (int)len, file);
        out = buf_out;
    }
    /* bad input (exit 2) is found before anything is drawn */
    kn_error err = {0};
    kn_h5r *r = NULL;
    kn_h5r_study s;
    if (kn_h5r_open(&r, file, &err) != KN_OK) {
        fprintf(stderr, "koning: %s\n", err.msg);
        return EXIT_INPUT;
    }
    kn_status st = kn_h5r_study_load(r, &s, &err);
    kn_h5r_close(r);
    if (st != KN_OK) {
        fprintf(stderr, "koning: %s\n", err.msg);
        return EXIT_INPUT;
    }
    kn_h5r_study_free(&s);
    if (check_output(out, file))
        return EXIT_INPUT;
    if (kn_report_html_opts(file, out, &o, &err) != KN_OK) {
        fprintf(stderr, "koning: %s\n", err.msg);
        return EXIT_FAIL;
    }
    fprintf(stderr, "koning report: wrote %s\n", out);
    return 0;
}
