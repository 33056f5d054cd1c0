/* robust_file.c - reading a robust study file (docs/robust.md#the-study-file):
 *
 *   name: headline
 *   policies: [../organisation.yaml, ../employees-first.yaml, ...]   # scenario files
 *   status_quo: ../organisation.yaml   # optional: every policy starts from it, then switches
 *   switch_after: 365                  # days under the status quo (default 365)
 *   uncertainty: ../uncertainty.yaml   # the ranges of the assumed magnitudes
 *   design: {latin_hypercube: 128}     # or {saltelli: N} or {morris: R} / {morris: {trajectories: R, levels: 4}}
 *   replications: 3                    # per world and policy (default: the first policy's)
 *   seed: 1                            # default: the first policy's run.seed
 *   set: {run.days: 730}               # optional overrides for every policy
 *   pairs: [[employees-first, customer-always-right]]   # optional gaps to explain
 *
 * The policies are loaded (with `set`, the status quo's levers before the switch, the
 * study's replications and seed) and checked; then the uncertainty file (uncertainty.c).
 * kn_robust_world_scenario builds a policy in a world. Messages as the sweep reader's.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "robust_int.h"

static const kn_yr_loc nowhere = { 0, 0 };

static const char *const top_keys[] = { "name", "policies", "status_quo", "switch_after",
                                        "uncertainty", "design", "replications", "seed", "set",
                                        "pairs" };
#define NTOP (sizeof top_keys / sizeof top_keys[0])
enum { T_NAME, T_POLICIES, T_SQ, T_SWITCH, T_UNC, T_DESIGN, T_REPS, T_SEED, T_SET, T_PAIRS };

const char *kn_robust_design_name(kn_robust_design d)
{
    return d == KN_RDESIGN_SALTELLI ? "saltelli" : d == KN_RDESIGN_MORRIS ? "morris" : "latin_hypercube";
}

/* A path given as a scalar, resolved against the study file's directory. */
static kn_status read_path(const sw_ctx *c, const yaml_node_t *n, const char *key, char **out)
{
    char d[KN_YR_SHOW_MAX + 16];
    if (n->type != YAML_SCALAR_NODE || kn_yr_is_null(n) || n->data.scalar.length == 0 ||
        strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "expected the path of a file, got %s",
                          kn_yr_describe(n, d, sizeof d));
    int too_long;
    *out = kn_rb_resolve(c->origin, (const char *)n->data.scalar.value, n->data.scalar.length,
                         &too_long);
    if (too_long)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "path too long");
    return *out ? KN_OK : kn_sw_oom(c);
}

/* A scenario file, loaded; a fault is reported at the node. */
static kn_status load_policy(const sw_ctx *c, const yaml_node_t *n, const char *key, char **path,
                             kn_scenario *sc)
{
    KN_CHECK(read_path(c, n, key, path));
    kn_error e = { 0 };
    kn_status rc = kn_scenario_load(sc, *path, &e);
    if (rc == KN_EIO)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "%s", e.msg);
    if (rc == KN_ESCENARIO)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "invalid scenario: %s", e.msg);
    if (rc != KN_OK)
        return kn_error_set(c->err, rc, "%s", e.msg);
    if (sc->customers.base <= 0)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "'%s' is a queue-only scenario (customers.base "
                          "0): a robust study judges organisation policies on retention, service "
                          "quality, staff turnover and profit", sc->name);
    return KN_OK;
}

static kn_status read_policies(const sw_ctx *c, kn_robust_def *d, const yaml_node_t *n)
{
    char d2[KN_YR_SHOW_MAX + 16];
    if (n->type != YAML_SEQUENCE_NODE)
        return kn_sw_fail(c, kn_yr_loc_of(n), "policies", "expected a list of at least two scenario "
                          "files, got %s", kn_yr_describe(n, d2, sizeof d2));
    if (kn_sw_seq_len(n) < 2)
        return kn_sw_fail(c, kn_yr_loc_of(n), "policies", "expected a list of at least two scenario "
                          "files (the policies to judge), got %zu", kn_sw_seq_len(n));
    size_t m = kn_sw_seq_len(n);
    if (m > KN_ROBUST_MAX_POLICIES)
        return kn_sw_fail(c, kn_yr_loc_of(n), "policies", "more than %d policies (%zu)",
                          KN_ROBUST_MAX_POLICIES, m);
    d->policy = calloc(m + 1, sizeof *d->policy); /* + 1: a status quo from outside the list */
    d->policy_file = calloc(m + 1, sizeof *d->policy_file);
    if (!d->policy || !d->policy_file)
        return kn_sw_oom(c);
    for (size_t i = 0; i < m; i++) {
        const yaml_node_t *item = kn_sw_get_node(c, n->data.sequence.items.start[i]);
        if (!item)
            return kn_sw_fail(c, kn_yr_loc_of(n), "policies", "malformed sequence");
        kn_status rc = load_policy(c, item, "policies", &d->policy_file[i], &d->policy[i]);
        if (rc != KN_OK) { /* its path is not counted in n_policies: free it here */
            free(d->policy_file[i]);
            d->policy_file[i] = NULL;
            return rc;
        }
        d->n_policies++;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(d->policy[i].name, d->policy[j].name))
                return kn_sw_fail(c, kn_yr_loc_of(item), "policies", "two policies are named '%s' "
                                  "(%s and %s); give them different names", d->policy[i].name,
                                  d->policy_file[j], d->policy_file[i]);
    }
    return KN_OK;
}

/* The status quo: a policy's name, or a scenario file (one of the policies, or another
 * that then joins first, as `koning compare --from` does). */
static kn_status read_status_quo(const sw_ctx *c, kn_robust_def *d, const yaml_node_t *n)
{
    if (n->type == YAML_SCALAR_NODE)
        for (size_t i = 0; i < d->n_policies; i++)
            if (kn_sw_scalar_is(n, d->policy[i].name)) {
                d->status_quo = (long)i;
                return KN_OK;
            }
    char *path = NULL;
    kn_scenario sq;
    kn_status rc = load_policy(c, n, "status_quo", &path, &sq);
    if (rc != KN_OK) {
        free(path);
        return rc;
    }
    for (size_t i = 0; i < d->n_policies; i++)
        if (!strcmp(d->policy_file[i], path) || !strcmp(d->policy[i].name, sq.name)) {
            free(path);
            d->status_quo = (long)i;
            return KN_OK;
        }
    memmove(d->policy + 1, d->policy, d->n_policies * sizeof *d->policy);
    memmove(d->policy_file + 1, d->policy_file, d->n_policies * sizeof *d->policy_file);
    d->policy[0] = sq;
    d->policy_file[0] = path;
    d->n_policies++;
    d->status_quo = 0;
    return KN_OK;
}

static kn_status read_design(const sw_ctx *c, kn_robust_def *d, const yaml_node_t *n)
{
    char d2[KN_YR_SHOW_MAX + 16];
    static const char *const what = "expected {latin_hypercube: W}, {saltelli: N} or {morris: R}";
    if (n->type != YAML_MAPPING_NODE || kn_sw_map_len(n) != 1)
        return kn_sw_fail(c, kn_yr_loc_of(n), "design", "%s; got %s", what,
                          n->type == YAML_MAPPING_NODE ? "a mapping with other keys"
                                                       : kn_yr_describe(n, d2, sizeof d2));
    const yaml_node_t *k = kn_sw_get_node(c, n->data.mapping.pairs.start[0].key);
    const yaml_node_t *v = kn_sw_get_node(c, n->data.mapping.pairs.start[0].value);
    if (!k || !v)
        return kn_sw_fail(c, kn_yr_loc_of(n), "design", "malformed mapping");
    long long x;
    d->levels = 4;
    if (kn_sw_scalar_is(k, "latin_hypercube")) {
        d->design = KN_RDESIGN_LHS;
        KN_CHECK(kn_sw_get_integer(c, v, "design.latin_hypercube", 2, KN_ROBUST_MAX_WORLDS, &x));
    } else if (kn_sw_scalar_is(k, "saltelli")) {
        d->design = KN_RDESIGN_SALTELLI;
        KN_CHECK(kn_sw_get_integer(c, v, "design.saltelli", 2, KN_ROBUST_MAX_WORLDS, &x));
    } else if (kn_sw_scalar_is(k, "morris")) {
        d->design = KN_RDESIGN_MORRIS;
        if (v->type == YAML_MAPPING_NODE) {
            const yaml_node_t *tr = NULL;
            for (size_t i = 0; i < kn_sw_map_len(v); i++) {
                const yaml_node_pair_t *pr = &v->data.mapping.pairs.start[i];
                const yaml_node_t *kk = kn_sw_get_node(c, pr->key), *vv = kn_sw_get_node(c, pr->value);
                if (!kk || !vv)
                    return kn_sw_fail(c, kn_yr_loc_of(v), "design.morris", "malformed mapping");
                if (kn_sw_scalar_is(kk, "trajectories")) {
                    tr = vv;
                } else if (kn_sw_scalar_is(kk, "levels")) {
                    KN_CHECK(kn_sw_get_integer(c, vv, "design.morris.levels", 2, 100, &x));
                    if (x % 2)
                        return kn_sw_fail(c, kn_yr_loc_of(vv), "design.morris.levels", "must be "
                                          "even (Morris's step is half the levels), got %lld", x);
                    d->levels = (unsigned)x;
                } else {
                    return kn_sw_fail(c, kn_yr_loc_of(kk), "design.morris", "unknown key %s (a "
                                      "Morris design has trajectories and levels)",
                                      kn_yr_describe(kk, d2, sizeof d2));
                }
            }
            if (!tr)
                return kn_sw_fail(c, kn_yr_loc_of(v), "design.morris.trajectories", "required, not given");
            v = tr;
        }
        KN_CHECK(kn_sw_get_integer(c, v, "design.morris.trajectories", 2, KN_ROBUST_MAX_WORLDS, &x));
    } else {
        return kn_sw_fail(c, kn_yr_loc_of(k), "design", "unknown design %s; %s",
                          kn_yr_describe(k, d2, sizeof d2), what);
    }
    d->size = (size_t)x;
    return KN_OK;
}

static size_t policy_by_name(const kn_robust_def *d, const yaml_node_t *n)
{
    for (size_t i = 0; i < d->n_policies; i++)
        if (kn_sw_scalar_is(n, d->policy[i].name))
            return i;
    return SIZE_MAX;
}

static kn_status read_pairs(const sw_ctx *c, kn_robust_def *d, const yaml_node_t *n)
{
    char d2[KN_YR_SHOW_MAX + 16];
    if (n->type != YAML_SEQUENCE_NODE || kn_sw_seq_len(n) == 0)
        return kn_sw_fail(c, kn_yr_loc_of(n), "pairs", "expected a list of [policy, policy], got %s",
                          n->type == YAML_SEQUENCE_NODE ? "an empty list" : kn_yr_describe(n, d2, sizeof d2));
    size_t m = kn_sw_seq_len(n);
    d->pairs = calloc(m, sizeof *d->pairs);
    if (!d->pairs)
        return kn_sw_oom(c);
    for (size_t i = 0; i < m; i++) {
        const yaml_node_t *it = kn_sw_get_node(c, n->data.sequence.items.start[i]);
        if (!it || it->type != YAML_SEQUENCE_NODE || kn_sw_seq_len(it) != 2)
            return kn_sw_fail(c, it ? kn_yr_loc_of(it) : kn_yr_loc_of(n), "pairs",
                              "expected [policy, policy], got %s",
                              it ? kn_yr_describe(it, d2, sizeof d2) : "nothing");
        for (size_t j = 0; j < 2; j++) {
            const yaml_node_t *nm = kn_sw_get_node(c, it->data.sequence.items.start[j]);
            size_t p = nm ? policy_by_name(d, nm) : SIZE_MAX;
            if (p == SIZE_MAX) {
                sw_buf names = { 0 };
                for (size_t q = 0; q < d->n_policies; q++) {
                    kn_sw_buf_str(&names, q ? ", " : "");
                    kn_sw_buf_str(&names, d->policy[q].name);
                }
                char *s = kn_sw_buf_take(&names);
                kn_status rc = kn_sw_fail(c, nm ? kn_yr_loc_of(nm) : kn_yr_loc_of(it), "pairs",
                                          "no policy named %s (the policies: %s)",
                                          nm ? kn_yr_describe(nm, d2, sizeof d2) : "nothing", s ? s : "");
                free(s);
                return rc;
            }
            d->pairs[i][j] = p;
        }
        if (d->pairs[i][0] == d->pairs[i][1])
            return kn_sw_fail(c, kn_yr_loc_of(it), "pairs", "a policy against itself ('%s')",
                              d->policy[d->pairs[i][0]].name);
        d->n_pairs++;
    }
    return KN_OK;
}

/* set: {key: value, ...} applied to every policy. */
static kn_status read_set(const sw_ctx *c, kn_robust_def *d, const yaml_node_t *n)
{
    char d2[KN_YR_SHOW_MAX + 16], kp[SW_KEY_MAX + 16];
    if (n->type != YAML_MAPPING_NODE)
        return kn_sw_fail(c, kn_yr_loc_of(n), "set", "expected a mapping of scenario keys to values, "
                          "got %s", kn_yr_describe(n, d2, sizeof d2));
    for (size_t i = 0; i < kn_sw_map_len(n); i++) {
        const yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
        const yaml_node_t *k = kn_sw_get_node(c, pr->key), *v = kn_sw_get_node(c, pr->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            return kn_sw_fail(c, kn_yr_loc_of(n), "set", "a key must be a dotted scenario key");
        const char *key = (const char *)k->data.scalar.value;
        snprintf(kp, sizeof kp, "set.%.*s", SW_KEY_MAX, key);
        if (!strcmp(key, "run.seed") || !strcmp(key, "run.replications") || !strcmp(key, "name"))
            return kn_sw_fail(c, kn_yr_loc_of(k), kp, "set by the study itself (use the study's "
                              "seed and replications)");
        if (!kn_param_find(key)) {
            const char *sug = kn_sw_suggest_param(key);
            return kn_sw_fail(c, kn_yr_loc_of(k), kp, "unknown scenario key%s%s%s",
                              sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
        }
        sw_buf b = { 0 };
        kn_sw_emit(c, v, &b, 0);
        char *t = kn_sw_buf_take(&b);
        if (!t)
            return kn_sw_oom(c);
        kn_status rc = KN_OK;
        for (size_t p = 0; p < d->n_policies && rc == KN_OK; p++)
            rc = kn_sw_apply(c, &d->policy[p], key, t, kn_yr_loc_of(v), kp);
        free(t);
        KN_CHECK(rc);
    }
    return KN_OK;
}

/* replications or seed, checked as run.replications / run.seed by the scenario reader. */
static kn_status read_run_key(const sw_ctx *c, kn_robust_def *d, const yaml_node_t *n,
                              const char *name, const char *path)
{
    sw_buf b = { 0 };
    kn_sw_emit(c, n, &b, 0);
    char *t = kn_sw_buf_take(&b);
    if (!t)
        return kn_sw_oom(c);
    kn_scenario tmp = d->policy[0];
    kn_status rc = kn_sw_apply(c, &tmp, path, t, kn_yr_loc_of(n), name);
    free(t);
    if (rc == KN_OK) {
        d->replications = tmp.run.replications;
        d->seed = tmp.run.seed;
    }
    return rc;
}

/* What every policy gets from the study: overrides, the switch, replications and seed. */
static kn_status finish_policies(const sw_ctx *c, kn_robust_def *d, const kn_robust_opts *o)
{
    for (size_t i = 0; o && i < o->n_sets; i++)
        for (size_t p = 0; p < d->n_policies; p++) {
            kn_error e = { 0 };
            if (kn_scenario_set(&d->policy[p], o->sets[i], &e) != KN_OK)
                return kn_error_set(c->err, KN_ESCENARIO, "%s", e.msg);
        }
    if (o && o->replications > 0)
        d->replications = o->replications;
    if (o && o->has_seed)
        d->seed = o->seed;
    if (d->replications < 2 || d->replications > 100000)
        return kn_error_set(c->err, KN_ESCENARIO, "%s: key 'replications': must be in [2, 100000], "
                            "got %d", c->origin, d->replications);
    kn_policy sq = d->status_quo >= 0 ? d->policy[d->status_quo].policy : d->policy[0].policy;
    for (size_t p = 0; p < d->n_policies; p++) {
        kn_scenario *sc = &d->policy[p];
        if (d->status_quo >= 0) {
            sc->start.policy = sq;
            sc->start.days = d->switch_after;
        }
        sc->run.replications = d->replications;
        sc->run.seed = d->seed;
        kn_error e = { 0 };
        if (kn_scenario_check(sc, &e) != KN_OK)
            return kn_error_set(c->err, KN_ESCENARIO, "%s: policy '%s' (%s): %s", c->origin,
                                sc->name, d->policy_file[p], e.msg);
    }
    return KN_OK;
}

static kn_status count_worlds(const sw_ctx *c, kn_robust_def *d, const kn_robust_opts *o,
                              kn_yr_loc at)
{
    if (o && o->worlds > 0)
        d->size = o->worlds;
    double k = (double)d->n_keys, w = (double)d->size;
    w *= d->design == KN_RDESIGN_SALTELLI ? k + 2 : d->design == KN_RDESIGN_MORRIS ? k + 1 : 1;
    if (w > KN_ROBUST_MAX_WORLDS || w * (double)d->n_policies > KN_ROBUST_MAX_SCENARIOS)
        return kn_sw_fail(c, at, "design", "%.0f worlds x %zu policies is too large (at most %u "
                          "worlds and %u scenarios)", w, d->n_policies, KN_ROBUST_MAX_WORLDS,
                          KN_ROBUST_MAX_SCENARIOS);
    d->n_worlds = (size_t)w;
    return KN_OK;
}

static kn_status load(const sw_ctx *c0, kn_robust_def *d, size_t len, const kn_robust_opts *o)
{
    yaml_document_t doc;
    char d2[KN_YR_SHOW_MAX + 16];
    KN_CHECK(kn_sw_parse_doc(c0, d->text, len, &doc));
    sw_ctx cc = *c0;
    cc.doc = &doc;
    const sw_ctx *c = &cc;
    kn_status rc = KN_OK;
    const yaml_node_t *val[NTOP] = { NULL };
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || kn_yr_is_null(root) || root->type != YAML_MAPPING_NODE) {
        kn_yr_loc first = { 1, 1 };
        rc = kn_sw_fail(c, root ? kn_yr_loc_of(root) : first, NULL, "expected a mapping with "
                        "policies, uncertainty and design (see docs/robust.md), got %s",
                        root ? kn_yr_describe(root, d2, sizeof d2) : "nothing");
        goto done;
    }
    for (size_t i = 0; i < kn_sw_map_len(root); i++) {
        const yaml_node_pair_t *pr = &root->data.mapping.pairs.start[i];
        const yaml_node_t *k = kn_sw_get_node(c, pr->key), *v = kn_sw_get_node(c, pr->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE) {
            rc = kn_sw_fail(c, kn_yr_loc_of(root), NULL, "a key must be a plain name");
            goto done;
        }
        size_t j;
        for (j = 0; j < NTOP && !kn_sw_scalar_is(k, top_keys[j]); j++)
            ;
        if (j == NTOP) {
            char shown[SW_KEY_MAX + 8];
            kn_yr_show(shown, sizeof shown, (const char *)k->data.scalar.value,
                       k->data.scalar.length, SW_KEY_MAX - 8);
            const char *sug = kn_yr_suggest(shown, top_keys, NTOP, 0, NULL);
            if (sug)
                rc = kn_sw_fail(c, kn_yr_loc_of(k), shown, "unknown key (did you mean '%s'?)", sug);
            else if (kn_param_find(shown))
                rc = kn_sw_fail(c, kn_yr_loc_of(k), shown, "unknown key (scenario keys for every "
                                "policy go under set:)");
            else
                rc = kn_sw_fail(c, kn_yr_loc_of(k), shown, "unknown key (the top-level keys are "
                                "name, policies, status_quo, switch_after, uncertainty, design, "
                                "replications, seed, set, pairs)");
            goto done;
        }
        if (val[j]) {
            rc = kn_sw_fail(c, kn_yr_loc_of(k), top_keys[j], "duplicate key (first at line %zu)",
                            (size_t)val[j]->start_mark.line + 1);
            goto done;
        }
        val[j] = v;
    }
    kn_yr_base_name(c->origin, "robust", d->name, sizeof d->name);
    if (val[T_NAME]) {
        const yaml_node_t *n = val[T_NAME];
        if (n->type != YAML_SCALAR_NODE || kn_yr_is_null(n) || n->data.scalar.length == 0 ||
            n->data.scalar.length >= KN_NAME_MAX) {
            rc = kn_sw_fail(c, kn_yr_loc_of(n), "name", "expected a name of 1 to %d bytes, got %s",
                            KN_NAME_MAX - 1, kn_yr_describe(n, d2, sizeof d2));
            goto done;
        }
        snprintf(d->name, sizeof d->name, "%s", (const char *)n->data.scalar.value);
    }
    static const struct { int key; const char *why; } required[] = {
        {T_POLICIES, "the scenario files of the policies to judge"},
        {T_UNC, "the file of ranges for the assumed magnitudes"},
        {T_DESIGN, "how worlds are drawn: {latin_hypercube: W}, {saltelli: N} or {morris: R}"}};
    for (size_t i = 0; i < 3; i++)
        if (!val[required[i].key]) {
            rc = kn_sw_fail(c, nowhere, top_keys[required[i].key], "required, not given (%s)",
                            required[i].why);
            goto done;
        }
    d->status_quo = -1;
    if ((rc = read_policies(c, d, val[T_POLICIES])) != KN_OK)
        goto done;
    if (val[T_SQ] && (rc = read_status_quo(c, d, val[T_SQ])) != KN_OK)
        goto done;
    d->switch_after = 365.0;
    if (val[T_SWITCH]) {
        long long days;
        if (d->status_quo < 0) {
            rc = kn_sw_fail(c, kn_yr_loc_of(val[T_SWITCH]), "switch_after", "goes with status_quo "
                            "(the policy every other starts from)");
            goto done;
        }
        if ((rc = kn_sw_get_integer(c, val[T_SWITCH], "switch_after", 1, 3650, &days)) != KN_OK)
            goto done;
        d->switch_after = (double)days;
    }
    if (val[T_SET] && (rc = read_set(c, d, val[T_SET])) != KN_OK)
        goto done;
    d->replications = d->policy[0].run.replications;
    d->seed = d->policy[0].run.seed;
    if (val[T_REPS] && (rc = read_run_key(c, d, val[T_REPS], "replications", "run.replications")) != KN_OK)
        goto done;
    if (val[T_SEED]) {
        int reps = d->replications;
        if ((rc = read_run_key(c, d, val[T_SEED], "seed", "run.seed")) != KN_OK)
            goto done;
        d->replications = reps;
    }
    if ((rc = finish_policies(c, d, o)) != KN_OK)
        goto done;
    if ((rc = read_design(c, d, val[T_DESIGN])) != KN_OK)
        goto done;
    if (val[T_PAIRS] && (rc = read_pairs(c, d, val[T_PAIRS])) != KN_OK)
        goto done;
    char *unc = NULL;
    if ((rc = read_path(c, val[T_UNC], "uncertainty", &unc)) != KN_OK)
        goto done;
    d->unc_file = unc;
    if ((rc = kn_rb_read_uncertainty(c, kn_yr_loc_of(val[T_UNC]), d, unc)) != KN_OK)
        goto done;
    rc = count_worlds(c, d, o, kn_yr_loc_of(val[T_DESIGN]));
done:
    yaml_document_delete(&doc);
    return rc;
}

kn_status kn_robust_load(kn_robust_def **out, const char *path, const kn_robust_opts *opts,
                         kn_error *err)
{
    *out = NULL;
    if (strlen(path) >= KN_PATH_MAX)
        return kn_error_set(err, KN_EIO, "%.200s...: cannot open: file name too long", path);
    kn_robust_def *d = calloc(1, sizeof *d);
    if (!d)
        return kn_error_set(err, KN_ENOMEM, "%s: out of memory", path);
    size_t len = 0;
    kn_status rc = kn_yr_read_file(path, RB_FILE_MAX_BYTES, "robust study", &d->text, &len, err);
    if (rc == KN_OK && !(d->file = kn_sw_dup_str(path)))
        rc = kn_error_set(err, KN_ENOMEM, "%s: out of memory", path);
    if (rc == KN_OK) {
        sw_ctx c = { .origin = path, .err = err };
        rc = load(&c, d, len, opts);
    }
    if (rc != KN_OK) {
        kn_robust_free(d);
        return rc;
    }
    *out = d;
    return KN_OK;
}

void kn_robust_free(kn_robust_def *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_policies; i++)
        free(d->policy_file[i]);
    for (size_t i = 0; i < d->n_keys; i++)
        free(d->keys[i].source);
    free(d->policy_file);
    free(d->policy);
    free(d->keys);
    free(d->pairs);
    free(d->file);
    free(d->text);
    free(d->unc_file);
    free(d->unc_text);
    free(d);
}

/* ---- a policy in a world ------------------------------------------------------------- */

kn_status kn_robust_world_scenario(const kn_robust_def *d, size_t p, size_t world,
                                   const double *values, kn_scenario *out, kn_error *err)
{
    *out = d->policy[p];
    char a[KN_PARAM_NAME_MAX + 64], t[48];
    kn_error e = { 0 };
    for (size_t k = 0; k < d->n_keys; k++) {
        const kn_uncertain *u = &d->keys[k];
        if (u->integer)
            snprintf(t, sizeof t, "%.0f", values[k]);
        else
            kn_format_number(t, sizeof t, values[k]);
        snprintf(a, sizeof a, "%s=%s", u->key, t);
        if (kn_scenario_set(out, a, &e) != KN_OK)
            goto bad;
        if (u->start_param) {
            snprintf(a, sizeof a, "%s=%s", u->start_param->path, t);
            if (kn_scenario_set(out, a, &e) != KN_OK)
                goto bad;
        }
    }
    snprintf(out->name, sizeof out->name, "%.200s [world %zu]", d->policy[p].name, world);
    if (kn_scenario_check(out, &e) == KN_OK)
        return KN_OK;
bad:;
    sw_buf b = { 0 };
    for (size_t k = 0; k < d->n_keys && k < 12; k++) {
        kn_sw_buf_str(&b, k ? ", " : "");
        kn_sw_buf_str(&b, d->keys[k].key);
        kn_sw_buf_str(&b, "=");
        kn_sw_buf_str(&b, kn_format_number(t, sizeof t, values[k]));
    }
    if (d->n_keys > 12)
        kn_sw_buf_str(&b, ", ...");
    char *ctx = kn_sw_buf_take(&b);
    kn_status rc = kn_error_set(err, KN_ESCENARIO, "%s: world %zu, policy '%s': %s (%.400s)",
                                d->unc_file, world, d->policy[p].name, e.msg, ctx ? ctx : "");
    free(ctx);
    return rc;
}
