/* sweep.c - reading and validating sweep files (docs/sweeps.md): the top-level keys,
 * the keys to vary (lists and ranges) and kn_sweep_load.
 *
 * The sweep file is read with libyaml's document API, like scenario files (so every
 * node has a line and column for messages), and checked strictly: unknown keys, wrong
 * types, duplicates and empty lists are errors "FILE:LINE:COL: key 'x': reason".
 * Values are never interpreted here beyond what a range needs: each value is turned
 * back into YAML text and applied to the base scenario with kn_scenario_set, so the
 * scenario reader does the type and range checks (and any key added to its table can
 * be varied). Load then builds the scenario of every point, checks it and hashes its
 * resolved YAML into the fingerprint; nothing is left to fail later.
 *
 * The YAML helpers (messages, scalars, values as YAML text, applying a value) are in
 * sweep_yaml.c; the design (points, Latin hypercube, the check of every point, the
 * accessors) in sweep_design.c.
 */
#define _POSIX_C_SOURCE 200809L

#include "sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sweep_int.h"

#define SW_FILE_MAX_BYTES (16u << 20) /* a sweep file larger than this is refused */

static const kn_yr_loc sw_nowhere = { 0, 0 };

/* ---- the sweep's keys ------------------------------------------------------------ */

static const char *const sw_top_keys[] = { "base", "name", "design", "replications", "seed",
                                           "vary" };
#define SW_NTOP (sizeof sw_top_keys / sizeof sw_top_keys[0])
enum { TOP_BASE, TOP_NAME, TOP_DESIGN, TOP_REPLICATIONS, TOP_SEED, TOP_VARY };

static kn_status read_name(const sw_ctx *c, kn_sweep *sw, const yaml_node_t *n)
{
    char d[KN_YR_SHOW_MAX + 16];
    if (n->type != YAML_SCALAR_NODE)
        return kn_sw_fail(c, kn_yr_loc_of(n), "name", "expected a string, got %s",
                          kn_yr_describe(n, d, sizeof d));
    if (kn_yr_is_null(n))
        return kn_sw_fail(c, kn_yr_loc_of(n), "name", "missing value (expected a string)");
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    if (len == 0)
        return kn_sw_fail(c, kn_yr_loc_of(n), "name", "must not be empty");
    if (strlen(s) != len)
        return kn_sw_fail(c, kn_yr_loc_of(n), "name", "must not contain a NUL character");
    if (len >= KN_NAME_MAX)
        return kn_sw_fail(c, kn_yr_loc_of(n), "name", "must be at most %d bytes long, got %zu",
                          KN_NAME_MAX - 1, len);
    memcpy(sw->name, s, len + 1);
    return KN_OK;
}

static kn_status read_base(const sw_ctx *c, kn_sweep *sw, const yaml_node_t *n)
{
    char d[KN_YR_SHOW_MAX + 16];
    if (n->type != YAML_SCALAR_NODE || kn_yr_is_null(n))
        return kn_sw_fail(c, kn_yr_loc_of(n), "base",
                          "expected the path of a scenario file, got %s",
                          kn_yr_describe(n, d, sizeof d));
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    if (len == 0 || strlen(s) != len)
        return kn_sw_fail(c, kn_yr_loc_of(n), "base",
                          "expected the path of a scenario file, got %s",
                          kn_yr_describe(n, d, sizeof d));
    size_t dir = 0;
    if (s[0] != '/') {
        const char *slash = strrchr(c->origin, '/');
        dir = slash ? (size_t)(slash - c->origin) + 1 : 0;
    }
    if (dir + len >= KN_PATH_MAX)
        return kn_sw_fail(c, kn_yr_loc_of(n), "base", "path too long (%zu bytes)", dir + len);
    sw->base_file = malloc(dir + len + 1);
    if (!sw->base_file)
        return kn_sw_oom(c);
    memcpy(sw->base_file, c->origin, dir);
    memcpy(sw->base_file + dir, s, len + 1);
    kn_error e = { 0 };
    kn_status rc = kn_scenario_load(&sw->base, sw->base_file, &e);
    if (rc == KN_EIO)
        return kn_sw_fail(c, kn_yr_loc_of(n), "base", "%s", e.msg);
    if (rc == KN_ESCENARIO)
        return kn_sw_fail(c, kn_yr_loc_of(n), "base", "invalid base scenario: %s", e.msg);
    if (rc != KN_OK)
        return kn_error_set(c->err, rc, "%s", e.msg);
    return KN_OK;
}

static kn_status read_design(const sw_ctx *c, kn_sweep *sw, const yaml_node_t *n)
{
    char d[KN_YR_SHOW_MAX + 16];
    static const char *const what = "expected grid or {latin_hypercube: K}";
    if (n->type == YAML_SCALAR_NODE && !kn_yr_is_null(n)) {
        if (kn_sw_scalar_is(n, "grid")) {
            sw->design = KN_DESIGN_GRID;
            return KN_OK;
        }
        if (kn_sw_scalar_is(n, "latin_hypercube"))
            return kn_sw_fail(c, kn_yr_loc_of(n), "design", "%s; got 'latin_hypercube' (how many "
                                                            "points? write {latin_hypercube: 40})",
                              what);
        return kn_sw_fail(c, kn_yr_loc_of(n), "design", "%s; got %s", what,
                          kn_yr_describe(n, d, sizeof d));
    }
    if (n->type != YAML_MAPPING_NODE || kn_sw_map_len(n) != 1)
        return kn_sw_fail(c, kn_yr_loc_of(n), "design", "%s; got %s", what,
                          n->type == YAML_MAPPING_NODE ? "a mapping with other keys"
                                                       : kn_yr_describe(n, d, sizeof d));
    const yaml_node_t *k = kn_sw_get_node(c, n->data.mapping.pairs.start[0].key);
    const yaml_node_t *v = kn_sw_get_node(c, n->data.mapping.pairs.start[0].value);
    if (!k || !v)
        return kn_sw_fail(c, kn_yr_loc_of(n), "design", "malformed mapping");
    if (!kn_sw_scalar_is(k, "latin_hypercube")) {
        char key[SW_KEY_MAX];
        char shown[KN_YR_SHOW_MAX + 8];
        if (k->type == YAML_SCALAR_NODE)
            snprintf(key, sizeof key, "design.%s",
                     kn_yr_show(shown, sizeof shown, (const char *)k->data.scalar.value,
                                k->data.scalar.length, KN_YR_SHOW_MAX));
        else
            snprintf(key, sizeof key, "design");
        return kn_sw_fail(c, kn_yr_loc_of(k), key, "unknown key (%s)", what);
    }
    long long kk;
    KN_CHECK(kn_sw_get_integer(c, v, "design.latin_hypercube", 1, KN_SWEEP_MAX_LHS, &kk));
    sw->design = KN_DESIGN_LHS;
    sw->lhs_k = (size_t)kk;
    return KN_OK;
}

/* replications or seed: checked by the scenario reader as run.replications / run.seed. */
static kn_status read_run_key(const sw_ctx *c, kn_sweep *sw, const yaml_node_t *n,
                              const char *name, const char *path)
{
    sw_buf b = { 0 };
    kn_sw_emit(c, n, &b, 0);
    int too_long = b.too_long;
    char *t = kn_sw_buf_take(&b);
    if (!t)
        return kn_sw_oom(c);
    if (too_long) {
        free(t);
        return kn_sw_fail(c, kn_yr_loc_of(n), name, "value longer than %u bytes", SW_VALUE_MAX);
    }
    kn_status rc = kn_sw_apply(c, &sw->base, path, t, kn_yr_loc_of(n), name);
    free(t);
    return rc;
}

/* ---- vary ------------------------------------------------------------------------ */

static kn_status add_value(const sw_ctx *c, sw_key *k, const char *text, const char *shown,
                           kn_yr_loc at)
{
    sw_value *v = &k->values[k->nvalues];
    v->text = kn_sw_dup_str(text);
    v->shown = kn_sw_dup_str(shown);
    v->at = at;
    if (!v->text || !v->shown) {
        free(v->text);
        free(v->shown);
        return kn_sw_oom(c);
    }
    k->nvalues++;
    return KN_OK;
}

static kn_status read_list(const sw_ctx *c, sw_key *k, const yaml_node_t *n, const char *kp)
{
    size_t m = kn_sw_seq_len(n);
    if (m == 0)
        return kn_sw_fail(c, kn_yr_loc_of(n), kp, "the list of values must not be empty");
    if (m > KN_SWEEP_MAX_VALUES)
        return kn_sw_fail(c, kn_yr_loc_of(n), kp,
                          "more than %u values (%zu)", KN_SWEEP_MAX_VALUES, m);
    k->form = SW_LIST;
    k->values = calloc(m, sizeof *k->values);
    if (!k->values)
        return kn_sw_oom(c);
    for (size_t i = 0; i < m; i++) {
        const yaml_node_t *item = kn_sw_get_node(c, n->data.sequence.items.start[i]);
        if (!item)
            return kn_sw_fail(c, kn_yr_loc_of(n), kp, "malformed sequence");
        sw_buf b = { 0 };
        kn_sw_emit(c, item, &b, 0);
        char *t = kn_sw_buf_take(&b);
        if (!t)
            return kn_sw_oom(c);
        if (b.too_long) {
            free(t);
            return kn_sw_fail(c, kn_yr_loc_of(item), kp,
                              "value longer than %u bytes", SW_VALUE_MAX);
        }
        if (item->type == YAML_SCALAR_NODE) {
            /* a name shows the string itself, not its quoted form */
            sw_buf s = { 0 };
            kn_sw_buf_put(&s, (const char *)item->data.scalar.value, item->data.scalar.length);
            char *shown = kn_sw_buf_take(&s);
            kn_status rc = shown ? add_value(c, k, t, shown, kn_yr_loc_of(item)) : kn_sw_oom(c);
            free(shown);
            free(t);
            KN_CHECK(rc);
        } else {
            kn_status rc = add_value(c, k, t, t, kn_yr_loc_of(item));
            free(t);
            KN_CHECK(rc);
        }
    }
    return KN_OK;
}

/* 15 significant digits of v when that is within tol of v (to show 0.3, not
 * 0.30000000000000004, for the third 0.1 step). */
static double clean(double v, double tol)
{
    char b[40];
    snprintf(b, sizeof b, "%.15g", v);
    double w = strtod(b, NULL);
    return fabs(w - v) <= tol ? w : v;
}

static kn_status read_range(const sw_ctx *c, const kn_sweep *sw, sw_key *k, const yaml_node_t *n,
                            const char *kp)
{
    static const char *const names[] = { "from", "to", "step", "count" };
    const yaml_node_t *part[4] = { NULL, NULL, NULL, NULL };
    char key[2 * SW_KEY_MAX], d[KN_YR_SHOW_MAX + 16];
    for (size_t i = 0; i < kn_sw_map_len(n); i++) {
        const yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
        const yaml_node_t *kn = kn_sw_get_node(c, pr->key), *vn = kn_sw_get_node(c, pr->value);
        if (!kn || !vn)
            return kn_sw_fail(c, kn_yr_loc_of(n), kp, "malformed mapping");
        size_t j;
        for (j = 0; j < 4 && !kn_sw_scalar_is(kn, names[j]); j++)
            ;
        if (j == 4) {
            char shown[KN_YR_SHOW_MAX + 8];
            if (kn->type == YAML_SCALAR_NODE)
                snprintf(key, sizeof key, "%s.%s", kp,
                         kn_yr_show(shown, sizeof shown, (const char *)kn->data.scalar.value,
                                    kn->data.scalar.length, KN_YR_SHOW_MAX));
            else
                snprintf(key, sizeof key, "%s", kp);
            return kn_sw_fail(c, kn_yr_loc_of(kn), key,
                              "unknown key (a range has from, to, and step or count)");
        }
        snprintf(key, sizeof key, "%s.%s", kp, names[j]);
        if (part[j])
            return kn_sw_fail(c, kn_yr_loc_of(kn), key, "duplicate key (first at line %zu)",
                              (size_t)part[j]->start_mark.line + 1);
        part[j] = vn;
    }
    if (!k->numeric)
        return kn_sw_fail(c, kn_yr_loc_of(n), kp,
                          "a range needs a numeric key; give a list of values");
    for (size_t j = 0; j < 2; j++)
        if (!part[j]) {
            snprintf(key, sizeof key, "%s.%s", kp, names[j]);
            return kn_sw_fail(c, kn_yr_loc_of(n), key, "required, not given");
        }
    if (part[2] && part[3]) {
        snprintf(key, sizeof key, "%s.count", kp);
        return kn_sw_fail(c, kn_yr_loc_of(part[3]), key,
                          "give either step or count, not both (step "
                          "is at line %zu)",
                          (size_t)part[2]->start_mark.line + 1);
    }
    char fb[40], tb[40];
    snprintf(key, sizeof key, "%s.from", kp);
    KN_CHECK(kn_sw_get_number(c, part[0], key, &k->from));
    snprintf(key, sizeof key, "%s.to", kp);
    KN_CHECK(kn_sw_get_number(c, part[1], key, &k->to));
    k->from_at = kn_yr_loc_of(part[0]);
    k->to_at = kn_yr_loc_of(part[1]);
    kn_format_number(fb, sizeof fb, k->from);
    kn_format_number(tb, sizeof tb, k->to);

    size_t count;
    double step = 0.0;
    if (part[2]) {
        snprintf(key, sizeof key, "%s.step", kp);
        KN_CHECK(kn_sw_get_number(c, part[2], key, &step));
        if (!(step > 0))
            return kn_sw_fail(c, kn_yr_loc_of(part[2]), key, "must be > 0, got %s",
                              kn_format_number(d, sizeof d, step));
        if (!(k->to >= k->from)) {
            snprintf(key, sizeof key, "%s.to", kp);
            return kn_sw_fail(c, k->to_at, key, "must be >= from (%s) with a step, got %s", fb, tb);
        }
        double nv = floor((k->to - k->from) / step + 1e-9) + 1;
        if (!(nv <= KN_SWEEP_MAX_VALUES))
            return kn_sw_fail(c, kn_yr_loc_of(n), kp,
                              "the range gives %.0f values, more than %u", nv,
                              KN_SWEEP_MAX_VALUES);
        count = (size_t)nv;
        k->form = SW_STEP;
    } else if (part[3]) {
        long long cnt;
        snprintf(key, sizeof key, "%s.count", kp);
        KN_CHECK(kn_sw_get_integer(c, part[3], key, 2, KN_SWEEP_MAX_VALUES, &cnt));
        if (k->to == k->from) {
            snprintf(key, sizeof key, "%s.to", kp);
            return kn_sw_fail(c, k->to_at, key, "must differ from from (%s) with a count", fb);
        }
        count = (size_t)cnt;
        k->form = SW_COUNT;
    } else {
        k->form = SW_SPAN;
        if (sw->design == KN_DESIGN_GRID)
            return kn_sw_fail(c, kn_yr_loc_of(n), kp,
                              "a grid needs the values: give step or count, or "
                              "a list (a range {from, to} alone is for design: "
                              "{latin_hypercube: K})");
        if (!(k->to > k->from)) {
            snprintf(key, sizeof key, "%s.to", kp);
            return kn_sw_fail(c, k->to_at, key, "must be > from (%s), got %s", fb, tb);
        }
        if (k->integer && (k->from != floor(k->from) || k->to != floor(k->to))) {
            int f = k->from != floor(k->from);
            snprintf(key, sizeof key, "%s.%s", kp, f ? "from" : "to");
            return kn_sw_fail(c, f ? k->from_at : k->to_at, key,
                              "expected an integer for the integer key '%s', got %s", k->path,
                              f ? fb : tb);
        }
        return KN_OK;
    }

    k->values = calloc(count, sizeof *k->values);
    if (!k->values)
        return kn_sw_oom(c);
    double span = fabs(k->to - k->from);
    for (size_t i = 0; i < count; i++) {
        double v;
        kn_yr_loc at = kn_yr_loc_of(n);
        if (k->form == SW_STEP) {
            v = k->from + (double)i * step;
            if (fabs(v - k->to) <= 1e-9 * step)
                v = k->to;
            else if (i > 0)
                v = clean(v, 1e-12 * step);
        } else {
            v = i + 1 == count ? k->to
                               : k->from + (k->to - k->from) * ((double)i / (double)(count - 1));
            if (i > 0 && i + 1 < count)
                v = clean(v, 1e-12 * span);
        }
        if (i == 0)
            v = k->from, at = k->from_at;
        else if (v == k->to && i + 1 == count)
            at = k->to_at;
        char t[40];
        kn_sw_number_text(k, v, t, sizeof t);
        KN_CHECK(add_value(c, k, t, t, at));
    }
    return KN_OK;
}

/* Scenario keys that the sweep sets itself and so cannot vary. */
static kn_status forbidden(const sw_ctx *c, const char *path, kn_yr_loc at, const char *kp)
{
    if (strcmp(path, "name") == 0)
        return kn_sw_fail(c, at, kp,
                          "cannot be varied: each point is named after its values (set the "
                          "sweep's name instead)");
    if (strcmp(path, "run.replications") == 0)
        return kn_sw_fail(c, at, kp,
                          "cannot be varied: every point runs the sweep's replications (set "
                          "the sweep's replications instead)");
    if (strcmp(path, "run.seed") == 0)
        return kn_sw_fail(c, at, kp, "cannot be varied: every point shares the sweep's seed, for "
                                     "common random numbers (set the sweep's seed instead)");
    return KN_OK;
}

static kn_status read_vary(const sw_ctx *c, kn_sweep *sw, const yaml_node_t *n, kn_yr_loc key_at)
{
    char d[KN_YR_SHOW_MAX + 16], shown[SW_KEY_MAX + 8], kp[sizeof shown + 8];
    if (n->type != YAML_MAPPING_NODE)
        return kn_sw_fail(c, kn_yr_loc_of(n), "vary",
                          "expected a mapping of scenario keys to values "
                          "(staff.employees: [8, 9, 10]), got %s",
                          kn_yr_describe(n, d, sizeof d));
    size_t m = kn_sw_map_len(n);
    if (m == 0)
        return kn_sw_fail(c, kn_yr_loc_of(n), "vary", "must name at least one key to vary");
    sw->keys = calloc(m, sizeof *sw->keys);
    if (!sw->keys)
        return kn_sw_oom(c);
    for (size_t i = 0; i < m; i++) {
        const yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
        const yaml_node_t *kn = kn_sw_get_node(c, pr->key), *vn = kn_sw_get_node(c, pr->value);
        if (!kn || !vn)
            return kn_sw_fail(c, kn_yr_loc_of(n), "vary", "malformed mapping");
        kn_yr_loc kat = kn_yr_loc_of(kn);
        if (kn->type != YAML_SCALAR_NODE || kn_yr_is_null(kn))
            return kn_sw_fail(c, kat, "vary", "a key must be a dotted scenario key, got %s",
                              kn_yr_describe(kn, d, sizeof d));
        const char *name = (const char *)kn->data.scalar.value;
        size_t nlen = kn->data.scalar.length;
        kn_yr_show(shown, sizeof shown, name, nlen, SW_KEY_MAX - 8);
        snprintf(kp, sizeof kp, "vary.%s", shown);
        if (strlen(name) != nlen || nlen >= SW_KEY_MAX)
            return kn_sw_fail(c, kat, kp, "unknown scenario key");
        for (size_t j = 0; j < i; j++) {
            const yaml_node_t *prev = kn_sw_get_node(c, n->data.mapping.pairs.start[j].key);
            if (prev && prev->data.scalar.length == nlen &&
                memcmp(prev->data.scalar.value, name, nlen) == 0)
                return kn_sw_fail(c, kat, kp, "duplicate key (first at line %zu)",
                                  (size_t)prev->start_mark.line + 1);
        }
        const kn_param *p = kn_param_find(name);
        if (!p) {
            const char *in = kn_sw_first_in_block(name);
            if (in)
                return kn_sw_fail(c, kat, kp,
                                  "'%s' is a block, not a key; write the whole dotted key, "
                                  "e.g. '%s'", shown, in);
            const char *sug = kn_sw_suggest_param(name);
            if (sug)
                return kn_sw_fail(c, kat, kp, "unknown scenario key (did you mean '%s'?)", sug);
            return kn_sw_fail(c, kat, kp, "unknown scenario key (the keys are listed in "
                                          "docs/scenarios.md)");
        }
        KN_CHECK(forbidden(c, name, kat, kp));
        sw_key *k = &sw->keys[sw->nkeys++];
        k->path = kn_sw_dup_str(name);
        if (!k->path)
            return kn_sw_oom(c);
        k->param = p;
        k->integer = p->type == KN_PT_INT || p->type == KN_PT_UINT64;
        k->numeric = k->integer || p->type == KN_PT_DOUBLE;
        k->at = kn_yr_loc_of(vn);
        if (vn->type == YAML_SEQUENCE_NODE)
            KN_CHECK(read_list(c, k, vn, kp));
        else if (vn->type == YAML_MAPPING_NODE)
            KN_CHECK(read_range(c, sw, k, vn, kp));
        else
            return kn_sw_fail(c, kn_yr_loc_of(vn), kp, "expected a list of values [a, b, ...] or a "
                                                       "range {from, to, step}, got %s%s",
                              kn_yr_describe(vn, d, sizeof d),
                              kn_yr_is_null(vn) ? "" : " (one value: write [it])");
    }

    /* the number of points */
    if (sw->design == KN_DESIGN_LHS) {
        if (sw->lhs_k > sw->max_points)
            return kn_sw_fail(c, key_at, "design.latin_hypercube",
                              "%zu points, more than %zu allowed here", sw->lhs_k, sw->max_points);
        sw->npoints = sw->lhs_k;
    } else {
        double np = 1;
        for (size_t k = 0; k < sw->nkeys; k++)
            np *= (double)sw->keys[k].nvalues;
        if (np > (double)sw->max_points)
            return kn_sw_fail(c, key_at, "vary",
                              "the grid has %.0f points, more than %zu; vary fewer "
                              "keys or fewer values, or use design: "
                              "{latin_hypercube: K}", np, sw->max_points);
        sw->npoints = (size_t)np;
    }

    /* each value alone on the base: the scenario reader's type and range checks */
    for (size_t k = 0; k < sw->nkeys; k++) {
        sw_key *key = &sw->keys[k];
        snprintf(kp, sizeof kp, "vary.%s", key->path);
        if (key->form == SW_SPAN) {
            char t[40];
            kn_scenario tmp = sw->base;
            KN_CHECK(kn_sw_apply(c, &tmp, key->path, kn_sw_number_text(key, key->from, t, sizeof t),
                                 key->from_at, kp));
            tmp = sw->base;
            KN_CHECK(kn_sw_apply(c, &tmp, key->path, kn_sw_number_text(key, key->to, t, sizeof t),
                                 key->to_at, kp));
            continue;
        }
        for (size_t i = 0; i < key->nvalues; i++) {
            kn_scenario tmp = sw->base;
            KN_CHECK(kn_sw_apply(c, &tmp, key->path, key->values[i].text, key->values[i].at, kp));
        }
    }
    return KN_OK;
}

/* ---- load ------------------------------------------------------------------------ */

static kn_status load(const sw_ctx *c, kn_sweep *sw, const char *text, size_t len,
                      const kn_sweep_opts *opts)
{
    yaml_document_t doc;
    char d[KN_YR_SHOW_MAX + 16];
    KN_CHECK(kn_sw_parse_doc(c, text, len, &doc));
    sw_ctx cc = *c;
    cc.doc = &doc;
    c = &cc;
    kn_status rc = KN_OK;
    sw->max_points = opts && opts->max_points > 0 && opts->max_points < KN_SWEEP_MAX_POINTS
                         ? opts->max_points : KN_SWEEP_MAX_POINTS;
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    const yaml_node_t *val[SW_NTOP] = { NULL };
    kn_yr_loc kat[SW_NTOP] = { { 0, 0 } };

    if (!root || kn_yr_is_null(root)) {
        kn_yr_loc first = { 1, 1 };
        rc = kn_sw_fail(c, first, NULL, "empty sweep: expected a mapping with base and vary (see "
                                        "docs/sweeps.md)");
        goto done;
    }
    if (root->type != YAML_MAPPING_NODE) {
        rc = kn_sw_fail(c, kn_yr_loc_of(root), NULL,
                        "the top level must be a mapping of keys (base, "
                        "name, design, replications, seed, vary), got %s",
                        kn_yr_describe(root, d, sizeof d));
        goto done;
    }
    for (size_t i = 0; i < kn_sw_map_len(root); i++) {
        const yaml_node_pair_t *pr = &root->data.mapping.pairs.start[i];
        const yaml_node_t *k = kn_sw_get_node(c, pr->key), *v = kn_sw_get_node(c, pr->value);
        if (!k || !v) {
            rc = kn_sw_fail(c, kn_yr_loc_of(root), NULL, "malformed mapping");
            goto done;
        }
        if (k->type != YAML_SCALAR_NODE || kn_yr_is_null(k)) {
            rc = kn_sw_fail(c, kn_yr_loc_of(k), NULL, "a key must be a plain name, got %s",
                            kn_yr_describe(k, d, sizeof d));
            goto done;
        }
        size_t j;
        for (j = 0; j < SW_NTOP && !kn_sw_scalar_is(k, sw_top_keys[j]); j++)
            ;
        kn_yr_loc at = kn_yr_loc_of(k);
        if (j == SW_NTOP) {
            char shown[SW_KEY_MAX + 8];
            kn_yr_show(shown, sizeof shown, (const char *)k->data.scalar.value,
                       k->data.scalar.length, SW_KEY_MAX - 8);
            const char *sug = kn_yr_suggest(shown, sw_top_keys, SW_NTOP, 0, NULL);
            if (sug)
                rc = kn_sw_fail(c, at, shown, "unknown key (did you mean '%s'?)", sug);
            else if (kn_param_find(shown) || kn_sw_first_in_block(shown))
                rc = kn_sw_fail(c, at, shown, "unknown key (scenario keys to vary go under vary:)");
            else if (strchr(shown, '.') && kn_sw_suggest_param(shown))
                rc = kn_sw_fail(c, at, shown,
                                "unknown key (scenario keys to vary go under vary:; did "
                                "you mean 'vary: {%s: ...}'?)",
                                kn_sw_suggest_param(shown));
            else
                rc = kn_sw_fail(c, at, shown,
                                "unknown key (the top-level keys are base, name, design, "
                                "replications, seed, vary)");
            goto done;
        }
        if (val[j]) {
            rc = kn_sw_fail(c, at, sw_top_keys[j],
                            "duplicate key (first at line %zu)", kat[j].line);
            goto done;
        }
        val[j] = v;
        kat[j] = at;
    }

    kn_yr_base_name(c->origin, "sweep", sw->name, sizeof sw->name);
    if (val[TOP_NAME] && (rc = read_name(c, sw, val[TOP_NAME])) != KN_OK)
        goto done;
    if (!val[TOP_BASE]) {
        rc = kn_sw_fail(c, sw_nowhere, "base", "required, not given (the scenario file to vary)");
        goto done;
    }
    if ((rc = read_base(c, sw, val[TOP_BASE])) != KN_OK)
        goto done;
    if (val[TOP_REPLICATIONS] &&
        (rc = read_run_key(c, sw, val[TOP_REPLICATIONS], "replications", "run.replications")) != KN_OK)
        goto done;
    if (val[TOP_SEED] && (rc = read_run_key(c, sw, val[TOP_SEED], "seed", "run.seed")) != KN_OK)
        goto done;
    if (opts && opts->replications > 0) {
        if (opts->replications < 2 || opts->replications > 100000) {
            rc = kn_error_set(c->err, KN_ESCENARIO, "--replications %d: must be in [2, 100000]",
                              opts->replications);
            goto done;
        }
        sw->base.run.replications = opts->replications;
    }
    if (opts && opts->has_seed)
        sw->base.run.seed = opts->seed;
    if (val[TOP_DESIGN] && (rc = read_design(c, sw, val[TOP_DESIGN])) != KN_OK)
        goto done;
    if (!val[TOP_VARY]) {
        rc = kn_sw_fail(c, sw_nowhere, "vary", "required, not given (the scenario keys to vary)");
        goto done;
    }
    if ((rc = read_vary(c, sw, val[TOP_VARY], kat[TOP_VARY])) != KN_OK)
        goto done;
    if (sw->design == KN_DESIGN_LHS && (rc = kn_sw_make_lhs(c, sw)) != KN_OK)
        goto done;
    rc = kn_sw_check_points(c, sw);
done:
    yaml_document_delete(&doc);
    return rc;
}

kn_status kn_sweep_load_opts(kn_sweep **out, const char *path, const kn_sweep_opts *opts,
                             kn_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !path)
        return kn_error_set(err, KN_EINVAL, "kn_sweep_load: no result pointer or no path");
    if (strlen(path) >= KN_PATH_MAX)
        return kn_error_set(err, KN_EIO, "%.200s...: cannot open: file name too long", path);
    kn_sweep *sw = calloc(1, sizeof *sw);
    if (!sw)
        return kn_error_set(err, KN_ENOMEM, "%s: out of memory", path);
    size_t len = 0;
    kn_status rc = kn_yr_read_file(path, SW_FILE_MAX_BYTES, "sweep", &sw->text, &len, err);
    if (rc == KN_OK) {
        sw->file = kn_sw_dup_str(path);
        if (!sw->file)
            rc = kn_error_set(err, KN_ENOMEM, "%s: out of memory", path);
    }
    if (rc == KN_OK) {
        sw_ctx c = { .origin = path, .err = err };
        rc = load(&c, sw, sw->text, len, opts);
    }
    if (rc != KN_OK) {
        kn_sweep_free(sw);
        return rc;
    }
    *out = sw;
    return KN_OK;
}

kn_status kn_sweep_load(kn_sweep **out, const char *path, kn_error *err)
{
    return kn_sweep_load_opts(out, path, NULL, err);
}
