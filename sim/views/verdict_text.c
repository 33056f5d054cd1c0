/* verdict_text.c - the verdict as words for a terminal and as JSON (API in verdict.h).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "payback.h"
#include "tables.h"
#include "verdict_int.h"

/* ---- text ----------------------------------------------------------------------------------- */

/* A scenario name as a terminal may show it (tables.h): control characters escaped. Up
 * to four in one statement, from a ring of buffers (the text is written by one thread). */
static const char *tty_name(const kn_h5r_study *s, size_t k)
{
    static char ring[4][KN_TTY_MAX];
    static unsigned next;
    char *b = ring[next++ % 4];
    return kn_tty_text(b, KN_TTY_MAX, s->scen_name[k]);
}
#define TTY_NAME(s, k) tty_name((s), (size_t)(k))

static void fmt_value(char *out, size_t cap, const char *metric, double x)
{
    int money = !strcmp(metric, "profit");
    if (fabs(x) < (money ? 0.5 : 0.0005))
        x = 0.0; /* no "-0" for a difference that rounds to nothing */
    if (!strcmp(metric, "profit"))
        snprintf(out, cap, "%.0f", x);
    else
        snprintf(out, cap, "%.3f", x);
}

static void print_week(FILE *f, size_t w)
{
    if (w == SIZE_MAX)
        fputs("none", f);
    else
        fprintf(f, "%zu", w);
}

/* "week" when the series are weekly, else "period". */
static const char *period_word(const kn_verdict *v)
{
    return v->period_days == 7.0 ? "week" : "period";
}

/* Where each scenario's steady state starts after the switch, and for those that do not
 * reach one, what still moves a year (only drifts whose interval excludes 0). */
static void print_steady(FILE *f, const kn_h5r_study *s, const kn_verdict *v)
{
    size_t n_not = 0;
    for (size_t k = 0; k < v->n_scen; k++)
        n_not += !v->steady[k];
    fprintf(f, "  steady state after the switch (window from MSER-5 on the %sly means of the four "
            "headline series; steady when none of them still drifts over it):", period_word(v));
    int first = 1;
    for (size_t k = 0; k < v->n_scen; k++) {
        if (!v->steady[k])
            continue;
        fprintf(f, "%s %s from %s %zu", first ? "" : ",", TTY_NAME(s, k), period_word(v),
                v->from[k] + 1);
        first = 0;
    }
    if (n_not == 0) {
        fputs("\n", f);
        return;
    }
    fprintf(f, "%s\n  not reached within %zu %ss by %zu of %zu (their means describe the years "
            "after the switch, not the long run; run longer to see where they settle):\n",
            first ? " none" : ";", v->n_period, period_word(v), n_not, v->n_scen);
    for (size_t k = 0; k < v->n_scen; k++) {
        if (v->steady[k])
            continue;
        fprintf(f, "    %s from %s %zu, still moving a year:", TTY_NAME(s, k), period_word(v),
                v->from[k] + 1);
        int any = 0;
        for (int h = 0; h < KN_VERDICT_METRICS; h++) {
            size_t j = k * KN_VERDICT_METRICS + (size_t)h;
            if (!(v->drift_lo[j] > 0.0 || v->drift_hi[j] < 0.0))
                continue; /* no drift that the replications can tell from none */
            if (h == 3)
                fprintf(f, "%s %s %+.0f a week", any ? "," : "", v->line[h].label, v->drift[j]);
            else
                fprintf(f, "%s %s %+.3f", any ? "," : "", v->line[h].label, v->drift[j]);
            any = 1;
        }
        fputs("\n", f);
    }
}

void kn_verdict_print(FILE *f, const kn_h5r_study *s, const kn_verdict *v)
{
    int R = 0;
    for (size_t i = 0; i < s->n_run; i++)
        if (s->run_scenario[i] == (int)v->overall)
            R++;
    fprintf(f, "Verdict (%g %% confidence, %d replications on common random numbers; steady state "
            "by MSER-5; \"best\" is the set that cannot be told apart from the best mean, by paired "
            "subset selection, Nelson et al. 2001)\n", 100.0 * v->level, R);
    print_steady(f, s, v);
    for (int h = 0; h < KN_VERDICT_METRICS; h++) {
        const kn_verdict_line *L = &v->line[h];
        char m[32], lo[32], hi[32], dm[32], dlo[32], dhi[32];
        fmt_value(m, sizeof m, L->metric, L->mean);
        fmt_value(lo, sizeof lo, L->metric, L->lo);
        fmt_value(hi, sizeof hi, L->metric, L->hi);
        double sg = L->higher_is_better ? 1.0 : -1.0; /* the lead, in the better direction */
        fmt_value(dm, sizeof dm, L->metric, sg * L->diff);
        fmt_value(dlo, sizeof dlo, L->metric, sg > 0 ? L->diff_lo : -L->diff_hi);
        fmt_value(dhi, sizeof dhi, L->metric, sg > 0 ? L->diff_hi : -L->diff_lo);
        fprintf(f, "  %-19s best: %s, %s [%s, %s] (%s; %s)\n", L->label, TTY_NAME(s, L->winner),
                m, lo, hi, L->unit, L->higher_is_better ? "higher is better" : "lower is better");
        if (L->clear) {
            fprintf(f, "  %-19s   a clear win: lead over %s %s [%s, %s]\n", "",
                    TTY_NAME(s, L->runner_up), dm, dlo, dhi);
        } else {
            fprintf(f, "  %-19s   cannot be told apart from:", "");
            int first = 1;
            for (size_t k = 0; k < v->n_scen; k++)
                if (L->best[k] && k != L->winner) {
                    fprintf(f, "%s %s", first ? "" : ",", TTY_NAME(s, k));
                    first = 0;
                }
            fprintf(f, " (lead over %s %s [%s, %s])\n", TTY_NAME(s, L->runner_up), dm, dlo, dhi);
        }
    }
    int wins = 0, clear = 0;
    for (int h = 0; h < KN_VERDICT_METRICS; h++) {
        wins += v->line[h].winner == v->overall;
        clear += v->line[h].winner == v->overall && v->line[h].clear;
    }
    fprintf(f, "Overall: %s is best on %d of %d (alone on %d).\n", TTY_NAME(s, v->overall), wins,
            KN_VERDICT_METRICS, clear);
    if (v->status_quo != SIZE_MAX) {
        fprintf(f, "Switching from %s: payback, the week from which the cumulative gap in %s%s "
                "stays in the policy's favour [interval]:", TTY_NAME(s, v->status_quo),
                v->payback_metric, v->payback_sign < 0 ? " (lower is better)" : "");
        int first = 1;
        for (size_t k = 0; k < v->n_scen; k++) {
            if (k == v->status_quo || v->payback_case[k] < 0)
                continue;
            fprintf(f, "%s %s ", first ? "" : ";", TTY_NAME(s, k));
            first = 0;
            switch (v->payback_case[k]) {
            case KN_PAYBACK_NEVER_NEEDED: fputs("never needed (no gap)", f); break;
            case KN_PAYBACK_AT_ONCE: fputs("at once", f); break;
            case KN_PAYBACK_NOT_WITHIN: fprintf(f, "not within %zu weeks", v->n_period); break;
            default:
                fputs("week ", f);
                print_week(f, v->payback_week[k]);
                fputs(" [", f);
                print_week(f, v->payback_lo[k]);
                fputs(", ", f);
                print_week(f, v->payback_hi[k]);
                fputs("]", f);
            }
        }
        fputs(".\n", f);
    }
    if (v->has_why) {
        char why[4 * sizeof v->why];
        fprintf(f, "Why: %s\n", kn_tty_text(why, sizeof why, v->why));
    }
}

/* ---- JSON --------------------------------------------------------------------------------- */

static void json_week(FILE *f, size_t w)
{
    if (w == SIZE_MAX)
        fputs("null", f);
    else
        fprintf(f, "%zu", w);
}

static const char *payback_word(int c)
{
    switch (c) {
    case KN_PAYBACK_NEVER_NEEDED: return "never needed";
    case KN_PAYBACK_AT_ONCE: return "at once";
    case KN_PAYBACK_WITHIN: return "within";
    case KN_PAYBACK_NOT_WITHIN: return "not within the horizon";
    }
    return "none";
}

void kn_verdict_json(FILE *f, const kn_h5r_study *s, const kn_verdict *v)
{
    fputs("{\"confidence\": ", f);
    kn_json_number(f, v->level);
    fputs(", \"status_quo\": ", f);
    if (v->status_quo == SIZE_MAX)
        fputs("null", f);
    else
        kn_json_string(f, s->scen_name[v->status_quo]);
    fputs(", \"payback_metric\": ", f);
    kn_json_string(f, v->payback_metric);
    fprintf(f, ", \"payback_lower_is_better\": %s", v->payback_sign < 0 ? "true" : "false");
    fputs(", \"scenarios\": [", f);
    for (size_t k = 0; k < v->n_scen; k++) {
        fputs(k ? ", {\"name\": " : "{\"name\": ", f);
        kn_json_string(f, s->scen_name[k]);
        fprintf(f, ", \"steady_from_period\": %zu, \"steady\": %s, \"payback\": ", v->from[k],
                v->steady[k] ? "true" : "false");
        kn_json_string(f, payback_word(v->payback_case[k]));
        fputs(", \"payback_week\": ", f);
        json_week(f, v->payback_week[k]);
        fputs(", \"payback_week_low\": ", f);
        json_week(f, v->payback_lo[k]);
        fputs(", \"payback_week_high\": ", f);
        json_week(f, v->payback_hi[k]);
        fputs(", \"drift_per_year\": {", f);
        for (int h = 0; h < KN_VERDICT_METRICS; h++) {
            size_t j = k * KN_VERDICT_METRICS + (size_t)h;
            fputs(h ? ", " : "", f);
            kn_json_string(f, kn_vd_heads[h].metric);
            fputs(": [", f);
            kn_json_number(f, v->drift[j]);
            fputs(", ", f);
            kn_json_number(f, v->drift_lo[j]);
            fputs(", ", f);
            kn_json_number(f, v->drift_hi[j]);
            fputs("]", f);
        }
        fputs("}}", f);
    }
    fputs("], \"metrics\": [", f);
    for (int h = 0; h < KN_VERDICT_METRICS; h++) {
        const kn_verdict_line *L = &v->line[h];
        fputs(h ? ", {\"metric\": " : "{\"metric\": ", f);
        kn_json_string(f, L->metric);
        fputs(", \"best\": ", f);
        kn_json_string(f, s->scen_name[L->winner]);
        fputs(", \"mean\": ", f);
        kn_json_number(f, L->mean);
        fputs(", \"ci_low\": ", f);
        kn_json_number(f, L->lo);
        fputs(", \"ci_high\": ", f);
        kn_json_number(f, L->hi);
        fputs(", \"cannot_be_told_apart\": [", f);
        int first = 1;
        for (size_t k = 0; k < v->n_scen; k++)
            if (L->best[k] && k != L->winner) {
                fputs(first ? "" : ", ", f);
                kn_json_string(f, s->scen_name[k]);
                first = 0;
            }
        fprintf(f, "], \"clear\": %s, \"runner_up\": ", L->clear ? "true" : "false");
        kn_json_string(f, s->scen_name[L->runner_up]);
        fputs(", \"lead\": ", f);
        kn_json_number(f, L->diff);
        fputs(", \"lead_ci_low\": ", f);
        kn_json_number(f, L->diff_lo);
        fputs(", \"lead_ci_high\": ", f);
        kn_json_number(f, L->diff_hi);
        fputs("}", f);
    }
    fputs("], \"overall\": ", f);
    kn_json_string(f, s->scen_name[v->overall]);
    if (v->has_why) {
        fprintf(f, ", \"why\": {\"method\": \"%s\", \"combinations\": %zu, \"metrics\": [",
                v->why_exact ? "shapley" : "one at a time, both ways", v->why_combos);
        for (int h = 0; h < KN_VERDICT_METRICS; h++) {
            const kn_verdict_attr *y = &v->why_of[h];
            fputs(h ? ", {\"metric\": " : "{\"metric\": ", f);
            kn_json_string(f, kn_vd_heads[h].metric);
            fputs(", \"gap\": ", f);
            kn_json_number(f, y->gap);
            fputs(", \"gap_ci_low\": ", f);
            kn_json_number(f, y->gap_lo);
            fputs(", \"gap_ci_high\": ", f);
            kn_json_number(f, y->gap_hi);
            fputs(", \"interactions\": ", f);
            kn_json_number(f, y->rest);
            fputs(", \"levers\": [", f);
            for (size_t i = 0; i < y->n_levers; i++) {
                fputs(i ? ", {\"lever\": " : "{\"lever\": ", f);
                kn_json_string(f, y->lever[i]);
                fputs(", \"part\": ", f);
                kn_json_number(f, y->part[i]);
                fputs(", \"ci_low\": ", f);
                kn_json_number(f, y->part_lo[i]);
                fputs(", \"ci_high\": ", f);
                kn_json_number(f, y->part_hi[i]);
                if (y->through[i]) {
                    fputs(", \"through\": ", f);
                    kn_json_string(f, y->through[i]);
                }
                fputs("}", f);
            }
            fputs("]}", f);
        }
        fputs("]}", f);
    }
    fputs("}", f);
}

void kn_verdict_json_file(FILE *f, const char *path, const char *payback)
{
    kn_error err = {0};
    kn_h5r *r = NULL;
    kn_h5r_study st;
    if (kn_h5r_open(&r, path, &err) != KN_OK)
        return;
    if (kn_h5r_study_load(r, &st, &err) == KN_OK) {
        kn_verdict v;
        if (st.organisation && st.n_scen >= 2 &&
            kn_verdict_from_file_payback(r, &st, payback, &v, &err) == KN_OK) {
            char why[4096];
            kn_verdict_why_path(path, why, sizeof why);
            kn_error werr = {0};
            FILE *probe = fopen(why, "rb");
            if (probe) {
                fclose(probe);
                kn_verdict_why(why, &st, &v, &werr);
            }
            fputs(", \"verdict\": ", f);
            kn_verdict_json(f, &st, &v);
            kn_verdict_free(&v);
        }
        kn_h5r_study_free(&st);
    }
    kn_h5r_close(r);
}
