/* sweep_int.h - internals of sweep files, shared by the reader (sweep.c), its YAML
 * helpers (sweep_yaml.c) and the design (sweep_design.c): the loaded sweep's data and
 * the functions one of those files gives the others. Not installed.
 */
#ifndef KONING_SWEEP_INT_H
#define KONING_SWEEP_INT_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "sweep.h"
#include "yamlread.h"

#if defined(__GNUC__)
#define SW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SW_PRINTF(f, a)
#endif

#define SW_KEY_MAX 256                /* longest key shown */
#define SW_VALUE_MAX (1u << 20)       /* longest value, as YAML text (aliases can blow up) */

/* ---- data ------------------------------------------------------------------------ */

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
    size_t max_points; /* the largest design allowed (KN_SWEEP_MAX_POINTS unless lowered) */
    double *lhs;       /* LHS: npoints x nkeys; SPAN: the value, else an index in values */
    uint64_t fingerprint;
    uint32_t n_periods; /* of the longest point's runs */
    double last_day;    /* run.days of the longest point */
};

/* Everything one load needs for messages. */
typedef struct sw_ctx {
    const char *origin; /* the sweep file's path */
    kn_error *err;
    yaml_document_t *doc;
} sw_ctx;

/* A growing string. */
typedef struct sw_buf {
    char *s;
    size_t len, cap;
    int oom;
    int too_long; /* emit stopped at SW_VALUE_MAX bytes */
} sw_buf;

/* ---- sweep_yaml.c ---------------------------------------------------------------- */

void kn_sw_buf_put(sw_buf *b, const char *s, size_t n);
void kn_sw_buf_str(sw_buf *b, const char *s);
/* The string built so far (an empty string if nothing was added); the caller owns it.
 * NULL if an allocation failed. */
char *kn_sw_buf_take(sw_buf *b);
char *kn_sw_dup_str(const char *s);

/* Fail with KN_ESCENARIO: "ORIGIN:LINE:COL: key 'KEY': reason" (no position when
 * at.line is 0, no key when key is NULL). */
kn_status kn_sw_fail(const sw_ctx *c, kn_yr_loc at, const char *key, const char *fmt, ...)
    SW_PRINTF(4, 5);
/* KN_ENOMEM "ORIGIN: out of memory". */
kn_status kn_sw_oom(const sw_ctx *c);

const yaml_node_t *kn_sw_get_node(const sw_ctx *c, int id);
size_t kn_sw_seq_len(const yaml_node_t *n);
size_t kn_sw_map_len(const yaml_node_t *n);
/* 1 if scalar node n is exactly the string s. */
int kn_sw_scalar_is(const yaml_node_t *n, const char *s);

/* The scenario key closest to u, or NULL. */
const char *kn_sw_suggest_param(const char *u);
/* The first scenario key under block `b` ("b.x"), or NULL if b is not a block. */
const char *kn_sw_first_in_block(const char *b);

/* Parse text as exactly one YAML document into *doc (deleted by the caller on KN_OK). */
kn_status kn_sw_parse_doc(const sw_ctx *c, const char *text, size_t len, yaml_document_t *doc);

/* A finite decimal number. */
kn_status kn_sw_get_number(const sw_ctx *c, const yaml_node_t *n, const char *key, double *out);
/* A decimal integer (optional sign, digits only) in [min, max]. */
kn_status kn_sw_get_integer(const sw_ctx *c, const yaml_node_t *n, const char *key,
                            long long min, long long max, long long *out);

/* Write node n as YAML text that reads back to the same node (b->too_long when it
 * reaches SW_VALUE_MAX bytes). */
void kn_sw_emit(const sw_ctx *c, const yaml_node_t *n, sw_buf *b, int depth);
/* The text of a number for key k: an integer key gets an integer. */
const char *kn_sw_number_text(const sw_key *k, double v, char *buf, size_t cap);

/* Find "key 'K': " in a kn_scenario_set / kn_scenario_check message (see sweep_yaml.c). */
int kn_sw_split_message(const char *msg, const char *from, const char *path, const char **key,
                        size_t *klen, const char **reason);
/* Apply "path=text" to sc; a failure is reported at `at` under the key `shown_key`. */
kn_status kn_sw_apply(const sw_ctx *c, kn_scenario *sc, const char *path, const char *text,
                      kn_yr_loc at, const char *shown_key);

/* ---- sweep_design.c -------------------------------------------------------------- */

/* The Latin hypercube's table of K x keys draws (sw->lhs). */
kn_status kn_sw_make_lhs(const sw_ctx *c, kn_sweep *sw);
/* Build and check the scenario of every point, and compute the fingerprint. */
kn_status kn_sw_check_points(const sw_ctx *c, kn_sweep *sw);

#endif
