/* htmlreport_assumptions.c - the assumptions of `koning report` in plain words
 * (declared in htmlreport_int.h).
 *
 * What every scenario of the study assumes, as sentences a manager can check: the
 * staff, the demand and service, the customers, the money, the management's policy
 * where the scenarios share it, the simulation itself, and the settings changed from
 * the model's documented defaults. Then a table of what differs between the scenarios
 * and, collapsed, every key with its meaning, unit, value and default.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "htmlreport_int.h"
#include "koning/scenario.h"

#define WIDE_SCENARIOS 8   /* more scenarios than this: differing keys as value lists */

/* ---- the keys' values ------------------------------------------------------------------ */

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

/* ---- assumptions in plain words -------------------------------------------------------- */

/* A common number with `dec` decimals times `scale`, or "(varies)" when it differs. */
static void w_num(buf *b, const report *R, const char *key, double scale, int dec)
{
    double v;
    char t[96];
    int st = kv_num(R, key, &v);
    if (st == 1) {
        if (dec < 0)
            kn_sb_puts(b, hr_fmt_value(t, sizeof t, v * scale));
        else
            kn_sb_puts(b, hr_fmt_fixed(t, sizeof t, v * scale, dec));
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
                     hr_fmt_value(t, sizeof t, ph));
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
                     hr_fmt_value(t, sizeof t, lo));
    else {
        char t2[96], t3[96];
        kn_sb_printf(b, "Customers arrive at random (Poisson) at between %s and %s an hour (%s on "
                        "average)", hr_fmt_value(t, sizeof t, lo), hr_fmt_value(t2, sizeof t2, hi),
                     hr_fmt_fixed(t3, sizeof t3, sum / open, 1));
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
        hr_esc(b, d);
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
                         hr_fmt_fixed(t, sizeof t, e * d / 7.0, 0));
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
    hr_reps(b, R);
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
        if (isnan(def) || hr_same_num(def, k->num[0]))
            continue;
        char t1[96], t2[96];
        kn_sb_puts(b, nchg ? "; " : "<li><b>Changed from the model's defaults.</b> ");
        hr_esc(b, k->long_name[0] ? k->long_name : k->key);
        kn_sb_puts(b, " (<code>");
        hr_esc(b, k->key);
        kn_sb_printf(b, "</code>): %s instead of %s", hr_fmt_value(t1, sizeof t1, k->num[0]),
                     hr_fmt_value(t2, sizeof t2, def));
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
                hr_scen(b, R, i);
                kn_sb_puts(b, "</th>");
            }
        kn_sb_puts(b, "</tr></thead>\n<tbody>\n");
        for (size_t j = 0; j < nvk; j++) {
            const keyval *k = vk[j];
            kn_sb_puts(b, "<tr><td>");
            hr_esc(b, k->long_name[0] ? k->long_name : k->key);
            if (k->units[0] && strcmp(k->units, "1")) {
                kn_sb_puts(b, " <span class=\"note\">(");
                hr_esc(b, k->units);
                kn_sb_puts(b, ")</span>");
            }
            kn_sb_puts(b, "</td><td><code>");
            hr_key_breakable(b, k->key);
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
                    hr_keyval(b, k, i);
                }
                kn_sb_puts(b, "</td>");
            } else {
                for (size_t i = 0; i < R->s.n_scen; i++) {
                    kn_sb_puts(b, "<td>");
                    hr_keyval(b, k, i);
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
        int changed = !k->differs && isfinite(def) && !hr_same_num(def, k->num[0]);
        char t[96];
        kn_sb_puts(b, "<tr><td><code>");
        hr_key_breakable(b, k->key);
        kn_sb_puts(b, "</code></td><td>");
        hr_esc(b, k->long_name);
        kn_sb_puts(b, "</td><td>");
        hr_esc(b, strcmp(k->units, "1") ? k->units : "");
        kn_sb_printf(b, "</td><td%s>", changed ? " class=\"changed\"" : "");
        if (k->differs)
            kn_sb_puts(b, "<em>differs: see above</em>");
        else
            hr_keyval(b, k, 0);
        kn_sb_printf(b, "</td><td>%s</td></tr>\n",
                     isfinite(def) ? hr_fmt_value(t, sizeof t, def) : "");
    }
    kn_sb_puts(b,
               "</tbody></table></div>\n<p class=\"note\">Values in bold differ from the model's "
               "documented default. Each key is explained in docs/scenarios.md and its "
               "mechanism in docs/model.md.</p>\n</details>\n");
}

void hr_sec_assumptions(buf *b, const report *R)
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
