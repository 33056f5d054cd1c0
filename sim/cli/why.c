/* why.c - the second study behind the verdict's "why": the overall winner against the
 * status quo it switched from, lever by lever (docs/model.md#verdict). The levers that
 * differ between the two are switched one at a time and in combination on the same
 * random numbers: every subset when there are few (exact Shapley values), each lever
 * alone and each left out when there are many (one at a time, both ways). The runs go
 * to FILE-why.h5 beside the results file; the verdict (views/verdict.c) reads both.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "h5read.h"
#include "options.h"
#include "verdict.h"

/* Copy lever p from one scenario to another. */
static void copy_lever(kn_scenario *to, const kn_scenario *from, const kn_param *p)
{
    size_t size = p->type == KN_PT_INT ? sizeof(int) : sizeof(double);
    memcpy((char *)to + p->offset, (const char *)from + p->offset, size);
}

/* The status quo with the levers of `mask` (bit i: lever i) taken from the winner. */
static void combination(kn_scenario *out, const kn_scenario *sq, const kn_scenario *w,
                        const kn_param *const *lever, size_t k, size_t mask)
{
    *out = *sq;
    size_t used = (size_t)snprintf(out->name, sizeof out->name, "why: %.120s", sq->name);
    size_t full = ((size_t)1 << k) - 1;
    for (size_t i = 0; i < k; i++) {
        if (!(mask >> i & 1))
            continue;
        copy_lever(out, w, lever[i]);
        if (mask != full && used < sizeof out->name)
            used += (size_t)snprintf(out->name + used, sizeof out->name - used, " + %s",
                                     lever[i]->path + 7);
    }
    if (mask == full && used < sizeof out->name)
        snprintf(out->name + used, sizeof out->name - used, " + every lever of %.120s", w->name);
}

int kn_why_study(kn_scenario *sc, int n, const sim_opts *o, const char *path)
{
    char why_path[KN_PATH_MAX];
    kn_verdict_why_path(path, why_path, sizeof why_path);
    if (unlink(why_path) != 0 && errno != ENOENT) { /* never leave a stale one */
        kn_eprintf("koning: %s: cannot remove: %s", why_path, strerror(errno));
        return KN_EXIT_FAIL;
    }
    if (o->why <= 0 || sc[0].customers.base <= 0 || n < 2)
        return 0;
    kn_error err = {0};
    kn_h5r *r = NULL;
    kn_h5r_study st;
    kn_verdict v;
    size_t w = 0, q = SIZE_MAX;
    if (kn_h5r_open(&r, path, &err) != KN_OK)
        return 0; /* the verdict will say why */
    if (kn_h5r_study_load(r, &st, &err) == KN_OK) {
        if (kn_verdict_from_file(r, &st, &v, &err) == KN_OK) {
            w = v.overall;
            q = v.status_quo;
            kn_verdict_free(&v);
        }
        kn_h5r_study_free(&st);
    }
    kn_h5r_close(r);
    if (q == SIZE_MAX || q == w || w >= (size_t)n)
        return 0;
    const kn_param *lever[KN_VERDICT_LEVERS];
    size_t k = 0;
    for (size_t i = 0; i < kn_param_count(); i++) {
        const kn_param *p = kn_param_at(i);
        if (strncmp(p->path, "policy.", 7) != 0 ||
            kn_param_get_number(&sc[q], p, 0) == kn_param_get_number(&sc[w], p, 0))
            continue;
        if (k < KN_VERDICT_LEVERS)
            lever[k++] = p;
    }
    if (k == 0)
        return 0;
    int exact = k <= (size_t)o->why;
    size_t m = exact ? (size_t)1 << k : 2 * k + 2, full = ((size_t)1 << k) - 1;
    kn_scenario *combo = calloc(m, sizeof *combo);
    if (!combo) {
        fprintf(stderr, "koning: out of memory\n");
        return KN_EXIT_FAIL;
    }
    if (exact) {
        for (size_t mask = 0; mask <= full; mask++)
            combination(&combo[mask], &sc[q], &sc[w], lever, k, mask);
    } else { /* the status quo, each lever added, each lever left out, all: in that order */
        combination(&combo[0], &sc[q], &sc[w], lever, k, 0);
        for (size_t i = 0; i < k; i++) {
            combination(&combo[1 + i], &sc[q], &sc[w], lever, k, (size_t)1 << i);
            combination(&combo[1 + k + i], &sc[q], &sc[w], lever, k, full & ~((size_t)1 << i));
            snprintf(combo[1 + k + i].name, sizeof combo[1 + k + i].name, "why: every lever of %.120s "
                     "but %.60s", sc[w].name, lever[i]->path + 7);
        }
        combination(&combo[m - 1], &sc[q], &sc[w], lever, k, full);
    }
    kn_eprintf("koning: why %s beats %s: %zu levers differ, %zu combinations (%s)",
            sc[w].name, sc[q].name, k, m, exact ? "every subset: Shapley values"
                                                  : "each lever one at a time, both ways");
    sim_opts wo = *o;
    wo.plot_dir = wo.report = NULL;
    wo.resume = 0;
    kn_study_out out = {0};
    int rc = kn_run_study(combo, m, &wo, "compare", why_path, &out);
    kn_study_out_free(&out);
    free(combo);
    return rc;
}
