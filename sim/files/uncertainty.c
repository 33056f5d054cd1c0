/* uncertainty.c - reading an uncertainty file (docs/robust.md#the-uncertainty-file): for
 * each assumed magnitude, a plausible range, how it is spread over it and why.
 *
 *   name: assumed magnitudes            # optional
 *   parameters:
 *     customers.word_of_mouth: {range: [2, 6], source: "assumed: ..."}
 *     backlash.persuasion: {range: [0.01, 0.04], distribution: log_uniform, source: "..."}
 *   fixed:                              # optional: not varied, and why
 *     work.pressure_elasticity: "Oliva & Sterman 2001 measured it"
 *
 * Every fault is one line naming the uncertainty file, line, column and key. Both ends of
 * every range are applied to every policy with the scenario reader's own checks, so a
 * range the model cannot take is refused before anything runs.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "robust_int.h"

static const kn_yr_loc nowhere = { 0, 0 };

char *kn_rb_resolve(const char *origin, const char *s, size_t len, int *too_long)
{
    size_t dir = 0;
    *too_long = 0;
    if (s[0] != '/') {
        const char *slash = strrchr(origin, '/');
        dir = slash ? (size_t)(slash - origin) + 1 : 0;
    }
    if (dir + len >= KN_PATH_MAX) {
        *too_long = 1;
        return NULL;
    }
    char *p = malloc(dir + len + 1);
    if (!p)
        return NULL;
    memcpy(p, origin, dir);
    memcpy(p + dir, s, len);
    p[dir + len] = '\0';
    return p;
}

/* Keys that describe the study or the scenario itself rather than an assumed magnitude. */
static const char *refused_why(const char *key)
{
    if (!strcmp(key, "name"))
        return "the name is not a magnitude";
    if (!strncmp(key, "run.", 4))
        return "the run's settings belong to the study (replications, seed, horizon), not to "
               "the world";
    if (!strncmp(key, "start.", 6))
        return "the switch belongs to the study (status_quo and switch_after)";
    if (!strncmp(key, "arrivals.", 9))
        return "the demand is the scenario's (set it with set: in the study file)";
    if (!strcmp(key, "behaviour.effects"))
        return "a switch for validation, not a magnitude";
    return NULL;
}

/* The scenario key named by node k (a scalar), checked: known, a number, allowed. */
static kn_status read_key(const sw_ctx *c, const yaml_node_t *k, const char *section,
                          const kn_param **out, char *path, size_t cap)
{
    char d[KN_YR_SHOW_MAX + 16], shown[SW_KEY_MAX + 8], kp[SW_KEY_MAX + 32];
    if (k->type != YAML_SCALAR_NODE || kn_yr_is_null(k))
        return kn_sw_fail(c, kn_yr_loc_of(k), section, "a key must be a dotted scenario key, got %s",
                          kn_yr_describe(k, d, sizeof d));
    const char *name = (const char *)k->data.scalar.value;
    size_t nlen = k->data.scalar.length;
    kn_yr_show(shown, sizeof shown, name, nlen, SW_KEY_MAX - 8);
    snprintf(kp, sizeof kp, "%s.%s", section, shown);
    if (strlen(name) != nlen || nlen >= cap)
        return kn_sw_fail(c, kn_yr_loc_of(k), kp, "unknown scenario key");
    const kn_param *p = kn_param_find(name);
    if (!p) {
        const char *in = kn_sw_first_in_block(name);
        if (in)
            return kn_sw_fail(c, kn_yr_loc_of(k), kp, "'%s' is a block, not a key; write the whole "
                              "dotted key, e.g. '%s'", shown, in);
        const char *sug = kn_sw_suggest_param(name);
        if (sug)
            return kn_sw_fail(c, kn_yr_loc_of(k), kp, "unknown scenario key (did you mean '%s'?)", sug);
        return kn_sw_fail(c, kn_yr_loc_of(k), kp, "unknown scenario key (the keys are listed in "
                          "docs/scenarios.md)");
    }
    const char *why = refused_why(name);
    if (why)
        return kn_sw_fail(c, kn_yr_loc_of(k), kp, "cannot be uncertain: %s", why);
    if (p->type != KN_PT_DOUBLE && p->type != KN_PT_INT)
        return kn_sw_fail(c, kn_yr_loc_of(k), kp, "not a number (a %s key): only numeric "
                          "magnitudes can have a range",
                          p->type == KN_PT_DIST_KIND ? "distribution" : p->type == KN_PT_STRING
                          ? "string" : p->type == KN_PT_DOUBLE_ARRAY ? "list" : "seed");
    memcpy(path, name, nlen + 1);
    *out = p;
    return KN_OK;
}

/* A non-empty string scalar. */
static kn_status read_text(const sw_ctx *c, const yaml_node_t *n, const char *key, char **out)
{
    char d[KN_YR_SHOW_MAX + 16];
    if (n->type != YAML_SCALAR_NODE || kn_yr_is_null(n) || n->data.scalar.length == 0)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "expected a sentence (the reason or source), "
                          "got %s", n->data.scalar.length == 0 && n->type == YAML_SCALAR_NODE
                          ? "an empty string" : kn_yr_describe(n, d, sizeof d));
    if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "must not contain a NUL character");
    *out = kn_sw_dup_str((const char *)n->data.scalar.value);
    return *out ? KN_OK : kn_sw_oom(c);
}

/* One end of a range applied to every policy: the key's range and the rules across keys. */
static kn_status check_end(const sw_ctx *c, const kn_robust_def *d, const kn_uncertain *u, double v,
                           kn_yr_loc at, const char *kp)
{
    char t[48];
    if (u->integer)
        snprintf(t, sizeof t, "%.0f", v);
    else
        kn_format_number(t, sizeof t, v);
    for (size_t i = 0; i < d->n_policies; i++) {
        kn_scenario tmp = d->policy[i];
        KN_CHECK(kn_sw_apply(c, &tmp, u->key, t, at, kp));
        if (u->start_param)
            KN_CHECK(kn_sw_apply(c, &tmp, u->start_param->path, t, at, kp));
        kn_error e = { 0 };
        if (kn_scenario_check(&tmp, &e) != KN_OK)
            return kn_sw_fail(c, at, kp, "%s = %s makes policy '%s' invalid: %s", u->key, t,
                              d->policy[i].name, e.msg);
    }
    return KN_OK;
}

static kn_status read_parameter(const sw_ctx *c, kn_robust_def *d, kn_uncertain *u,
                                const yaml_node_t *v, const char *kp)
{
    static const char *const names[] = { "range", "distribution", "source" };
    const yaml_node_t *part[3] = { NULL, NULL, NULL };
    char key[KN_PARAM_NAME_MAX + 128], d2[KN_YR_SHOW_MAX + 16];
    if (v->type != YAML_MAPPING_NODE)
        return kn_sw_fail(c, kn_yr_loc_of(v), kp, "expected {range: [low, high], source: \"why\"}, "
                          "got %s", kn_yr_describe(v, d2, sizeof d2));
    for (size_t i = 0; i < kn_sw_map_len(v); i++) {
        const yaml_node_pair_t *pr = &v->data.mapping.pairs.start[i];
        const yaml_node_t *kn = kn_sw_get_node(c, pr->key), *vn = kn_sw_get_node(c, pr->value);
        if (!kn || !vn)
            return kn_sw_fail(c, kn_yr_loc_of(v), kp, "malformed mapping");
        size_t j;
        for (j = 0; j < 3 && !kn_sw_scalar_is(kn, names[j]); j++)
            ;
        if (j == 3) {
            char shown[KN_YR_SHOW_MAX + 8];
            const char *sug = NULL;
            if (kn->type == YAML_SCALAR_NODE) {
                kn_yr_show(shown, sizeof shown, (const char *)kn->data.scalar.value,
                           kn->data.scalar.length, KN_YR_SHOW_MAX);
                sug = kn_yr_suggest(shown, names, 3, 0, NULL);
                snprintf(key, sizeof key, "%s.%s", kp, shown);
            } else {
                snprintf(key, sizeof key, "%s", kp);
            }
            if (sug)
                return kn_sw_fail(c, kn_yr_loc_of(kn), key, "unknown key (did you mean '%s'?)", sug);
            return kn_sw_fail(c, kn_yr_loc_of(kn), key,
                              "unknown key (a magnitude has range, distribution and source)");
        }
        snprintf(key, sizeof key, "%s.%s", kp, names[j]);
        if (part[j])
            return kn_sw_fail(c, kn_yr_loc_of(kn), key, "duplicate key (first at line %zu)",
                              (size_t)part[j]->start_mark.line + 1);
        part[j] = vn;
    }
    /* range: [low, high] */
    snprintf(key, sizeof key, "%s.range", kp);
    if (!part[0])
        return kn_sw_fail(c, kn_yr_loc_of(v), key, "required, not given (write range: [low, high])");
    if (part[0]->type != YAML_SEQUENCE_NODE || kn_sw_seq_len(part[0]) != 2)
    {
        if (part[0]->type == YAML_SEQUENCE_NODE)
            snprintf(d2, sizeof d2, "a list of %zu", kn_sw_seq_len(part[0]));
        return kn_sw_fail(c, kn_yr_loc_of(part[0]), key, "expected [low, high], got %s",
                          part[0]->type == YAML_SEQUENCE_NODE ? d2 : kn_yr_describe(part[0], d2, sizeof d2));
    }
    const yaml_node_t *lo = kn_sw_get_node(c, part[0]->data.sequence.items.start[0]);
    const yaml_node_t *hi = kn_sw_get_node(c, part[0]->data.sequence.items.start[1]);
    if (!lo || !hi)
        return kn_sw_fail(c, kn_yr_loc_of(part[0]), key, "malformed sequence");
    KN_CHECK(kn_sw_get_number(c, lo, key, &u->low));
    KN_CHECK(kn_sw_get_number(c, hi, key, &u->high));
    char lb[40], hb[40];
    kn_format_number(lb, sizeof lb, u->low);
    kn_format_number(hb, sizeof hb, u->high);
    if (!(u->low < u->high))
        return kn_sw_fail(c, kn_yr_loc_of(hi), key, "low (%s) must be below high (%s)%s", lb, hb,
                          u->low == u->high ? "; a magnitude known exactly belongs under fixed:" : "");
    if (u->integer && (u->low != floor(u->low) || u->high != floor(u->high)))
        return kn_sw_fail(c, kn_yr_loc_of(u->low != floor(u->low) ? lo : hi), key,
                          "expected integers for the integer key '%s', got [%s, %s]", u->key, lb, hb);
    /* distribution */
    u->spread = KN_SPREAD_UNIFORM;
    if (part[1]) {
        snprintf(key, sizeof key, "%s.distribution", kp);
        if (kn_sw_scalar_is(part[1], "log_uniform"))
            u->spread = KN_SPREAD_LOG_UNIFORM;
        else if (!kn_sw_scalar_is(part[1], "uniform"))
            return kn_sw_fail(c, kn_yr_loc_of(part[1]), key, "must be uniform or log_uniform, got %s",
                              kn_yr_describe(part[1], d2, sizeof d2));
        if (u->spread == KN_SPREAD_LOG_UNIFORM && u->integer)
            return kn_sw_fail(c, kn_yr_loc_of(part[1]), key, "log_uniform is for numbers; '%s' is an "
                              "integer key (use uniform)", u->key);
        if (u->spread == KN_SPREAD_LOG_UNIFORM && !(u->low > 0))
            return kn_sw_fail(c, kn_yr_loc_of(lo), key, "log_uniform needs low > 0, got %s", lb);
    }
    /* source */
    snprintf(key, sizeof key, "%s.source", kp);
    if (!part[2])
        return kn_sw_fail(c, kn_yr_loc_of(v), key, "required, not given (why this range: a source, "
                          "or \"assumed: ...\" with the reasoning)");
    KN_CHECK(read_text(c, part[2], key, &u->source));
    /* both ends in every policy */
    snprintf(key, sizeof key, "%s.range", kp);
    KN_CHECK(check_end(c, d, u, u->low, kn_yr_loc_of(lo), key));
    return check_end(c, d, u, u->high, kn_yr_loc_of(hi), key);
}

/* A policy.* key must be the same in every policy: one that differs is a lever. */
static kn_status check_lever(const sw_ctx *c, const kn_robust_def *d, const kn_uncertain *u,
                             kn_yr_loc at, const char *kp)
{
    double v0 = kn_param_get_number(&d->policy[0], u->param, 0);
    for (size_t i = 1; i < d->n_policies; i++) {
        double vi = kn_param_get_number(&d->policy[i], u->param, 0);
        if (vi != v0) {
            char a[40], b[40];
            return kn_sw_fail(c, at, kp, "the policies differ in it ('%s' %s, '%s' %s): it is a "
                              "lever of the policies, not an assumption about the world",
                              d->policy[0].name, kn_format_number(a, sizeof a, v0),
                              d->policy[i].name, kn_format_number(b, sizeof b, vi));
        }
    }
    return KN_OK;
}

static kn_status read_parameters(const sw_ctx *c, kn_robust_def *d, const yaml_node_t *n)
{
    char d2[KN_YR_SHOW_MAX + 16], kp[KN_PARAM_NAME_MAX + 32];
    if (n->type != YAML_MAPPING_NODE || kn_sw_map_len(n) == 0)
        return kn_sw_fail(c, kn_yr_loc_of(n), "parameters", "expected a mapping of scenario keys to "
                          "{range: [low, high], source: \"why\"}, got %s",
                          n->type == YAML_MAPPING_NODE ? "an empty mapping" : kn_yr_describe(n, d2, sizeof d2));
    size_t m = kn_sw_map_len(n);
    if (m > KN_ROBUST_MAX_KEYS)
        return kn_sw_fail(c, kn_yr_loc_of(n), "parameters", "more than %d magnitudes (%zu)",
                          KN_ROBUST_MAX_KEYS, m);
    d->keys = calloc(m, sizeof *d->keys);
    if (!d->keys)
        return kn_sw_oom(c);
    for (size_t i = 0; i < m; i++) {
        const yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
        const yaml_node_t *kn = kn_sw_get_node(c, pr->key), *vn = kn_sw_get_node(c, pr->value);
        if (!kn || !vn)
            return kn_sw_fail(c, kn_yr_loc_of(n), "parameters", "malformed mapping");
        kn_uncertain *u = &d->keys[d->n_keys];
        KN_CHECK(read_key(c, kn, "parameters", &u->param, u->key, sizeof u->key));
        snprintf(kp, sizeof kp, "parameters.%s", u->key);
        for (size_t j = 0; j < d->n_keys; j++)
            if (!strcmp(d->keys[j].key, u->key))
                return kn_sw_fail(c, kn_yr_loc_of(kn), kp, "duplicate key (first at line %zu)",
                                  d->keys[j].line);
        u->line = kn_yr_loc_of(kn).line;
        u->integer = u->param->type == KN_PT_INT;
        d->n_keys++;
        if (!strncmp(u->key, "policy.", 7)) {
            char twin[KN_PARAM_NAME_MAX + 8];
            snprintf(twin, sizeof twin, "start.%s", u->key);
            u->start_param = kn_param_find(twin);
            KN_CHECK(check_lever(c, d, u, kn_yr_loc_of(kn), kp));
        }
        KN_CHECK(read_parameter(c, d, u, vn, kp));
    }
    return KN_OK;
}

static kn_status read_fixed(const sw_ctx *c, const kn_robust_def *d, const yaml_node_t *n)
{
    char d2[KN_YR_SHOW_MAX + 16], kp[SW_KEY_MAX + 32], path[KN_PARAM_NAME_MAX];
    if (n->type != YAML_MAPPING_NODE)
        return kn_sw_fail(c, kn_yr_loc_of(n), "fixed", "expected a mapping of scenario keys to the "
                          "reason they are not varied, got %s", kn_yr_describe(n, d2, sizeof d2));
    for (size_t i = 0; i < kn_sw_map_len(n); i++) {
        const yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
        const yaml_node_t *kn = kn_sw_get_node(c, pr->key), *vn = kn_sw_get_node(c, pr->value);
        if (!kn || !vn)
            return kn_sw_fail(c, kn_yr_loc_of(n), "fixed", "malformed mapping");
        const kn_param *p;
        /* fixed keys are documentation: any scenario key, even one that cannot vary */
        char d3[KN_YR_SHOW_MAX + 16];
        if (kn->type != YAML_SCALAR_NODE || kn_yr_is_null(kn))
            return kn_sw_fail(c, kn_yr_loc_of(kn), "fixed", "a key must be a dotted scenario key, "
                              "got %s", kn_yr_describe(kn, d3, sizeof d3));
        const char *name = (const char *)kn->data.scalar.value;
        snprintf(kp, sizeof kp, "fixed.%.*s", SW_KEY_MAX, name);
        if (!(p = kn_param_find(name))) {
            const char *sug = kn_sw_suggest_param(name);
            return kn_sw_fail(c, kn_yr_loc_of(kn), kp, "unknown scenario key%s%s%s",
                              sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
        }
        snprintf(path, sizeof path, "%s", name);
        for (size_t j = 0; j < d->n_keys; j++)
            if (!strcmp(d->keys[j].key, path))
                return kn_sw_fail(c, kn_yr_loc_of(kn), kp, "also under parameters (line %zu): a "
                                  "magnitude is either varied or fixed", d->keys[j].line);
        for (size_t j = 0; j < i; j++) {
            const yaml_node_t *prev = kn_sw_get_node(c, n->data.mapping.pairs.start[j].key);
            if (prev && kn_sw_scalar_is(prev, path))
                return kn_sw_fail(c, kn_yr_loc_of(kn), kp, "duplicate key (first at line %zu)",
                                  (size_t)prev->start_mark.line + 1);
        }
        char *why = NULL;
        KN_CHECK(read_text(c, vn, kp, &why));
        free(why);
    }
    return KN_OK;
}

static kn_status parse(const sw_ctx *c, kn_robust_def *d, const char *text, size_t len)
{
    static const char *const top[] = { "name", "parameters", "fixed" };
    yaml_document_t doc;
    char d2[KN_YR_SHOW_MAX + 16];
    KN_CHECK(kn_sw_parse_doc(c, text, len, &doc));
    sw_ctx cc = *c;
    cc.doc = &doc;
    c = &cc;
    kn_status rc = KN_OK;
    const yaml_node_t *val[3] = { NULL, NULL, NULL };
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || kn_yr_is_null(root) || root->type != YAML_MAPPING_NODE) {
        kn_yr_loc first = { 1, 1 };
        rc = kn_sw_fail(c, root ? kn_yr_loc_of(root) : first, NULL, "expected a mapping with "
                        "parameters: (see docs/robust.md), got %s",
                        root ? kn_yr_describe(root, d2, sizeof d2) : "nothing");
        goto done;
    }
    for (size_t i = 0; i < kn_sw_map_len(root) && rc == KN_OK; i++) {
        const yaml_node_pair_t *pr = &root->data.mapping.pairs.start[i];
        const yaml_node_t *k = kn_sw_get_node(c, pr->key), *v = kn_sw_get_node(c, pr->value);
        size_t j;
        for (j = 0; j < 3 && k && !kn_sw_scalar_is(k, top[j]); j++)
            ;
        if (!k || !v) {
            rc = kn_sw_fail(c, kn_yr_loc_of(root), NULL, "malformed mapping");
        } else if (j == 3) {
            char shown[SW_KEY_MAX + 8];
            kn_yr_describe(k, shown, sizeof shown);
            const char *sug = k->type == YAML_SCALAR_NODE
                                  ? kn_yr_suggest((const char *)k->data.scalar.value, top, 3, 0, NULL)
                                  : NULL;
            if (k->type == YAML_SCALAR_NODE && kn_param_find((const char *)k->data.scalar.value))
                rc = kn_sw_fail(c, kn_yr_loc_of(k), (const char *)k->data.scalar.value,
                                "unknown key (magnitudes go under parameters:)");
            else if (sug)
                rc = kn_sw_fail(c, kn_yr_loc_of(k), NULL, "unknown key %s (did you mean '%s'?)",
                                shown, sug);
            else
                rc = kn_sw_fail(c, kn_yr_loc_of(k), NULL, "unknown key %s (the top-level keys are "
                                "name, parameters, fixed)", shown);
        } else if (val[j]) {
            rc = kn_sw_fail(c, kn_yr_loc_of(k), top[j], "duplicate key (first at line %zu)",
                            (size_t)val[j]->start_mark.line + 1);
        } else {
            val[j] = v;
        }
    }
    if (rc == KN_OK && !val[1])
        rc = kn_sw_fail(c, nowhere, "parameters", "required, not given (the magnitudes to vary, "
                        "each with its range and source)");
    if (rc == KN_OK)
        rc = read_parameters(c, d, val[1]);
    if (rc == KN_OK && val[2])
        rc = read_fixed(c, d, val[2]);
done:
    yaml_document_delete(&doc);
    return rc;
}

kn_status kn_rb_read_uncertainty(const sw_ctx *ctx, kn_yr_loc at, kn_robust_def *d,
                                 const char *path)
{
    size_t len = 0;
    kn_error e = { 0 };
    kn_status rc = kn_yr_read_file(path, RB_FILE_MAX_BYTES, "uncertainty", &d->unc_text, &len, &e);
    if (rc == KN_EIO || rc == KN_ESCENARIO)
        return kn_sw_fail(ctx, at, "uncertainty", "%s", e.msg);
    if (rc != KN_OK)
        return kn_error_set(ctx->err, rc, "%s", e.msg);
    sw_ctx c = { .origin = path, .err = ctx->err };
    return parse(&c, d, d->unc_text, len);
}

double kn_uncertain_value(const kn_uncertain *u, double t)
{
    if (!(t > 0.0))
        return u->low; /* the ends exactly, whatever the rounding of the mapping */
    if (t >= 1.0)
        return u->high;
    double v;
    if (u->integer)
        v = u->low + floor(t * (u->high - u->low + 1.0));
    else if (u->spread == KN_SPREAD_LOG_UNIFORM)
        v = exp(log(u->low) + t * (log(u->high) - log(u->low)));
    else
        v = u->low + t * (u->high - u->low);
    return v < u->low ? u->low : v > u->high ? u->high : v;
}
