/* sweep_design.c - a loaded sweep's design: its points and what is asked of them.
 *
 * Points are not stored: a grid point is decoded from its index (first key slowest),
 * a Latin hypercube point from a table of K x keys draws made at load (kn_sw_make_lhs).
 * Load then builds the scenario of every point, checks it and hashes its resolved
 * YAML into the fingerprint (kn_sw_check_points); building the grid's points reuses the
 * scenario built for the unchanged leading keys, so a point costs about one
 * kn_scenario_set. The accessors of sweep.h read the loaded sweep and never change it.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koning/rng.h"
#include "koning/metrics.h"
#include "sweep_int.h"

#define SW_CONTEXT_MAX 300 /* longest "point P: k=v, ..." context in a message */

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
        const char *t = kn_sw_number_text(key, sw->lhs[p * sw->nkeys + k], buf, cap);
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
    kn_sw_buf_str(&b, sw->name);
    kn_sw_buf_str(&b, " [");
    for (size_t k = 0; k < sw->nkeys; k++) {
        const char *shown;
        point_value(sw, p, k, num, sizeof num, &shown, NULL);
        if (k)
            kn_sw_buf_str(&b, ", ");
        kn_sw_buf_str(&b, sw->keys[k].path);
        kn_sw_buf_str(&b, "=");
        kn_sw_buf_str(&b, shown);
    }
    kn_sw_buf_str(&b, "]");
    char *s = kn_sw_buf_take(&b);
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
        KN_CHECK(kn_sw_apply(c, sc, sw->keys[k].path, t, at, shown_key));
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
    int named = kn_sw_split_message(msg, msg, NULL, &key, &klen, &reason);
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
            return kn_sw_oom(c);
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
            return kn_sw_fail(c, at, k2, "%s", reason);
        return kn_sw_fail(c, at, k2, "%s (%s)", reason, ctx);
    }
    snprintf(shown_key, sizeof shown_key, "vary.%s", sw->keys[blame].path);
    if (named)
        return kn_sw_fail(c, at, shown_key,
                          "makes key '%.*s' invalid: %s (%s)", (int)klen, key, reason, ctx);
    return kn_sw_fail(c, at, shown_key, "makes the scenario invalid: %s (%s)", msg, ctx);
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

/* Hash point p's scenario: every key of the table, by its path and its value as stored
 * (a number by its bits, a string up to its NUL). Two scenarios hash alike exactly
 * when the YAML koning writes of them (every key) is the same; this is about 50 times
 * quicker than writing that YAML, which a sweep of a million points would feel. */
static uint64_t hash_scenario(uint64_t h, const kn_scenario *sc, size_t p)
{
    char head[64];
    int n = snprintf(head, sizeof head, "point %zu\n", p);
    h = fnv(h, head, (size_t)n);
    h = fnv(h, &sc->arrivals.use_profile, sizeof sc->arrivals.use_profile);
    for (size_t i = 0; i < kn_param_count(); i++) {
        const kn_param *k = kn_param_at(i);
        const char *v = (const char *)sc + k->offset;
        size_t len = 0;
        switch (k->type) {
        case KN_PT_STRING: len = strnlen(v, KN_NAME_MAX); break;
        case KN_PT_INT: len = sizeof(int); break;
        case KN_PT_UINT64: len = sizeof(uint64_t); break;
        case KN_PT_DOUBLE: len = sizeof(double); break;
        case KN_PT_DIST_KIND: len = sizeof(kn_dist_kind); break;
        case KN_PT_DOUBLE_ARRAY: len = k->count * sizeof(double); break;
        }
        h = fnv(h, k->path, strlen(k->path) + 1);
        h = fnv(h, v, len);
        h = fnv(h, "", 1);
    }
    return h;
}

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

kn_status kn_sw_make_lhs(const sw_ctx *c, kn_sweep *sw)
{
    size_t K = sw->lhs_k;
    sw->lhs = malloc(K * sw->nkeys * sizeof *sw->lhs);
    size_t *perm = malloc(K * sizeof *perm);
    if (!sw->lhs || !perm) {
        free(perm);
        return kn_sw_oom(c);
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

kn_status kn_sw_check_points(const sw_ctx *c, kn_sweep *sw)
{
    size_t nk = sw->nkeys;
    kn_scenario *st = malloc((nk + 1) * sizeof *st);   /* st[k]: base + keys 0..k-1 */
    size_t *prev = malloc(nk * sizeof *prev);
    if (!st || !prev) {
        free(st);
        free(prev);
        return kn_sw_oom(c);
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
            rc = kn_sw_apply(c, &st[k + 1], sw->keys[k].path, t, at, kp);
        }
        if (rc != KN_OK)
            break;
        kn_scenario *sc = &st[nk];
        kn_error e = { 0 };
        if (kn_scenario_check(sc, &e) != KN_OK) {
            rc = point_error(c, sw, p, e.msg);
            break;
        }
        if (sc->run.period_days != sw->base.run.period_days) {
            char msg[KN_ERROR_MSG_MAX], a[32], b[32];
            snprintf(msg, sizeof msg, "key 'run.period_days': must be the same for every point "
                     "(they share one results file): the base has %s, this point %s",
                     kn_format_number(a, sizeof a, sw->base.run.period_days),
                     kn_format_number(b, sizeof b, sc->run.period_days));
            rc = point_error(c, sw, p, msg);
            break;
        }
        uint32_t np = kn_period_count(sc->run.days, sc->run.period_days);
        if (np > sw->n_periods)
            sw->n_periods = np;
        if (sc->run.days > sw->last_day)
            sw->last_day = sc->run.days;
        kn_scenario named = *sc;
        if (point_name(sw, p, named.name) != 0) {
            rc = kn_sw_oom(c);
            break;
        }
        h = hash_scenario(h, &named, p);
    }
    free(st);
    free(prev);
    sw->fingerprint = h;
    return rc;
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

uint32_t kn_sweep_periods(const kn_sweep *sw)
{
    return sw ? sw->n_periods : 0;
}

double kn_sweep_last_day(const kn_sweep *sw)
{
    return sw ? sw->last_day : 0.0;
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
        return kn_sw_oom(&c);
    KN_CHECK(kn_scenario_check(&sc, err));
    *out = sc;
    return KN_OK;
}
