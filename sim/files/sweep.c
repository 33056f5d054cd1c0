/* sweep.c - reading, validating and expanding sweep files (docs/sweeps.md).
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
 * Points are not stored: a grid point is decoded from its index (first key slowest),
 * a Latin hypercube point from a table of K x keys draws made at load. Building the
 * grid's points at load reuses the scenario built for the unchanged leading keys, so a
 * point costs about one kn_scenario_set.
 */
#define _POSIX_C_SOURCE 200809L

#include "sweep.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "koning/rng.h"
#include "yamlread.h"

#if defined(__GNUC__)
#define SW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SW_PRINTF(f, a)
#endif

#define SW_FILE_MAX_BYTES (16u << 20) /* a sweep file larger than this is refused */
#define SW_MAX_DEPTH 32               /* deepest nesting read */
#define SW_KEY_MAX 256                /* longest key shown */
#define SW_VALUE_MAX (1u << 20)       /* longest value, as YAML text (aliases can blow up) */
#define SW_CONTEXT_MAX 300            /* longest "point P: k=v, ..." context in a message */

/* ---- data ------------------------------------------------------------------------ */

static const kn_yr_loc sw_nowhere = { 0, 0 };

typedef struct sw_value {
    char *text;   /* YAML text applied as "key=text" */
    char *shown;  /* as written in point names */
    kn_yr_loc at; /* where the value is in the sweep file */
} sw_value;

typedef enum sw_form {
    SW_LIST,  /* [a, b, c] */
    SW_STEP,  /* {from, to, step} */
    SW_COUNT, /* {from, to, count} */
    SW_SPAN   /* {from, to}: continuous, Latin hypercube only */
} sw_form;

typedef struct sw_key {
    char *path;            /* dotted scenario key */
    const kn_param *param;
    int integer;           /* KN_PT_INT or KN_PT_UINT64 */
    int numeric;           /* integer or KN_PT_DOUBLE */
    sw_form form;
    kn_yr_loc at;          /* the value node (the list or the range mapping) */
    double from, to;       /* ranges */
    kn_yr_loc from_at, to_at;
    size_t nvalues;        /* LIST, STEP, COUNT: the values; SPAN: 0 */
    sw_value *values;
} sw_key;

struct kn_sweep {
    char *file;        /* as given */
    char *base_file;   /* resolved */
    char *text;        /* the file's text, NUL-terminated */
    char name[KN_NAME_MAX];
    kn_scenario base;  /* base scenario, replications and seed applied */
    kn_sweep_design design;
    size_t lhs_k;
    size_t nkeys;
    sw_key *keys;
    size_t npoints;
    double *lhs;       /* LHS: npoints x nkeys; SPAN: the value, else an index in values */
    uint64_t fingerprint;
};

/* Everything one load needs for messages. */
typedef struct sw_ctx {
    const char *origin; /* the sweep file's path */
    kn_error *err;
    yaml_document_t *doc;
} sw_ctx;

/* ---- a growing string ------------------------------------------------------------ */

typedef struct sw_buf {
    char *s;
    size_t len, cap;
    int oom;
    int too_long; /* emit stopped at SW_VALUE_MAX bytes */
} sw_buf;

static void buf_put(sw_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *ns = realloc(b->s, ncap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = ncap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void buf_str(sw_buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

/* The string built so far (an empty string if nothing was added); the caller owns it.
 * NULL if an allocation failed. */
static char *buf_take(sw_buf *b)
{
    if (!b->oom && !b->s)
        buf_put(b, "", 0);
    if (b->oom) {
        free(b->s);
        b->s = NULL;
    }
    char *s = b->s;
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* ---- messages -------------------------------------------------------------------- */

/* Fail with KN_ESCENARIO: "ORIGIN:LINE:COL: key 'KEY': reason" (no position when
 * at.line is 0, no key when key is NULL). */
static kn_status fail(const sw_ctx *c, kn_yr_loc at, const char *key, const char *fmt, ...)
    SW_PRINTF(4, 5);
static kn_status fail(const sw_ctx *c, kn_yr_loc at, const char *key, const char *fmt, ...)
{
    char msg[KN_ERROR_MSG_MAX], shown[SW_KEY_MAX + 8];
    int n;
    if (at.line)
        n = snprintf(msg, sizeof msg, "%s:%zu:%zu: ", c->origin, at.line, at.col);
    else
        n = snprintf(msg, sizeof msg, "%s: ", c->origin);
    size_t used = n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1;
    if (key && used + 1 < sizeof msg) {
        n = snprintf(msg + used, sizeof msg - used, "key '%s': ",
                     kn_yr_show(shown, sizeof shown, key, strlen(key), SW_KEY_MAX));
        if (n > 0)
            used = used + (size_t)n < sizeof msg ? used + (size_t)n : sizeof msg - 1;
    }
    if (used + 1 < sizeof msg) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg + used, sizeof msg - used, fmt, ap);
        va_end(ap);
    }
    return kn_error_set(c->err, KN_ESCENARIO, "%s", msg);
}

static kn_status oom(const sw_ctx *c)
{
    return kn_error_set(c->err, KN_ENOMEM, "%s: out of memory", c->origin);
}

static const yaml_node_t *get_node(const sw_ctx *c, int id)
{
    return yaml_document_get_node(c->doc, id);
}

static size_t seq_len(const yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static size_t map_len(const yaml_node_t *n)
{
    return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

/* 1 if scalar node n is exactly the string s. */
static int scalar_is(const yaml_node_t *n, const char *s)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.length == strlen(s) &&
           memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

/* ---- did you mean ---------------------------------------------------------------- */

/* The scenario key closest to u, or NULL. */
static const char *suggest_param(const char *u)
{
    const char *cands[256];
    size_t n = 0;
    for (size_t i = 0; i < kn_param_count() && n < sizeof cands / sizeof cands[0]; i++)
        cands[n++] = kn_param_at(i)->path;
    return kn_yr_suggest(u, cands, n, 0, NULL);
}

/* The first scenario key under block `b` ("b.x"), or NULL if b is not a block. */
static const char *first_in_block(const char *b)
{
    size_t n = strlen(b);
    for (size_t i = 0; i < kn_param_count(); i++) {
        const char *p = kn_param_at(i)->path;
        if (n > 0 && strncmp(p, b, n) == 0 && p[n] == '.')
            return p;
    }
    return NULL;
}

/* ---- reading and parsing --------------------------------------------------------- */

/* Parse text as exactly one YAML document into *doc (deleted by the caller on KN_OK). */
static kn_status parse_doc(const sw_ctx *c, const char *text, size_t len, yaml_document_t *doc)
{
    kn_yr_problem pb;
    switch (kn_yr_parse(text, len, SW_MAX_DEPTH, doc, &pb)) {
    case KN_YR_OK:
        return KN_OK;
    case KN_YR_NOMEM:
    case KN_YR_NOMEM_PARSING:
        break;
    case KN_YR_SYNTAX:
        return fail(c, pb.at, NULL, "syntax error: %s%s", pb.problem, pb.context);
    case KN_YR_TOO_DEEP:
        return fail(c, pb.at, NULL, "nested deeper than %d levels", SW_MAX_DEPTH);
    case KN_YR_TWO_DOCS:
        return fail(c, pb.at, NULL, "only one YAML document is allowed");
    }
    return oom(c);
}

/* ---- scalars --------------------------------------------------------------------- */

/* A plain scalar's text, or NULL (with an error) if n is not one. `noun` names the
 * expected kind in the message. */
static kn_status plain_scalar(const sw_ctx *c, const yaml_node_t *n, const char *key,
                              const char *noun, const char **out)
{
    char d[KN_YR_SHOW_MAX + 16], got[KN_YR_SHOW_MAX + 8];
    if (n->type != YAML_SCALAR_NODE)
        return fail(c, kn_yr_loc_of(n), key, "expected %s, got %s", noun,
                    kn_yr_describe(n, d, sizeof d));
    if (kn_yr_is_null(n))
        return fail(c, kn_yr_loc_of(n), key, "missing value (expected %s)", noun);
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    kn_yr_show(got, sizeof got, s, len, KN_YR_SHOW_MAX);
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return fail(c, kn_yr_loc_of(n), key,
                    "expected %s, got the quoted string '%s' (write numbers without quotes)", noun,
                    got);
    if (strlen(s) != len)
        return fail(c, kn_yr_loc_of(n), key, "expected %s, got '%s'", noun, got);
    *out = s;
    return KN_OK;
}

/* A finite decimal number. */
static kn_status get_number(const sw_ctx *c, const yaml_node_t *n, const char *key, double *out)
{
    const char *s;
    char got[KN_YR_SHOW_MAX + 8];
    KN_CHECK(plain_scalar(c, n, key, "a number", &s));
    size_t len = strlen(s);
    kn_yr_show(got, sizeof got, s, len, KN_YR_SHOW_MAX);
    if (len == 0 || strspn(s, "0123456789+-.eE") != len || !strpbrk(s, "0123456789"))
        return fail(c, kn_yr_loc_of(n), key, "expected a number, got '%s'", got);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s + len)
        return fail(c, kn_yr_loc_of(n), key, "expected a number, got '%s'", got);
    if (!isfinite(v))
        return fail(c, kn_yr_loc_of(n), key, "must be finite, got '%s'", got);
    *out = v;
    return KN_OK;
}

/* A decimal integer (optional sign, digits only) in [min, max]. */
static kn_status get_integer(const sw_ctx *c, const yaml_node_t *n, const char *key, long long min,
                             long long max, long long *out)
{
    const char *s;
    char got[KN_YR_SHOW_MAX + 8];
    KN_CHECK(plain_scalar(c, n, key, "an integer", &s));
    const char *digits = s + (*s == '+' || *s == '-');
    kn_yr_show(got, sizeof got, s, strlen(s), KN_YR_SHOW_MAX);
    if (!*digits || strspn(digits, "0123456789") != strlen(digits))
        return fail(c, kn_yr_loc_of(n), key, "expected an integer, got '%s'", got);
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if ((errno == ERANGE && v < 0) || v < min)
        return fail(c, kn_yr_loc_of(n), key, "must be >= %lld, got %s", min, got);
    if (errno == ERANGE || v > max)
        return fail(c, kn_yr_loc_of(n), key, "must be <= %lld, got %s", max, got);
    *out = v;
    return KN_OK;
}

/* ---- values as YAML text --------------------------------------------------------- */

/* Write node n as YAML text that reads back to the same node: plain scalars as
 * written, other scalars double-quoted, collections in flow style. */
static void emit(const sw_ctx *c, const yaml_node_t *n, sw_buf *b, int depth)
{
    if (depth > SW_MAX_DEPTH || b->len > SW_VALUE_MAX) {
        b->too_long = 1;
        return;
    }
    switch (n->type) {
    case YAML_SCALAR_NODE: {
        const unsigned char *s = n->data.scalar.value;
        size_t len = n->data.scalar.length;
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            buf_put(b, (const char *)s, len);
            break;
        }
        buf_put(b, "\"", 1);
        for (size_t i = 0; i < len; i++) {
            char esc[8];
            if (s[i] == '"' || s[i] == '\\') {
                esc[0] = '\\';
                esc[1] = (char)s[i];
                buf_put(b, esc, 2);
            } else if (s[i] < 0x20 || s[i] == 0x7F) {
                snprintf(esc, sizeof esc, "\\x%02X", (unsigned)s[i]);
                buf_put(b, esc, 4);
            } else {
                buf_put(b, (const char *)s + i, 1);
            }
        }
        buf_put(b, "\"", 1);
        break;
    }
    case YAML_SEQUENCE_NODE: {
        buf_put(b, "[", 1);
        for (size_t i = 0; i < seq_len(n); i++) {
            const yaml_node_t *item = get_node(c, n->data.sequence.items.start[i]);
            if (i)
                buf_put(b, ", ", 2);
            if (item)
                emit(c, item, b, depth + 1);
            if (b->too_long)
                return;
        }
        buf_put(b, "]", 1);
        break;
    }
    case YAML_MAPPING_NODE: {
        buf_put(b, "{", 1);
        for (size_t i = 0; i < map_len(n); i++) {
            const yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
            const yaml_node_t *k = get_node(c, pr->key), *v = get_node(c, pr->value);
            if (i)
                buf_put(b, ", ", 2);
            if (k)
                emit(c, k, b, depth + 1);
            buf_put(b, ": ", 2);
            if (v)
                emit(c, v, b, depth + 1);
            if (b->too_long)
                return;
        }
        buf_put(b, "}", 1);
        break;
    }
    case YAML_NO_NODE:
        break;
    }
}

/* The text of a number for key k: an integer key gets an integer. */
static const char *number_text(const sw_key *k, double v, char *buf, size_t cap)
{
    if (k->integer && v == floor(v) && fabs(v) < 9.2e18)
        snprintf(buf, cap, "%.0f", v);
    else
        kn_format_number(buf, cap, v);
    return buf;
}

/* ---- applying values ------------------------------------------------------------- */

/* In a kn_scenario_set / kn_scenario_check message, find "key 'K': " where K is `path`
 * or starts with "path[" or "path." (or any key when path is NULL), searching from
 * `from`. Sets *key, *klen and *reason; 0 if there is none. */
static int split_message(const char *msg, const char *from, const char *path, const char **key,
                         size_t *klen, const char **reason)
{
    size_t pn = path ? strlen(path) : 0;
    for (const char *s = strstr(from, "key '"); s; s = strstr(s + 1, "key '")) {
        if (s != msg && (s < msg + 2 || s[-1] != ' ' || s[-2] != ':'))
            continue;
        const char *k = s + 5;
        if (path && (strncmp(k, path, pn) != 0 || (k[pn] != '\'' && k[pn] != '[' && k[pn] != '.')))
            continue;
        const char *e = strstr(k, "': ");
        if (!e)
            continue;
        *key = k;
        *klen = (size_t)(e - k);
        *reason = e + 3;
        return 1;
    }
    return 0;
}

/* Apply "path=text" to sc. On failure the message becomes
 * "ORIGIN:L:C: key 'SHOWN<rest>': reason", where <rest> is what the scenario reader
 * named after `path` (e.g. "[3]" for an array element). */
static kn_status apply(const sw_ctx *c, kn_scenario *sc, const char *path, const char *text,
                       kn_yr_loc at, const char *shown_key)
{
    size_t pn = strlen(path), tn = strlen(text);
    char *a = malloc(pn + tn + 2);
    if (!a)
        return oom(c);
    memcpy(a, path, pn);
    a[pn] = '=';
    memcpy(a + pn + 1, text, tn + 1);
    kn_error e = { 0 };
    kn_status rc = kn_scenario_set(sc, a, &e);
    free(a);
    if (rc == KN_OK)
        return KN_OK;
    if (rc != KN_ESCENARIO)
        return kn_error_set(c->err, rc, "%s", e.msg);
    const char *key, *reason;
    size_t klen;
    size_t skip = 6 + pn + 1 < strlen(e.msg) ? 6 + pn + 1 : 0; /* "--set path=" */
    if (split_message(e.msg, e.msg + skip, path, &key, &klen, &reason)) {
        char k2[SW_KEY_MAX + 64];
        snprintf(k2, sizeof k2, "%s%.*s", shown_key, (int)(klen - pn), key + pn);
        return fail(c, at, k2, "%s", reason);
    }
    return fail(c, at, shown_key, "%s", e.msg);
}

/* ---- points ---------------------------------------------------------------------- */

/* Index of key k's value at grid point p (first key slowest). */
static size_t grid_index(const kn_sweep *sw, size_t p, size_t k)
{
    for (size_t j = sw->nkeys; j-- > k + 1;)
        p /= sw->keys[j].nvalues;
    return p % sw->keys[k].nvalues;
}

/* Key k's value at point p: its YAML text (in buf or owned by the key), the text shown
 * in names (*shown) and where it is in the file (*at). */
static const char *point_value(const kn_sweep *sw, size_t p, size_t k, char *buf, size_t cap,
                               const char **shown, kn_yr_loc *at)
{
    const sw_key *key = &sw->keys[k];
    size_t idx;
    if (sw->design == KN_DESIGN_GRID) {
        idx = grid_index(sw, p, k);
    } else if (key->form == SW_SPAN) {
        const char *t = number_text(key, sw->lhs[p * sw->nkeys + k], buf, cap);
        if (shown)
            *shown = t;
        if (at)
            *at = key->at;
        return t;
    } else {
        idx = (size_t)sw->lhs[p * sw->nkeys + k];
    }
    if (shown)
        *shown = key->values[idx].shown;
    if (at)
        *at = key->values[idx].at;
    return key->values[idx].text;
}

/* "SWEEPNAME [k=v, k=v]", shortened to fit KN_NAME_MAX with "...". */
static int point_name(const kn_sweep *sw, size_t p, char *out)
{
    sw_buf b = { 0 };
    char num[40];
    buf_str(&b, sw->name);
    buf_str(&b, " [");
    for (size_t k = 0; k < sw->nkeys; k++) {
        const char *shown;
        point_value(sw, p, k, num, sizeof num, &shown, NULL);
        if (k)
            buf_str(&b, ", ");
        buf_str(&b, sw->keys[k].path);
        buf_str(&b, "=");
        buf_str(&b, shown);
    }
    buf_str(&b, "]");
    char *s = buf_take(&b);
    if (!s)
        return -1;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            s[i] = '?';
    if (n >= KN_NAME_MAX) {
        n = KN_NAME_MAX - 4;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        memcpy(s + n, "...", 4);
    }
    memcpy(out, s, strlen(s) + 1);
    free(s);
    return 0;
}

/* "point P: k=v, k=v" for messages. */
static void point_context(const kn_sweep *sw, size_t p, char *out, size_t cap)
{
    char num[40], v[KN_YR_SHOW_MAX + 8];
    size_t used = 0;
    int n = snprintf(out, cap, "point %zu: ", p);
    used = n > 0 && (size_t)n < cap ? (size_t)n : 0;
    for (size_t k = 0; k < sw->nkeys && used + 1 < cap; k++) {
        const char *shown;
        point_value(sw, p, k, num, sizeof num, &shown, NULL);
        n = snprintf(out + used, cap - used, "%s%s=%s", k ? ", " : "", sw->keys[k].path,
                     kn_yr_show(v, sizeof v, shown, strlen(shown), 32));
        if (n < 0 || (size_t)n >= cap - used) {
            memcpy(out + cap - 4, "...", 4);
            break;
        }
        used += (size_t)n;
    }
}

/* Apply point p's values to sc (the base), from key `first` on. */
static kn_status apply_point(const sw_ctx *c, const kn_sweep *sw, size_t p, size_t first,
                             kn_scenario *sc)
{
    char num[40], shown_key[SW_KEY_MAX + 8];
    for (size_t k = first; k < sw->nkeys; k++) {
        kn_yr_loc at;
        const char *t = point_value(sw, p, k, num, sizeof num, NULL, &at);
        snprintf(shown_key, sizeof shown_key, "vary.%s", sw->keys[k].path);
        KN_CHECK(apply(c, sc, sw->keys[k].path, t, at, shown_key));
    }
    return KN_OK;
}

/* Report a point whose scenario fails kn_scenario_check with message `msg`: blame the
 * varied key the message names, else the first key whose value alone makes the base
 * fail, else the last key. */
static kn_status point_error(const sw_ctx *c, const kn_sweep *sw, size_t p, const char *msg)
{
    const char *key = NULL, *reason = msg;
    size_t klen = 0, blame = sw->nkeys;
    char num[40], ctx[SW_CONTEXT_MAX + 8], shown_key[SW_KEY_MAX + 8];
    int named = split_message(msg, msg, NULL, &key, &klen, &reason);
    for (size_t k = 0; named && k < sw->nkeys && blame == sw->nkeys; k++) {
        size_t pn = strlen(sw->keys[k].path);
        if (klen >= pn && strncmp(key, sw->keys[k].path, pn) == 0 &&
            (klen == pn || key[pn] == '['))
            blame = k;
    }
    int direct = blame < sw->nkeys;
    for (size_t k = 0; blame == sw->nkeys && k < sw->nkeys; k++) {
        kn_scenario tmp = sw->base;
        kn_yr_loc at;
        const char *t = point_value(sw, p, k, num, sizeof num, NULL, &at);
        char *a = malloc(strlen(sw->keys[k].path) + strlen(t) + 2);
        if (!a)
            return oom(c);
        sprintf(a, "%s=%s", sw->keys[k].path, t);
        if (kn_scenario_set(&tmp, a, NULL) == KN_OK && kn_scenario_check(&tmp, NULL) != KN_OK)
            blame = k;
        free(a);
    }
    if (blame == sw->nkeys)
        blame = sw->nkeys - 1;
    kn_yr_loc at;
    point_value(sw, p, blame, num, sizeof num, NULL, &at);
    point_context(sw, p, ctx, sizeof ctx);
    char k2[SW_KEY_MAX + 64];
    if (direct) {
        snprintf(k2, sizeof k2, "vary.%.*s", (int)klen, key);
        if (sw->nkeys == 1)
            return fail(c, at, k2, "%s", reason);
        return fail(c, at, k2, "%s (%s)", reason, ctx);
    }
    snprintf(shown_key, sizeof shown_key, "vary.%s", sw->keys[blame].path);
    if (named)
        return fail(c, at, shown_key, "makes key '%.*s' invalid: %s (%s)", (int)klen, key, reason,
                    ctx);
    return fail(c, at, shown_key, "makes the scenario invalid: %s (%s)", msg, ctx);
}

/* ---- fingerprint ----------------------------------------------------------------- */

#define SW_FNV_OFFSET 0xcbf29ce484222325ULL
#define SW_FNV_PRIME 0x100000001b3ULL

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *s = data;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= SW_FNV_PRIME;
    }
    return h;
}

static kn_status hash_scenario(const sw_ctx *c, const kn_scenario *sc, size_t p, uint64_t *h)
{
    char *text = NULL;
    size_t len = 0;
    char head[64];
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return oom(c);
    kn_error e = { 0 };
    kn_status rc = kn_scenario_write_yaml(sc, f, &e);
    if (fclose(f) != 0 && rc == KN_OK)
        rc = KN_ENOMEM;
    if (rc != KN_OK) {
        free(text);
        return rc == KN_ENOMEM ? oom(c) : kn_error_set(c->err, rc, "%s", e.msg);
    }
    int n = snprintf(head, sizeof head, "point %zu %zu\n", p, len);
    *h = fnv(*h, head, (size_t)n);
    *h = fnv(*h, text, len);
    free(text);
    return KN_OK;
}

/* ---- the sweep's keys ------------------------------------------------------------ */

static const char *const sw_top_keys[] = { "base", "name", "design", "replications", "seed",
                                           "vary" };
#define SW_NTOP (sizeof sw_top_keys / sizeof sw_top_keys[0])
enum { TOP_BASE, TOP_NAME, TOP_DESIGN, TOP_REPLICATIONS, TOP_SEED, TOP_VARY };

static void free_key(sw_key *k)
{
    for (size_t i = 0; i < k->nvalues && k->values; i++) {
        free(k->values[i].text);
        free(k->values[i].shown);
    }
    free(k->values);
    free(k->path);
}

void kn_sweep_free(kn_sweep *sw)
{
    if (!sw)
        return;
    for (size_t k = 0; k < sw->nkeys; k++)
        free_key(&sw->keys[k]);
    free(sw->keys);
    free(sw->lhs);
    free(sw->file);
    free(sw->base_file);
    free(sw->text);
    free(sw);
}

static kn_status read_name(const sw_ctx *c, kn_sweep *sw, const yaml_node_t *n)
{
    char d[KN_YR_SHOW_MAX + 16];
    if (n->type != YAML_SCALAR_NODE)
        return fail(c, kn_yr_loc_of(n), "name", "expected a string, got %s",
                    kn_yr_describe(n, d, sizeof d));
    if (kn_yr_is_null(n))
        return fail(c, kn_yr_loc_of(n), "name", "missing value (expected a string)");
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    if (len == 0)
        return fail(c, kn_yr_loc_of(n), "name", "must not be empty");
    if (strlen(s) != len)
        return fail(c, kn_yr_loc_of(n), "name", "must not contain a NUL character");
    if (len >= KN_NAME_MAX)
        return fail(c, kn_yr_loc_of(n), "name", "must be at most %d bytes long, got %zu",
                    KN_NAME_MAX - 1, len);
    memcpy(sw->name, s, len + 1);
    return KN_OK;
}

static kn_status read_base(const sw_ctx *c, kn_sweep *sw, const yaml_node_t *n)
{
    char d[KN_YR_SHOW_MAX + 16];
    if (n->type != YAML_SCALAR_NODE || kn_yr_is_null(n))
        return fail(c, kn_yr_loc_of(n), "base", "expected the path of a scenario file, got %s",
                    kn_yr_describe(n, d, sizeof d));
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    if (len == 0 || strlen(s) != len)
        return fail(c, kn_yr_loc_of(n), "base", "expected the path of a scenario file, got %s",
                    kn_yr_describe(n, d, sizeof d));
    size_t dir = 0;
    if (s[0] != '/') {
        const char *slash = strrchr(c->origin, '/');
        dir = slash ? (size_t)(slash - c->origin) + 1 : 0;
    }
    if (dir + len >= KN_PATH_MAX)
        return fail(c, kn_yr_loc_of(n), "base", "path too long (%zu bytes)", dir + len);
    sw->base_file = malloc(dir + len + 1);
    if (!sw->base_file)
        return oom(c);
    memcpy(sw->base_file, c->origin, dir);
    memcpy(sw->base_file + dir, s, len + 1);
    kn_error e = { 0 };
    kn_status rc = kn_scenario_load(&sw->base, sw->base_file, &e);
    if (rc == KN_EIO)
        return fail(c, kn_yr_loc_of(n), "base", "%s", e.msg);
    if (rc == KN_ESCENARIO)
        return fail(c, kn_yr_loc_of(n), "base", "invalid base scenario: %s", e.msg);
    if (rc != KN_OK)
        return kn_error_set(c->err, rc, "%s", e.msg);
    return KN_OK;
}

static kn_status read_design(const sw_ctx *c, kn_sweep *sw, const yaml_node_t *n)
{
    char d[KN_YR_SHOW_MAX + 16];
    static const char *const what = "expected grid or {latin_hypercube: K}";
    if (n->type == YAML_SCALAR_NODE && !kn_yr_is_null(n)) {
        if (scalar_is(n, "grid")) {
            sw->design = KN_DESIGN_GRID;
            return KN_OK;
        }
        if (scalar_is(n, "latin_hypercube"))
            return fail(c, kn_yr_loc_of(n), "design", "%s; got 'latin_hypercube' (how many "
                                                      "points? write {latin_hypercube: 40})",
                        what);
        return fail(c, kn_yr_loc_of(n), "design", "%s; got %s", what,
                    kn_yr_describe(n, d, sizeof d));
    }
    if (n->type != YAML_MAPPING_NODE || map_len(n) != 1)
        return fail(c, kn_yr_loc_of(n), "design", "%s; got %s", what,
                    n->type == YAML_MAPPING_NODE ? "a mapping with other keys"
                                                 : kn_yr_describe(n, d, sizeof d));
    const yaml_node_t *k = get_node(c, n->data.mapping.pairs.start[0].key);
    const yaml_node_t *v = get_node(c, n->data.mapping.pairs.start[0].value);
    if (!k || !v)
        return fail(c, kn_yr_loc_of(n), "design", "malformed mapping");
    if (!scalar_is(k, "latin_hypercube")) {
        char key[SW_KEY_MAX];
        char shown[KN_YR_SHOW_MAX + 8];
        if (k->type == YAML_SCALAR_NODE)
            snprintf(key, sizeof key, "design.%s",
                     kn_yr_show(shown, sizeof shown, (const char *)k->data.scalar.value,
                                k->data.scalar.length, KN_YR_SHOW_MAX));
        else
            snprintf(key, sizeof key, "design");
        return fail(c, kn_yr_loc_of(k), key, "unknown key (%s)", what);
    }
    long long kk;
    KN_CHECK(get_integer(c, v, "design.latin_hypercube", 1, KN_SWEEP_MAX_LHS, &kk));
    sw->design = KN_DESIGN_LHS;
    sw->lhs_k = (size_t)kk;
    return KN_OK;
}

/* replications or seed: checked by the scenario reader as run.replications / run.seed. */
static kn_status read_run_key(const sw_ctx *c, kn_sweep *sw, const yaml_node_t *n,
                              const char *name, const char *path)
{
    sw_buf b = { 0 };
    emit(c, n, &b, 0);
    int too_long = b.too_long;
    char *t = buf_take(&b);
    if (!t)
        return oom(c);
    if (too_long) {
        free(t);
        return fail(c, kn_yr_loc_of(n), name, "value longer than %u bytes", SW_VALUE_MAX);
    }
    kn_status rc = apply(c, &sw->base, path, t, kn_yr_loc_of(n), name);
    free(t);
    return rc;
}

/* ---- vary ------------------------------------------------------------------------ */

static kn_status add_value(const sw_ctx *c, sw_key *k, const char *text, const char *shown,
                           kn_yr_loc at)
{
    sw_value *v = &k->values[k->nvalues];
    v->text = dup_str(text);
    v->shown = dup_str(shown);
    v->at = at;
    if (!v->text || !v->shown) {
        free(v->text);
        free(v->shown);
        return oom(c);
    }
    k->nvalues++;
    return KN_OK;
}

static kn_status read_list(const sw_ctx *c, sw_key *k, const yaml_node_t *n, const char *kp)
{
    size_t m = seq_len(n);
    if (m == 0)
        return fail(c, kn_yr_loc_of(n), kp, "the list of values must not be empty");
    if (m > KN_SWEEP_MAX_VALUES)
        return fail(c, kn_yr_loc_of(n), kp, "more than %u values (%zu)", KN_SWEEP_MAX_VALUES, m);
    k->form = SW_LIST;
    k->values = calloc(m, sizeof *k->values);
    if (!k->values)
        return oom(c);
    for (size_t i = 0; i < m; i++) {
        const yaml_node_t *item = get_node(c, n->data.sequence.items.start[i]);
        if (!item)
            return fail(c, kn_yr_loc_of(n), kp, "malformed sequence");
        sw_buf b = { 0 };
        emit(c, item, &b, 0);
        char *t = buf_take(&b);
        if (!t)
            return oom(c);
        if (b.too_long) {
            free(t);
            return fail(c, kn_yr_loc_of(item), kp, "value longer than %u bytes", SW_VALUE_MAX);
        }
        if (item->type == YAML_SCALAR_NODE) {
            /* a name shows the string itself, not its quoted form */
            sw_buf s = { 0 };
            buf_put(&s, (const char *)item->data.scalar.value, item->data.scalar.length);
            char *shown = buf_take(&s);
            kn_status rc = shown ? add_value(c, k, t, shown, kn_yr_loc_of(item)) : oom(c);
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
    for (size_t i = 0; i < map_len(n); i++) {
        const yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
        const yaml_node_t *kn = get_node(c, pr->key), *vn = get_node(c, pr->value);
        if (!kn || !vn)
            return fail(c, kn_yr_loc_of(n), kp, "malformed mapping");
        size_t j;
        for (j = 0; j < 4 && !scalar_is(kn, names[j]); j++)
            ;
        if (j == 4) {
            char shown[KN_YR_SHOW_MAX + 8];
            if (kn->type == YAML_SCALAR_NODE)
                snprintf(key, sizeof key, "%s.%s", kp,
                         kn_yr_show(shown, sizeof shown, (const char *)kn->data.scalar.value,
                                    kn->data.scalar.length, KN_YR_SHOW_MAX));
            else
                snprintf(key, sizeof key, "%s", kp);
            return fail(c, kn_yr_loc_of(kn), key,
                        "unknown key (a range has from, to, and step or count)");
        }
        snprintf(key, sizeof key, "%s.%s", kp, names[j]);
        if (part[j])
            return fail(c, kn_yr_loc_of(kn), key, "duplicate key (first at line %zu)",
                        (size_t)part[j]->start_mark.line + 1);
        part[j] = vn;
    }
    if (!k->numeric)
        return fail(c, kn_yr_loc_of(n), kp, "a range needs a numeric key; give a list of values");
    for (size_t j = 0; j < 2; j++)
        if (!part[j]) {
            snprintf(key, sizeof key, "%s.%s", kp, names[j]);
            return fail(c, kn_yr_loc_of(n), key, "required, not given");
        }
    if (part[2] && part[3]) {
        snprintf(key, sizeof key, "%s.count", kp);
        return fail(c, kn_yr_loc_of(part[3]), key, "give either step or count, not both (step "
                                                   "is at line %zu)",
                    (size_t)part[2]->start_mark.line + 1);
    }
    char fb[40], tb[40];
    snprintf(key, sizeof key, "%s.from", kp);
    KN_CHECK(get_number(c, part[0], key, &k->from));
    snprintf(key, sizeof key, "%s.to", kp);
    KN_CHECK(get_number(c, part[1], key, &k->to));
    k->from_at = kn_yr_loc_of(part[0]);
    k->to_at = kn_yr_loc_of(part[1]);
    kn_format_number(fb, sizeof fb, k->from);
    kn_format_number(tb, sizeof tb, k->to);

    size_t count;
    double step = 0.0;
    if (part[2]) {
        snprintf(key, sizeof key, "%s.step", kp);
        KN_CHECK(get_number(c, part[2], key, &step));
        if (!(step > 0))
            return fail(c, kn_yr_loc_of(part[2]), key, "must be > 0, got %s",
                        kn_format_number(d, sizeof d, step));
        if (!(k->to >= k->from)) {
            snprintf(key, sizeof key, "%s.to", kp);
            return fail(c, k->to_at, key, "must be >= from (%s) with a step, got %s", fb, tb);
        }
        double nv = floor((k->to - k->from) / step + 1e-9) + 1;
        if (!(nv <= KN_SWEEP_MAX_VALUES))
            return fail(c, kn_yr_loc_of(n), kp, "the range gives %.0f values, more than %u", nv,
                        KN_SWEEP_MAX_VALUES);
        count = (size_t)nv;
        k->form = SW_STEP;
    } else if (part[3]) {
        long long cnt;
        snprintf(key, sizeof key, "%s.count", kp);
        KN_CHECK(get_integer(c, part[3], key, 2, KN_SWEEP_MAX_VALUES, &cnt));
        if (k->to == k->from) {
            snprintf(key, sizeof key, "%s.to", kp);
            return fail(c, k->to_at, key, "must differ from from (%s) with a count", fb);
        }
        count = (size_t)cnt;
        k->form = SW_COUNT;
    } else {
        k->form = SW_SPAN;
        if (sw->design == KN_DESIGN_GRID)
            return fail(c, kn_yr_loc_of(n), kp, "a grid needs the values: give step or count, or "
                                                "a list (a range {from, to} alone is for design: "
                                                "{latin_hypercube: K})");
        if (!(k->to > k->from)) {
            snprintf(key, sizeof key, "%s.to", kp);
            return fail(c, k->to_at, key, "must be > from (%s), got %s", fb, tb);
        }
        if (k->integer && (k->from != floor(k->from) || k->to != floor(k->to))) {
            int f = k->from != floor(k->from);
            snprintf(key, sizeof key, "%s.%s", kp, f ? "from" : "to");
            return fail(c, f ? k->from_at : k->to_at, key,
                        "expected an integer for the integer key '%s', got %s", k->path,
                        f ? fb : tb);
        }
        return KN_OK;
    }

    k->values = calloc(count, sizeof *k->values);
    if (!k->values)
        return oom(c);
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
        number_text(k, v, t, sizeof t);
        KN_CHECK(add_value(c, k, t, t, at));
    }
    return KN_OK;
}

/* Scenario keys that the sweep sets itself and so cannot vary. */
static kn_status forbidden(const sw_ctx *c, const char *path, kn_yr_loc at, const char *kp)
{
    if (strcmp(path, "name") == 0)
        return fail(c, at, kp, "cannot be varied: each point is named after its values (set the "
                               "sweep's name instead)");
    if (strcmp(path, "run.replications") == 0)
        return fail(c, at, kp, "cannot be varied: every point runs the sweep's replications (set "
                               "the sweep's replications instead)");
    if (strcmp(path, "run.seed") == 0)
        return fail(c, at, kp, "cannot be varied: every point shares the sweep's seed, for "
                               "common random numbers (set the sweep's seed instead)");
    return KN_OK;
}

static kn_status read_vary(const sw_ctx *c, kn_sweep *sw, const yaml_node_t *n, kn_yr_loc key_at)
{
    char d[KN_YR_SHOW_MAX + 16], shown[SW_KEY_MAX + 8], kp[sizeof shown + 8];
    if (n->type != YAML_MAPPING_NODE)
        return fail(c, kn_yr_loc_of(n), "vary", "expected a mapping of scenario keys to values "
                                                "(staff.employees: [8, 9, 10]), got %s",
                    kn_yr_describe(n, d, sizeof d));
    size_t m = map_len(n);
    if (m == 0)
        return fail(c, kn_yr_loc_of(n), "vary", "must name at least one key to vary");
    sw->keys = calloc(m, sizeof *sw->keys);
    if (!sw->keys)
        return oom(c);
    for (size_t i = 0; i < m; i++) {
        const yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
        const yaml_node_t *kn = get_node(c, pr->key), *vn = get_node(c, pr->value);
        if (!kn || !vn)
            return fail(c, kn_yr_loc_of(n), "vary", "malformed mapping");
        kn_yr_loc kat = kn_yr_loc_of(kn);
        if (kn->type != YAML_SCALAR_NODE || kn_yr_is_null(kn))
            return fail(c, kat, "vary", "a key must be a dotted scenario key, got %s",
                        kn_yr_describe(kn, d, sizeof d));
        const char *name = (const char *)kn->data.scalar.value;
        size_t nlen = kn->data.scalar.length;
        kn_yr_show(shown, sizeof shown, name, nlen, SW_KEY_MAX - 8);
        snprintf(kp, sizeof kp, "vary.%s", shown);
        if (strlen(name) != nlen || nlen >= SW_KEY_MAX)
            return fail(c, kat, kp, "unknown scenario key");
        for (size_t j = 0; j < i; j++) {
            const yaml_node_t *prev = get_node(c, n->data.mapping.pairs.start[j].key);
            if (prev && prev->data.scalar.length == nlen &&
                memcmp(prev->data.scalar.value, name, nlen) == 0)
                return fail(c, kat, kp, "duplicate key (first at line %zu)",
                            (size_t)prev->start_mark.line + 1);
        }
        const kn_param *p = kn_param_find(name);
        if (!p) {
            const char *in = first_in_block(name);
            if (in)
                return fail(c, kat, kp, "'%s' is a block, not a key; write the whole dotted key, "
                                        "e.g. '%s'", shown, in);
            const char *sug = suggest_param(name);
            if (sug)
                return fail(c, kat, kp, "unknown scenario key (did you mean '%s'?)", sug);
            return fail(c, kat, kp, "unknown scenario key (the keys are listed in "
                                    "docs/scenarios.md)");
        }
        KN_CHECK(forbidden(c, name, kat, kp));
        sw_key *k = &sw->keys[sw->nkeys++];
        k->path = dup_str(name);
        if (!k->path)
            return oom(c);
        k->param = p;
        k->integer = p->type == KN_PT_INT || p->type == KN_PT_UINT64;
        k->numeric = k->integer || p->type == KN_PT_DOUBLE;
        k->at = kn_yr_loc_of(vn);
        if (vn->type == YAML_SEQUENCE_NODE)
            KN_CHECK(read_list(c, k, vn, kp));
        else if (vn->type == YAML_MAPPING_NODE)
            KN_CHECK(read_range(c, sw, k, vn, kp));
        else
            return fail(c, kn_yr_loc_of(vn), kp, "expected a list of values [a, b, ...] or a "
                                                 "range {from, to, step}, got %s%s",
                        kn_yr_describe(vn, d, sizeof d),
                        kn_yr_is_null(vn) ? "" : " (one value: write [it])");
    }

    /* the number of points */
    if (sw->design == KN_DESIGN_LHS) {
        sw->npoints = sw->lhs_k;
    } else {
        double np = 1;
        for (size_t k = 0; k < sw->nkeys; k++)
            np *= (double)sw->keys[k].nvalues;
        if (np > KN_SWEEP_MAX_POINTS)
            return fail(c, key_at, "vary", "the grid has %.0f points, more than %u; vary fewer "
                                           "keys or fewer values, or use design: "
                                           "{latin_hypercube: K}", np, KN_SWEEP_MAX_POINTS);
        sw->npoints = (size_t)np;
    }

    /* each value alone on the base: the scenario reader's type and range checks */
    for (size_t k = 0; k < sw->nkeys; k++) {
        sw_key *key = &sw->keys[k];
        snprintf(kp, sizeof kp, "vary.%s", key->path);
        if (key->form == SW_SPAN) {
            char t[40];
            kn_scenario tmp = sw->base;
            KN_CHECK(apply(c, &tmp, key->path, number_text(key, key->from, t, sizeof t),
                           key->from_at, kp));
            tmp = sw->base;
            KN_CHECK(apply(c, &tmp, key->path, number_text(key, key->to, t, sizeof t), key->to_at,
                           kp));
            continue;
        }
        for (size_t i = 0; i < key->nvalues; i++) {
            kn_scenario tmp = sw->base;
            KN_CHECK(apply(c, &tmp, key->path, key->values[i].text, key->values[i].at, kp));
        }
    }
    return KN_OK;
}

/* ---- Latin hypercube ------------------------------------------------------------- */

/* Uniform integer in [0, bound), bound >= 1, without modulo bias. */
static uint64_t uniform_below(kn_rng *r, uint64_t bound)
{
    uint64_t threshold = (0 - bound) % bound; /* 2^64 mod bound */
    uint64_t x;
    do
        x = kn_rng_next(r);
    while (x < threshold);
    return x % bound;
}

static kn_status make_lhs(const sw_ctx *c, kn_sweep *sw)
{
    size_t K = sw->lhs_k;
    sw->lhs = malloc(K * sw->nkeys * sizeof *sw->lhs);
    size_t *perm = malloc(K * sizeof *perm);
    if (!sw->lhs || !perm) {
        free(perm);
        return oom(c);
    }
    kn_rng r;
    kn_rng_init(&r, sw->base.run.seed, 0, 0, KN_SRC_DESIGN);
    for (size_t k = 0; k < sw->nkeys; k++) {
        const sw_key *key = &sw->keys[k];
        for (size_t s = 0; s < K; s++)
            perm[s] = s;
        for (size_t i = K; i-- > 1;) { /* Fisher-Yates */
            size_t j = (size_t)uniform_below(&r, (uint64_t)i + 1);
            size_t t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (size_t p = 0; p < K; p++) {
            double t = ((double)perm[p] + kn_rng_uniform(&r)) / (double)K; /* in stratum */
            double v;
            if (key->form == SW_SPAN && key->integer) {
                double n = key->to - key->from + 1;
                v = key->from + floor(t * n);
                v = v > key->to ? key->to : v;
            } else if (key->form == SW_SPAN) {
                v = key->from + (key->to - key->from) * t;
                v = v < key->from ? key->from : v > key->to ? key->to : v;
            } else {
                v = floor(t * (double)key->nvalues);
                v = v > (double)(key->nvalues - 1) ? (double)(key->nvalues - 1) : v;
            }
            sw->lhs[p * sw->nkeys + k] = v;
        }
    }
    free(perm);
    return KN_OK;
}

/* ---- build and check every point ------------------------------------------------- */

static kn_status check_points(const sw_ctx *c, kn_sweep *sw)
{
    size_t nk = sw->nkeys;
    kn_scenario *st = malloc((nk + 1) * sizeof *st);   /* st[k]: base + keys 0..k-1 */
    size_t *prev = malloc(nk * sizeof *prev);
    if (!st || !prev) {
        free(st);
        free(prev);
        return oom(c);
    }
    kn_status rc = KN_OK;
    uint64_t h = SW_FNV_OFFSET;
    char head[128];
    int n = snprintf(head, sizeof head, "koning sweep v1\nreplications %d\nseed %" PRIu64
                     "\npoints %zu\n", sw->base.run.replications, sw->base.run.seed, sw->npoints);
    h = fnv(h, head, (size_t)n);
    st[0] = sw->base;
    for (size_t p = 0; p < sw->npoints && rc == KN_OK; p++) {
        size_t first = 0;
        if (sw->design == KN_DESIGN_GRID) {
            size_t q = p;
            first = nk;
            for (size_t k = nk; k-- > 0;) {
                size_t idx = q % sw->keys[k].nvalues;
                q /= sw->keys[k].nvalues;
                if (p == 0 || idx != prev[k])
                    first = k;
                prev[k] = idx;
            }
            if (p == 0)
                first = 0;
        }
        for (size_t k = first; k < nk && rc == KN_OK; k++) {
            char num[40], kp[SW_KEY_MAX + 8];
            kn_yr_loc at;
            const char *t = point_value(sw, p, k, num, sizeof num, NULL, &at);
            st[k + 1] = st[k];
            snprintf(kp, sizeof kp, "vary.%s", sw->keys[k].path);
            rc = apply(c, &st[k + 1], sw->keys[k].path, t, at, kp);
        }
        if (rc != KN_OK)
            break;
        kn_scenario *sc = &st[nk];
        kn_error e = { 0 };
        if (kn_scenario_check(sc, &e) != KN_OK) {
            rc = point_error(c, sw, p, e.msg);
            break;
        }
        kn_scenario named = *sc;
        if (point_name(sw, p, named.name) != 0) {
            rc = oom(c);
            break;
        }
        rc = hash_scenario(c, &named, p, &h);
    }
    free(st);
    free(prev);
    sw->fingerprint = h;
    return rc;
}

/* ---- load ------------------------------------------------------------------------ */

static kn_status load(const sw_ctx *c, kn_sweep *sw, const char *text, size_t len,
                      const kn_sweep_opts *opts)
{
    yaml_document_t doc;
    char d[KN_YR_SHOW_MAX + 16];
    KN_CHECK(parse_doc(c, text, len, &doc));
    sw_ctx cc = *c;
    cc.doc = &doc;
    c = &cc;
    kn_status rc = KN_OK;
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    const yaml_node_t *val[SW_NTOP] = { NULL };
    kn_yr_loc kat[SW_NTOP] = { { 0, 0 } };

    if (!root || kn_yr_is_null(root)) {
        kn_yr_loc first = { 1, 1 };
        rc = fail(c, first, NULL, "empty sweep: expected a mapping with base and vary (see "
                                  "docs/sweeps.md)");
        goto done;
    }
    if (root->type != YAML_MAPPING_NODE) {
        rc = fail(c, kn_yr_loc_of(root), NULL, "the top level must be a mapping of keys (base, "
                                               "name, design, replications, seed, vary), got %s",
                  kn_yr_describe(root, d, sizeof d));
        goto done;
    }
    for (size_t i = 0; i < map_len(root); i++) {
        const yaml_node_pair_t *pr = &root->data.mapping.pairs.start[i];
        const yaml_node_t *k = get_node(c, pr->key), *v = get_node(c, pr->value);
        if (!k || !v) {
            rc = fail(c, kn_yr_loc_of(root), NULL, "malformed mapping");
            goto done;
        }
        if (k->type != YAML_SCALAR_NODE || kn_yr_is_null(k)) {
            rc = fail(c, kn_yr_loc_of(k), NULL, "a key must be a plain name, got %s",
                      kn_yr_describe(k, d, sizeof d));
            goto done;
        }
        size_t j;
        for (j = 0; j < SW_NTOP && !scalar_is(k, sw_top_keys[j]); j++)
            ;
        kn_yr_loc at = kn_yr_loc_of(k);
        if (j == SW_NTOP) {
            char shown[SW_KEY_MAX + 8];
            kn_yr_show(shown, sizeof shown, (const char *)k->data.scalar.value,
                       k->data.scalar.length, SW_KEY_MAX - 8);
            const char *sug = kn_yr_suggest(shown, sw_top_keys, SW_NTOP, 0, NULL);
            if (sug)
                rc = fail(c, at, shown, "unknown key (did you mean '%s'?)", sug);
            else if (kn_param_find(shown) || first_in_block(shown))
                rc = fail(c, at, shown, "unknown key (scenario keys to vary go under vary:)");
            else if (strchr(shown, '.') && suggest_param(shown))
                rc = fail(c, at, shown, "unknown key (scenario keys to vary go under vary:; did "
                                        "you mean 'vary: {%s: ...}'?)",
                          suggest_param(shown));
            else
                rc = fail(c, at, shown, "unknown key (the top-level keys are base, name, design, "
                                        "replications, seed, vary)");
            goto done;
        }
        if (val[j]) {
            rc = fail(c, at, sw_top_keys[j], "duplicate key (first at line %zu)", kat[j].line);
            goto done;
        }
        val[j] = v;
        kat[j] = at;
    }

    kn_yr_base_name(c->origin, "sweep", sw->name, sizeof sw->name);
    if (val[TOP_NAME] && (rc = read_name(c, sw, val[TOP_NAME])) != KN_OK)
        goto done;
    if (!val[TOP_BASE]) {
        rc = fail(c, sw_nowhere, "base", "required, not given (the scenario file to vary)");
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
        rc = fail(c, sw_nowhere, "vary", "required, not given (the scenario keys to vary)");
        goto done;
    }
    if ((rc = read_vary(c, sw, val[TOP_VARY], kat[TOP_VARY])) != KN_OK)
        goto done;
    if (sw->design == KN_DESIGN_LHS && (rc = make_lhs(c, sw)) != KN_OK)
        goto done;
    rc = check_points(c, sw);
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
        sw->file = dup_str(path);
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

/* ---- accessors ------------------------------------------------------------------- */

size_t kn_sweep_points(const kn_sweep *sw)
{
    return sw ? sw->npoints : 0;
}

int kn_sweep_replications(const kn_sweep *sw)
{
    return sw ? sw->base.run.replications : 0;
}

uint64_t kn_sweep_seed(const kn_sweep *sw)
{
    return sw ? sw->base.run.seed : 0;
}

kn_sweep_design kn_sweep_design_of(const kn_sweep *sw)
{
    return sw ? sw->design : KN_DESIGN_GRID;
}

const char *kn_sweep_text(const kn_sweep *sw)
{
    return sw ? sw->text : NULL;
}

const char *kn_sweep_name(const kn_sweep *sw)
{
    return sw ? sw->name : NULL;
}

const char *kn_sweep_file(const kn_sweep *sw)
{
    return sw ? sw->file : NULL;
}

const char *kn_sweep_base_file(const kn_sweep *sw)
{
    return sw ? sw->base_file : NULL;
}

const kn_scenario *kn_sweep_base(const kn_sweep *sw)
{
    return sw ? &sw->base : NULL;
}

size_t kn_sweep_keys(const kn_sweep *sw)
{
    return sw ? sw->nkeys : 0;
}

const char *kn_sweep_key(const kn_sweep *sw, size_t i)
{
    return sw && i < sw->nkeys ? sw->keys[i].path : NULL;
}

uint64_t kn_sweep_fingerprint(const kn_sweep *sw)
{
    return sw ? sw->fingerprint : 0;
}

const char *kn_sweep_value(const kn_sweep *sw, size_t point, size_t key, char *buf, size_t cap)
{
    if (!sw || point >= sw->npoints || key >= sw->nkeys || !buf || cap == 0)
        return NULL;
    char num[40];
    const char *t;
    point_value(sw, point, key, num, sizeof num, &t, NULL);
    size_t n = strlen(t);
    if (n < cap) {
        memcpy(buf, t, n + 1);
    } else if (cap >= 4) {
        n = cap - 4;
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
            n--;
        memcpy(buf, t, n);
        memcpy(buf + n, "...", 4);
    } else {
        buf[0] = '\0';
    }
    return buf;
}

int kn_sweep_value_number(const kn_sweep *sw, size_t point, size_t key, double *out)
{
    if (!sw || point >= sw->npoints || key >= sw->nkeys || !sw->keys[key].numeric)
        return 0;
    char num[40];
    const char *t = point_value(sw, point, key, num, sizeof num, NULL, NULL);
    char *end;
    double v = strtod(t, &end);
    if (end == t)
        return 0;
    if (out)
        *out = v;
    return 1;
}

kn_status kn_sweep_scenario(const kn_sweep *sw, size_t point, kn_scenario *out, kn_error *err)
{
    if (!sw || !out || point >= sw->npoints)
        return kn_error_set(err, KN_EINVAL, "kn_sweep_scenario: no sweep, or point %zu out of "
                                            "range (%zu points)", point, sw ? sw->npoints : 0);
    sw_ctx c = { .origin = sw->file, .err = err };
    kn_scenario sc = sw->base;
    KN_CHECK(apply_point(&c, sw, point, 0, &sc));
    if (point_name(sw, point, sc.name) != 0)
        return oom(&c);
    KN_CHECK(kn_scenario_check(&sc, err));
    *out = sc;
    return KN_OK;
}
