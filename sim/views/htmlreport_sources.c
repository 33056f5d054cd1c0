/* htmlreport_sources.c - the end of the page of `koning report`: the sources of the
 * defaults and how to read the report (declared in htmlreport_int.h).
 *
 * The sources are data: one entry per work cited in docs/model.md, with the mechanism it
 * informs, the parameters and the basis of their values. A queue model lists only the
 * queue's sources. `koning report --list-sources` prints the same table
 * (kn_report_list_sources, htmlreport.h).
 */
#include <stdio.h>
#include <string.h>
#include "htmlreport_int.h"

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

/* ---- the sections ---------------------------------------------------------------------- */

void hr_sec_sources(buf *b, const report *R)
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
        hr_esc(b, s->cite);
        kn_sb_puts(b, "</b> \xe2\x80\x94 ");
        hr_esc(b, s->mechanism);
        kn_sb_puts(b, ".<br><span class=\"basis\">");
        if (s->keys[0]) {
            kn_sb_puts(b, "Parameters: ");
            hr_esc(b, s->keys);
            kn_sb_puts(b, " \xc2\xb7 ");
        }
        kn_sb_puts(b, "Basis: ");
        hr_esc(b, s->basis);
        kn_sb_puts(b, ".</span></li>\n");
    }
    kn_sb_puts(b, "</ol>\n</section>\n");
}

void hr_sec_reading(buf *b, const report *R)
{
    char lv[32];
    hr_pct_level(lv, sizeof lv, R->s.level);
    kn_sb_puts(b, "<section id=\"reading\">\n<h2>How to read this report</h2>\n"
                  "<ul class=\"plain\">\n");
    kn_sb_puts(b,
               "<li><b>Replications.</b> Each scenario was simulated several times with different "
               "random customers and events (");
    hr_reps(b, R);
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

/* ---- the list -------------------------------------------------------------------------- */

void kn_report_list_sources(FILE *f)
{
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
        fprintf(f, "%s\t%s\t%s\n", sources[i].cite, sources[i].mechanism, sources[i].basis);
}
