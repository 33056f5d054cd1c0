/* sweep_yaml.c - the YAML side of reading a sweep file, shared by the reader (sweep.c)
 * and the design (sweep_design.c); declared in sweep_int.h.
 *
 * Messages "FILE:LINE:COL: key 'x': reason", a growing string, the nodes of the
 * document, the did-you-mean of scenario keys, parsing, plain-scalar numbers and
 * integers, a value turned back into YAML text (emit), and applying "key=text" to a
 * scenario through kn_scenario_set with the message moved to the sweep file's line
 * and column.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sweep_int.h"

#define SW_MAX_DEPTH 32 /* deepest nesting read */

/* ---- a growing string ------------------------------------------------------------ */

void kn_sw_buf_put(sw_buf *b, const char *s, size_t n)
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

void kn_sw_buf_str(sw_buf *b, const char *s)
{
    kn_sw_buf_put(b, s, strlen(s));
}

/* The string built so far (an empty string if nothing was added); the caller owns it.
 * NULL if an allocation failed. */
char *kn_sw_buf_take(sw_buf *b)
{
    if (!b->oom && !b->s)
        kn_sw_buf_put(b, "", 0);
    if (b->oom) {
        free(b->s);
        b->s = NULL;
    }
    char *s = b->s;
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

char *kn_sw_dup_str(const char *s)
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
kn_status kn_sw_fail(const sw_ctx *c, kn_yr_loc at, const char *key, const char *fmt, ...)
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

kn_status kn_sw_oom(const sw_ctx *c)
{
    return kn_error_set(c->err, KN_ENOMEM, "%s: out of memory", c->origin);
}

const yaml_node_t *kn_sw_get_node(const sw_ctx *c, int id)
{
    return yaml_document_get_node(c->doc, id);
}

size_t kn_sw_seq_len(const yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

size_t kn_sw_map_len(const yaml_node_t *n)
{
    return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

/* 1 if scalar node n is exactly the string s. */
int kn_sw_scalar_is(const yaml_node_t *n, const char *s)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.length == strlen(s) &&
           memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

/* ---- did you mean ---------------------------------------------------------------- */

/* The scenario key closest to u, or NULL. */
const char *kn_sw_suggest_param(const char *u)
{
    const char *cands[256];
    size_t n = 0;
    for (size_t i = 0; i < kn_param_count() && n < sizeof cands / sizeof cands[0]; i++)
        cands[n++] = kn_param_at(i)->path;
    return kn_yr_suggest(u, cands, n, 0, NULL);
}

/* The first scenario key under block `b` ("b.x"), or NULL if b is not a block. */
const char *kn_sw_first_in_block(const char *b)
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
kn_status kn_sw_parse_doc(const sw_ctx *c, const char *text, size_t len, yaml_document_t *doc)
{
    kn_yr_problem pb;
    switch (kn_yr_parse(text, len, SW_MAX_DEPTH, doc, &pb)) {
    case KN_YR_OK:
        return KN_OK;
    case KN_YR_NOMEM:
    case KN_YR_NOMEM_PARSING:
        break;
    case KN_YR_SYNTAX:
        return kn_sw_fail(c, pb.at, NULL, "syntax error: %s%s", pb.problem, pb.context);
    case KN_YR_TOO_DEEP:
        return kn_sw_fail(c, pb.at, NULL, "nested deeper than %d levels", SW_MAX_DEPTH);
    case KN_YR_TWO_DOCS:
        return kn_sw_fail(c, pb.at, NULL, "only one YAML document is allowed");
    }
    return kn_sw_oom(c);
}

/* ---- scalars --------------------------------------------------------------------- */

/* A plain scalar's text, or NULL (with an error) if n is not one. `noun` names the
 * expected kind in the message. */
static kn_status plain_scalar(const sw_ctx *c, const yaml_node_t *n, const char *key,
                              const char *noun, const char **out)
{
    char d[KN_YR_SHOW_MAX + 16], got[KN_YR_SHOW_MAX + 8];
    if (n->type != YAML_SCALAR_NODE)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "expected %s, got %s", noun,
                          kn_yr_describe(n, d, sizeof d));
    if (kn_yr_is_null(n))
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "missing value (expected %s)", noun);
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    kn_yr_show(got, sizeof got, s, len, KN_YR_SHOW_MAX);
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return kn_sw_fail(c, kn_yr_loc_of(n), key,
                          "expected %s, got the quoted string '%s' (write numbers without quotes)",
                          noun, got);
    if (strlen(s) != len)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "expected %s, got '%s'", noun, got);
    *out = s;
    return KN_OK;
}

/* A finite decimal number. */
kn_status kn_sw_get_number(const sw_ctx *c, const yaml_node_t *n, const char *key, double *out)
{
    const char *s;
    char got[KN_YR_SHOW_MAX + 8];
    KN_CHECK(plain_scalar(c, n, key, "a number", &s));
    size_t len = strlen(s);
    kn_yr_show(got, sizeof got, s, len, KN_YR_SHOW_MAX);
    if (len == 0 || strspn(s, "0123456789+-.eE") != len || !strpbrk(s, "0123456789"))
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "expected a number, got '%s'", got);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s + len)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "expected a number, got '%s'", got);
    if (!isfinite(v))
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "must be finite, got '%s'", got);
    *out = v;
    return KN_OK;
}

/* A decimal integer (optional sign, digits only) in [min, max]. */
kn_status kn_sw_get_integer(const sw_ctx *c, const yaml_node_t *n, const char *key, long long min,
                            long long max, long long *out)
{
    const char *s;
    char got[KN_YR_SHOW_MAX + 8];
    KN_CHECK(plain_scalar(c, n, key, "an integer", &s));
    const char *digits = s + (*s == '+' || *s == '-');
    kn_yr_show(got, sizeof got, s, strlen(s), KN_YR_SHOW_MAX);
    if (!*digits || strspn(digits, "0123456789") != strlen(digits))
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "expected an integer, got '%s'", got);
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if ((errno == ERANGE && v < 0) || v < min)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "must be >= %lld, got %s", min, got);
    if (errno == ERANGE || v > max)
        return kn_sw_fail(c, kn_yr_loc_of(n), key, "must be <= %lld, got %s", max, got);
    *out = v;
    return KN_OK;
}

/* ---- values as YAML text --------------------------------------------------------- */

/* Write node n as YAML text that reads back to the same node: plain scalars as
 * written, other scalars double-quoted, collections in flow style. */
void kn_sw_emit(const sw_ctx *c, const yaml_node_t *n, sw_buf *b, int depth)
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
            kn_sw_buf_put(b, (const char *)s, len);
            break;
        }
        kn_sw_buf_put(b, "\"", 1);
        for (size_t i = 0; i < len; i++) {
            char esc[8];
            if (s[i] == '"' || s[i] == '\\') {
                esc[0] = '\\';
                esc[1] = (char)s[i];
                kn_sw_buf_put(b, esc, 2);
            } else if (s[i] < 0x20 || s[i] == 0x7F) {
                snprintf(esc, sizeof esc, "\\x%02X", (unsigned)s[i]);
                kn_sw_buf_put(b, esc, 4);
            } else {
                kn_sw_buf_put(b, (const char *)s + i, 1);
            }
        }
        kn_sw_buf_put(b, "\"", 1);
        break;
    }
    case YAML_SEQUENCE_NODE: {
        kn_sw_buf_put(b, "[", 1);
        for (size_t i = 0; i < kn_sw_seq_len(n); i++) {
            const yaml_node_t *item = kn_sw_get_node(c, n->data.sequence.items.start[i]);
            if (i)
                kn_sw_buf_put(b, ", ", 2);
            if (item)
                kn_sw_emit(c, item, b, depth + 1);
            if (b->too_long)
                return;
        }
        kn_sw_buf_put(b, "]", 1);
        break;
    }
    case YAML_MAPPING_NODE: {
        kn_sw_buf_put(b, "{", 1);
        for (size_t i = 0; i < kn_sw_map_len(n); i++) {
            const yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
            const yaml_node_t *k = kn_sw_get_node(c, pr->key), *v = kn_sw_get_node(c, pr->value);
            if (i)
                kn_sw_buf_put(b, ", ", 2);
            if (k)
                kn_sw_emit(c, k, b, depth + 1);
            kn_sw_buf_put(b, ": ", 2);
            if (v)
                kn_sw_emit(c, v, b, depth + 1);
            if (b->too_long)
                return;
        }
        kn_sw_buf_put(b, "}", 1);
        break;
    }
    case YAML_NO_NODE:
        break;
    }
}

/* The text of a number for key k: an integer key gets an integer. */
const char *kn_sw_number_text(const sw_key *k, double v, char *buf, size_t cap)
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
int kn_sw_split_message(const char *msg, const char *from, const char *path, const char **key,
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
kn_status kn_sw_apply(const sw_ctx *c, kn_scenario *sc, const char *path, const char *text,
                      kn_yr_loc at, const char *shown_key)
{
    size_t pn = strlen(path), tn = strlen(text);
    char *a = malloc(pn + tn + 2);
    if (!a)
        return kn_sw_oom(c);
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
    if (kn_sw_split_message(e.msg, e.msg + skip, path, &key, &klen, &reason)) {
        char k2[SW_KEY_MAX + 64];
        snprintf(k2, sizeof k2, "%s%.*s", shown_key, (int)(klen - pn), key + pn);
        return kn_sw_fail(c, at, k2, "%s", reason);
    }
    return kn_sw_fail(c, at, shown_key, "%s", e.msg);
}
