/* scenario_yaml.c - scenario files: reading and overriding (--set).
 *
 * The reader uses libyaml's document API (so every node carries its line and column),
 * walks mappings building dotted paths and looks each leaf up in the key table
 * (models/scenario_keys.c). `--set a.b=value` parses the value as YAML and goes through
 * the same walker. The rules a resolved scenario must follow are the model's
 * (kn_scenario_validate); this file adds to a fault the place where its key was given.
 * The writer, in scenario_yaml_write.c, iterates the same table.
 *
 * There is no mutable global state: everything one parse needs lives in a kn_ctx on
 * the caller's stack, and a failed load or override leaves the caller's scenario as
 * it was. Numbers are read with strtod/strtoll and written with printf, so they assume
 * the "C" LC_NUMERIC locale (the default of a C program).
 */
#include "scenario_yaml.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "scenario_yaml_int.h"
#include "yamlread.h"

#if defined(__GNUC__)
#define KN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KN_PRINTF(f, a)
#endif

#define KN_FILE_MAX_BYTES (16u << 20)  /* a scenario file larger than this is refused */
#define KN_MAX_DEPTH 32                /* deepest nesting of mappings and sequences read */

/* ---- paths and blocks ------------------------------------------------------------ */

static void *field(kn_scenario *sc, const kn_param *p)
{
    return (char *)sc + p->offset;
}

static void set_kind(kn_scenario *sc, const kn_param *p, kn_dist_kind k)
{
    memcpy(field(sc, p), &k, sizeof k);
}

/* Giving a block or any key in it switches an off distribution block on. */
static void enable_block(kn_scenario *sc, const char *path)
{
    const kn_param *q = kn_param_dist_of(path);
    if (q && kn_param_get_kind(sc, q) == KN_DIST_NONE)
        set_kind(sc, q, KN_DIST_EXPONENTIAL);
}

/* "a, b, c": the names directly under `block` ("" = top level), in table order. */
static void list_children(const char *block, char *out, size_t cap)
{
    size_t n = strlen(block), used = 0, prev_len = 0;
    const char *prev = NULL;
    out[0] = '\0';
    for (size_t i = 0; i < KN_NPARAMS; i++) {
        const char *rest = kn_param_at(i)->path;
        if (n > 0) {
            if (strncmp(rest, block, n) != 0 || rest[n] != '.')
                continue;
            rest += n + 1;
        }
        size_t len = strcspn(rest, ".");
        if (prev && len == prev_len && strncmp(rest, prev, len) == 0)
            continue;
        int w = snprintf(out + used, cap - used, "%s%.*s", prev ? ", " : "", (int)len, rest);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
        prev = rest;
        prev_len = len;
    }
}

/* ---- did you mean ---------------------------------------------------------------- */

/* The known key or block closest to `u`, copied into out; 0 if nothing is close enough. */
static int suggest(const char *u, char *out, size_t cap)
{
    const char *cands[KN_PARAM_MAX];
    size_t len = 0;
    for (size_t i = 0; i < KN_NPARAMS; i++)
        cands[i] = kn_param_at(i)->path;
    const char *s = kn_yr_suggest(u, cands, KN_NPARAMS, 1, &len);
    if (s)
        snprintf(out, cap, "%.*s", (int)len, s);
    return s != NULL;
}

/* ---- messages -------------------------------------------------------------------- */

typedef enum kn_from {
    KN_FROM_FILE, /* a file or string: "FILE:LINE:COL: " */
    KN_FROM_SET   /* an override: "--set a.b=value: " */
} kn_from;

/* Everything one load, override or check needs; lives on the caller's stack. */
typedef struct kn_ctx {
    kn_from from;
    const char *origin;   /* file name (FILE) or the assignment (SET) */
    kn_error *err;
    yaml_document_t *doc; /* the document being walked */
    kn_scenario *sc;      /* the scenario being filled (a copy of the caller's) */
    kn_yr_loc where[KN_PARAM_MAX]; /* where each key was given in this load/override */
} kn_ctx;

static const kn_yr_loc kn_nowhere = { 0, 0 };

static void vappend(char *buf, size_t cap, size_t *used, const char *fmt, va_list ap)
    KN_PRINTF(4, 0);
static void vappend(char *buf, size_t cap, size_t *used, const char *fmt, va_list ap)
{
    if (*used + 1 >= cap)
        return;
    int w = vsnprintf(buf + *used, cap - *used, fmt, ap);
    if (w > 0)
        *used = *used + (size_t)w < cap ? *used + (size_t)w : cap - 1;
}

static void append(char *buf, size_t cap, size_t *used, const char *fmt, ...) KN_PRINTF(4, 5);
static void append(char *buf, size_t cap, size_t *used, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vappend(buf, cap, used, fmt, ap);
    va_end(ap);
}

/* Fail with KN_ESCENARIO: "<where>: key '<key>': <reason>". */
static kn_status fail(const kn_ctx *c, kn_yr_loc at, const char *key, const char *fmt, ...)
    KN_PRINTF(4, 5);
static kn_status fail(const kn_ctx *c, kn_yr_loc at, const char *key, const char *fmt, ...)
{
    char msg[KN_ERROR_MSG_MAX], shown[KN_KEY_MAX + 8];
    size_t used = 0;
    msg[0] = '\0';
    switch (c->from) {
    case KN_FROM_FILE:
        if (at.line)
            append(msg, sizeof msg, &used, "%s:%zu:%zu: ", c->origin, at.line, at.col);
        else
            append(msg, sizeof msg, &used, "%s: ", c->origin);
        break;
    case KN_FROM_SET:
        append(msg, sizeof msg, &used, "--set %s: ",
               kn_yr_show(shown, sizeof shown, c->origin, strlen(c->origin), 200));
        break;
    }
    if (key)
        append(msg, sizeof msg, &used, "key '%s': ",
               kn_yr_show(shown, sizeof shown, key, strlen(key), KN_KEY_MAX));
    va_list ap;
    va_start(ap, fmt);
    vappend(msg, sizeof msg, &used, fmt, ap);
    va_end(ap);
    return kn_error_set(c->err, KN_ESCENARIO, "%s", msg);
}

/* ---- numbers --------------------------------------------------------------------- */

typedef enum kn_num { KN_NUM_OK, KN_NUM_BAD, KN_NUM_LOW, KN_NUM_HIGH } kn_num;

/* A decimal number: digits, sign, '.', exponent; whole string; finite. */
static kn_num parse_double(const char *s, double *out)
{
    size_t len = strlen(s);
    if (len == 0 || strspn(s, "0123456789+-.eE") != len || strpbrk(s, "0123456789") == NULL)
        return KN_NUM_BAD;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s + len)
        return KN_NUM_BAD;
    if (errno == ERANGE && isinf(v))
        return v > 0 ? KN_NUM_HIGH : KN_NUM_LOW;
    if (!isfinite(v))
        return KN_NUM_BAD;
    *out = v;
    return KN_NUM_OK;
}

/* Optional sign and decimal digits only: no fraction, no exponent. */
static int all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

static kn_num parse_integer(const char *s, long long *out)
{
    if (!all_digits(s + (*s == '+' || *s == '-')))
        return KN_NUM_BAD;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE)
        return v > 0 ? KN_NUM_HIGH : KN_NUM_LOW;
    *out = v;
    return KN_NUM_OK;
}

static kn_num parse_uint64(const char *s, uint64_t *out)
{
    if (*s == '-')
        return all_digits(s + 1) ? KN_NUM_LOW : KN_NUM_BAD;
    if (!all_digits(s + (*s == '+')))
        return KN_NUM_BAD;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE)
        return KN_NUM_HIGH;
    *out = (uint64_t)v;
    return KN_NUM_OK;
}

/* Read scalar `node` as a value of the numeric key p (element `index` of an array) and
 * store it; `key` is the name used in messages. */
static kn_status set_number(kn_ctx *c, const kn_param *p, size_t index, const char *key,
                            const yaml_node_t *node)
{
    const char *noun = p->type == KN_PT_INT      ? "an integer"
                       : p->type == KN_PT_UINT64 ? "a non-negative integer"
                                                 : "a number";
    kn_yr_loc at = kn_yr_loc_of(node);
    char got[KN_YR_SHOW_MAX + 8], d[KN_YR_SHOW_MAX + 16];
    if (node->type != YAML_SCALAR_NODE)
        return fail(c, at, key, "expected %s, got %s", noun, kn_yr_describe(node, d, sizeof d));
    if (kn_yr_is_null(node))
        return fail(c, at, key, "missing value (expected %s)", noun);
    const char *s = (const char *)node->data.scalar.value;
    size_t len = node->data.scalar.length;
    kn_yr_show(got, sizeof got, s, len, KN_YR_SHOW_MAX);
    if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return fail(c, at, key, "expected %s, got the quoted string '%s' (write numbers without quotes)",
                    noun, got);
    if (strlen(s) != len)
        return fail(c, at, key, "expected %s, got '%s'", noun, got);

    double v = 0.0;
    long long iv = 0;
    uint64_t uv = 0;
    kn_num rc;
    switch (p->type) {
    case KN_PT_INT:
        rc = parse_integer(s, &iv);
        v = (double)iv;
        break;
    case KN_PT_UINT64:
        rc = parse_uint64(s, &uv);
        break;
    default:
        rc = parse_double(s, &v);
        break;
    }
    if (rc == KN_NUM_BAD)
        return fail(c, at, key, "expected %s, got '%s'", noun, got);
    int side = rc == KN_NUM_LOW ? -1 : rc == KN_NUM_HIGH ? 1 : p->type == KN_PT_UINT64 ? 0
                                                                  : kn_param_range_side(p, v);
    if (side) {
        char why[96];
        kn_param_bound_reason(p, side < 0, why, sizeof why);
        return fail(c, at, key, "%s, got %s", why, got);
    }
    char *f = field(c->sc, p);
    switch (p->type) {
    case KN_PT_INT: {
        int i = (int)iv; /* the table keeps INT ranges within int */
        memcpy(f, &i, sizeof i);
        break;
    }
    case KN_PT_UINT64:
        memcpy(f, &uv, sizeof uv);
        break;
    case KN_PT_DOUBLE_ARRAY:
        memcpy(f + index * sizeof v, &v, sizeof v);
        break;
    default:
        memcpy(f, &v, sizeof v);
        break;
    }
    return KN_OK;
}

/* ---- the walker ------------------------------------------------------------------ */

static kn_status set_leaf(kn_ctx *c, const kn_param *p, const yaml_node_t *node)
{
    kn_yr_loc at = kn_yr_loc_of(node);
    char d[KN_YR_SHOW_MAX + 16];
    kn_status rc = KN_OK;
    size_t i = kn_param_index(p);
    if (c->where[i].line)
        return fail(c, at, p->path, "given twice (first at line %zu)", c->where[i].line);
    enable_block(c->sc, p->path);

    switch (p->type) {
    case KN_PT_STRING: {
        if (node->type != YAML_SCALAR_NODE)
            return fail(c, at, p->path, "expected a string, got %s",
                        kn_yr_describe(node, d, sizeof d));
        if (kn_yr_is_null(node))
            return fail(c, at, p->path, "missing value (expected a string)");
        const char *s = (const char *)node->data.scalar.value;
        size_t len = node->data.scalar.length;
        if (len == 0)
            return fail(c, at, p->path, "must not be empty");
        if (strlen(s) != len)
            return fail(c, at, p->path, "must not contain a NUL character");
        if (len >= KN_NAME_MAX)
            return fail(c, at, p->path, "must be at most %d bytes long, got %zu", KN_NAME_MAX - 1,
                        len);
        char *f = field(c->sc, p);
        memcpy(f, s, len);
        f[len] = '\0';
        break;
    }
    case KN_PT_INT:
    case KN_PT_UINT64:
    case KN_PT_DOUBLE:
        rc = set_number(c, p, 0, p->path, node);
        break;
    case KN_PT_DIST_KIND: {
        char names[128];
        kn_param_kind_list(p, names, sizeof names);
        if (node->type != YAML_SCALAR_NODE || kn_yr_is_null(node))
            return fail(c, at, p->path, "expected one of %s; got %s", names,
                        kn_yr_describe(node, d, sizeof d));
        const char *s = (const char *)node->data.scalar.value;
        size_t k;
        for (k = 0; kn_dist_name((kn_dist_kind)k); k++)
            if ((double)k >= p->min && (double)k <= p->max && strcmp(s, kn_dist_name((kn_dist_kind)k)) == 0 &&
                strlen(kn_dist_name((kn_dist_kind)k)) == node->data.scalar.length)
                break;
        if (!kn_dist_name((kn_dist_kind)k))
            return fail(c, at, p->path, "must be one of %s; got %s", names,
                        kn_yr_describe(node, d, sizeof d));
        set_kind(c->sc, p, (kn_dist_kind)k);
        break;
    }
    case KN_PT_DOUBLE_ARRAY: {
        if (node->type != YAML_SEQUENCE_NODE)
            return fail(c, at, p->path, "expected a sequence of %zu numbers, got %s", p->count,
                        kn_yr_describe(node, d, sizeof d));
        size_t n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
        if (n != p->count)
            return fail(c, at, p->path, "expected %zu values, got %zu", p->count, n);
        for (size_t k = 0; k < n && rc == KN_OK; k++) {
            const yaml_node_t *item =
                yaml_document_get_node(c->doc, node->data.sequence.items.start[k]);
            char key[KN_KEY_MAX + 24];
            snprintf(key, sizeof key, "%s[%zu]", p->path, k);
            rc = item ? set_number(c, p, k, key, item) : fail(c, at, key, "missing value");
        }
        break;
    }
    }
    if (rc != KN_OK)
        return rc;
    c->where[i] = at;

    /* arrivals: a constant rate or an hourly profile, never both */
    size_t rate = kn_param_index(kn_param_at_offset(offsetof(kn_scenario, arrivals.per_hour)));
    size_t prof = kn_param_index(kn_param_at_offset(offsetof(kn_scenario, arrivals.profile)));
    if (i == rate || i == prof) {
        size_t other = i == rate ? prof : rate;
        if (c->where[other].line)
            return fail(c, at, p->path, "give either arrivals.per_hour or arrivals.profile, not both "
                        "(the other is at line %zu)", c->where[other].line);
        c->sc->arrivals.use_profile = i == prof;
        if (i == prof)
            c->sc->arrivals.per_hour = 0.0;
        else
            memset(c->sc->arrivals.profile, 0, sizeof c->sc->arrivals.profile);
    }
    return KN_OK;
}

/* Keys that earlier versions had, and why they went. */
static const struct {
    const char *path, *why;
} removed_keys[] = {
    {"run.sample_minutes", "no longer a key: the queue length is now measured exactly, "
                           "without sampling (docs/model.md#queue); remove it"},
};

static kn_status unknown_key(const kn_ctx *c, kn_yr_loc at, const char *path)
{
    char sug[KN_KEY_MAX], block[KN_KEY_MAX], kids[512];
    for (size_t i = 0; i < sizeof removed_keys / sizeof removed_keys[0]; i++)
        if (strcmp(path, removed_keys[i].path) == 0)
            return fail(c, at, path, "%s", removed_keys[i].why);
    if (suggest(path, sug, sizeof sug))
        return fail(c, at, path, "unknown key (did you mean '%s'?)", sug);
    size_t b = kn_param_block_len(path);
    snprintf(block, sizeof block, "%.*s", (int)b, path);
    if (b == 0) {
        list_children("", kids, sizeof kids);
        return fail(c, at, path, "unknown key (the top-level keys are %s)", kids);
    }
    if (kn_param_is_block(block)) {
        list_children(block, kids, sizeof kids);
        return fail(c, at, path, "unknown key (the keys under '%s' are %s)", block, kids);
    }
    return fail(c, at, path, "unknown key");
}

/* Apply `node` at dotted `path` ("" = top level): a key's value, or a block mapping. */
static kn_status walk(kn_ctx *c, const yaml_node_t *node, const char *path, kn_yr_loc key_at)
{
    const kn_param *p = path[0] ? kn_param_find(path) : NULL;
    if (p)
        return set_leaf(c, p, node);
    if (path[0] && !kn_param_is_block(path))
        return unknown_key(c, key_at, path);

    kn_yr_loc at = kn_yr_loc_of(node);
    char kids[512], d[KN_YR_SHOW_MAX + 16];
    if (node->type != YAML_MAPPING_NODE) {
        list_children(path, kids, sizeof kids);
        if (!path[0])
            return fail(c, at, NULL, "the top level must be a mapping of keys (%s), got %s", kids,
                        kn_yr_describe(node, d, sizeof d));
        return fail(c, at, path, "expected a mapping of keys (%s), got %s", kids,
                    kn_yr_describe(node, d, sizeof d));
    }
    enable_block(c->sc, path);

    size_t plen = strlen(path);
    const yaml_node_pair_t *pairs = node->data.mapping.pairs.start;
    size_t npairs = (size_t)(node->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < npairs; i++) {
        const yaml_node_t *k = yaml_document_get_node(c->doc, pairs[i].key);
        const yaml_node_t *v = yaml_document_get_node(c->doc, pairs[i].value);
        if (!k || !v)
            return fail(c, at, path[0] ? path : NULL, "malformed mapping");
        kn_yr_loc kat = kn_yr_loc_of(k);
        if (k->type != YAML_SCALAR_NODE)
            return fail(c, kat, path[0] ? path : NULL, "a key must be a plain name, got %s",
                        kn_yr_describe(k, d, sizeof d));
        const char *name = (const char *)k->data.scalar.value;
        size_t nlen = k->data.scalar.length;

        char child[KN_KEY_MAX];
        if (plen + 1 + nlen >= sizeof child || strlen(name) != nlen) {
            char shown[KN_YR_SHOW_MAX + 8];
            kn_yr_show(shown, sizeof shown, name, nlen, KN_YR_SHOW_MAX);
            snprintf(child, sizeof child, "%s%s%s", path, plen ? "." : "", shown);
            return fail(c, kat, child, "unknown key");
        }
        memcpy(child, path, plen);
        if (plen)
            child[plen] = '.';
        memcpy(child + plen + (plen > 0), name, nlen);
        child[plen + (plen > 0) + nlen] = '\0';

        if (memchr(name, '.', nlen))
            return fail(c, kat, child, "a key must not contain '.'; nest the blocks instead "
                                       "(run: {days: 10}, not run.days: 10)");
        for (size_t j = 0; j < i; j++) {
            const yaml_node_t *prev = yaml_document_get_node(c->doc, pairs[j].key);
            if (prev && prev->data.scalar.length == nlen &&
                memcmp(prev->data.scalar.value, name, nlen) == 0)
                return fail(c, kat, child, "duplicate key (first at line %zu)",
                            (size_t)prev->start_mark.line + 1);
        }
        kn_status rc = walk(c, v, child, kat);
        if (rc != KN_OK)
            return rc;
    }
    return KN_OK;
}

/* ---- parsing --------------------------------------------------------------------- */

/* The message for a text that kn_yr_parse refused (fault f, described by pb). */
static kn_status parse_error(const kn_ctx *c, kn_yr_fault f, const kn_yr_problem *pb,
                             const char *path)
{
    switch (f) {
    case KN_YR_OK:
        break;
    case KN_YR_NOMEM:
        return kn_error_set(c->err, KN_ENOMEM, "%s: out of memory", c->origin);
    case KN_YR_NOMEM_PARSING:
        return kn_error_set(c->err, KN_ENOMEM, "%s: out of memory while parsing", c->origin);
    case KN_YR_SYNTAX:
        if (c->from == KN_FROM_SET)
            return fail(c, pb->at, path, "cannot parse the value: %s%s", pb->problem,
                        pb->context);
        return fail(c, pb->at, NULL, "syntax error: %s%s", pb->problem, pb->context);
    case KN_YR_TOO_DEEP:
        return fail(c, pb->at, path[0] ? path : NULL, "nested deeper than %d levels",
                    KN_MAX_DEPTH);
    case KN_YR_TWO_DOCS:
        return fail(c, pb->at, path[0] ? path : NULL, "only one YAML document is allowed");
    }
    return KN_OK;
}

/* Parse text as one YAML document and apply its root at `path` ("" = whole scenario). */
static kn_status parse_and_walk(kn_ctx *c, const char *text, size_t len, const char *path)
{
    yaml_document_t doc;
    kn_yr_problem pb;
    kn_status rc;
    if (!text) {
        text = "";
        len = 0;
    }
    kn_yr_fault f = kn_yr_parse(text, len, KN_MAX_DEPTH, &doc, &pb);
    if (f != KN_YR_OK)
        return parse_error(c, f, &pb, path);
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    c->doc = &doc;
    if (!root || kn_yr_is_null(root)) {
        kn_yr_loc first = { 1, 1 };
        if (path[0])
            rc = fail(c, first, path, "missing value");
        else
            rc = fail(c, first, NULL, "empty scenario: expected a mapping of keys "
                                      "(see docs/scenarios.md)");
    } else {
        rc = walk(c, root, path, kn_yr_loc_of(root));
    }
    c->doc = NULL;
    yaml_document_delete(&doc);
    return rc;
}

/* ---- the model's rules, located ------------------------------------------------- */

/* Where to point for a message about key i: where it was given, else where key j was
 * (j may be KN_NPARAMS), else any key given in the same block, else nowhere. */
static kn_yr_loc where_for(const kn_ctx *c, size_t i, size_t j)
{
    if (c->where[i].line)
        return c->where[i];
    if (j < KN_NPARAMS && c->where[j].line)
        return c->where[j];
    const char *path = kn_param_at(i)->path;
    size_t b = kn_param_block_len(path);
    for (size_t k = 0; b > 0 && k < KN_NPARAMS; k++)
        if (c->where[k].line && kn_param_in_block(kn_param_at(k)->path, path, b))
            return c->where[k];
    return kn_nowhere;
}

static kn_status check(const kn_ctx *c, const kn_scenario *sc)
{
    kn_scenario_fault f;
    if (kn_scenario_validate(sc, &f) == KN_OK)
        return KN_OK;
    return fail(c, where_for(c, kn_param_index(f.key), kn_param_index(f.near)), f.name, "%s",
                f.reason);
}

/* ---- load, set ------------------------------------------------------------------- */

kn_status kn_scenario_load_string(kn_scenario *sc, const char *text, size_t len,
                                  const char *origin, kn_error *err)
{
    if (!origin)
        origin = "<string>";
    if (!sc || (!text && len))
        return kn_error_set(err, KN_EINVAL, "%s: no scenario or no text", origin);
    kn_scenario tmp;
    kn_scenario_defaults(&tmp);
    snprintf(tmp.file, sizeof tmp.file, "%s", origin);
    kn_yr_base_name(origin, "scenario", tmp.name, sizeof tmp.name);

    kn_ctx c = { .from = KN_FROM_FILE, .origin = origin, .err = err, .sc = &tmp };
    kn_status rc = parse_and_walk(&c, text, len, "");
    if (rc == KN_OK)
        rc = check(&c, &tmp);
    if (rc == KN_OK)
        *sc = tmp;
    return rc;
}

kn_status kn_scenario_load(kn_scenario *sc, const char *path, kn_error *err)
{
    if (!sc || !path)
        return kn_error_set(err, KN_EINVAL, "kn_scenario_load: no scenario or no path");
    if (strlen(path) >= KN_PATH_MAX)
        return kn_error_set(err, KN_EIO, "%.200s...: cannot open: file name too long", path);
    char *buf;
    size_t len;
    KN_CHECK(kn_yr_read_file(path, KN_FILE_MAX_BYTES, "scenario", &buf, &len, err));
    kn_status rc = kn_scenario_load_string(sc, buf, len, path, err);
    free(buf);
    return rc;
}

kn_status kn_scenario_set(kn_scenario *sc, const char *assignment, kn_error *err)
{
    if (!sc || !assignment)
        return kn_error_set(err, KN_EINVAL, "--set: no scenario or no assignment");
    kn_scenario tmp = *sc;
    kn_ctx c = { .from = KN_FROM_SET, .origin = assignment, .err = err, .sc = &tmp };
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return fail(&c, kn_nowhere, NULL, "expected path.to.key=value");
    const char *k0 = assignment, *k1 = eq;
    while (k0 < k1 && (*k0 == ' ' || *k0 == '\t'))
        k0++;
    while (k1 > k0 && (k1[-1] == ' ' || k1[-1] == '\t'))
        k1--;
    if (k0 == k1)
        return fail(&c, kn_nowhere, NULL, "expected path.to.key=value (no key before '=')");
    char key[KN_KEY_MAX];
    if ((size_t)(k1 - k0) >= sizeof key) {
        char shown[KN_YR_SHOW_MAX + 8];
        return fail(&c, kn_nowhere,
                    kn_yr_show(shown, sizeof shown, k0, (size_t)(k1 - k0), KN_YR_SHOW_MAX),
                    "unknown key");
    }
    memcpy(key, k0, (size_t)(k1 - k0));
    key[k1 - k0] = '\0';
    if (!kn_param_find(key) && !kn_param_is_block(key))
        return unknown_key(&c, kn_nowhere, key);
    kn_status rc = parse_and_walk(&c, eq + 1, strlen(eq + 1), key);
    if (rc == KN_OK)
        *sc = tmp;
    return rc;
}
