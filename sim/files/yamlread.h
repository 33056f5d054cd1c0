/* yamlread.h - helpers shared by the YAML readers of scenario and sweep files
 * (scenario_yaml.c, sweep*.c); internal to the files layer.
 *
 * Reading a file, parsing it into one libyaml document with syntax and nesting checks,
 * line and column of nodes, values shown in messages, "did you mean" suggestions and
 * default names. kn_yr_parse only finds and describes a problem; each reader words its
 * own message about it, so both keep their exact wording.
 */
#ifndef KONING_YAMLREAD_H
#define KONING_YAMLREAD_H

#include <stddef.h>
#include <yaml.h>

#include "koning/error.h"

#define KN_YR_SHOW_MAX 48    /* longest value echoed back in a message */
#define KN_YR_SUGGEST_MAX 64 /* longest name compared by kn_yr_suggest */

/* A place in the text being read. */
typedef struct kn_yr_loc {
    size_t line, col; /* 1-based; line 0 = unknown */
} kn_yr_loc;

/* Where node n starts. */
kn_yr_loc kn_yr_loc_of(const yaml_node_t *n);

/* ---- reading and parsing --------------------------------------------------------- */

/* Read the file at path into *text, a new NUL-terminated buffer of *len bytes plus the
 * NUL (the caller frees it). Errors: KN_EIO "PATH: cannot open: ..." or "PATH: cannot
 * read: ...", KN_ENOMEM, and KN_ESCENARIO "PATH: larger than N MiB; not a WHAT file"
 * for a file of more than max_bytes (N = max_bytes / 2^20). A FIFO is read only if a
 * writer has it open (else it reads as empty): reading never waits for one. */
kn_status kn_yr_read_file(const char *path, size_t max_bytes, const char *what, char **text,
                          size_t *len, kn_error *err);

/* What kn_yr_parse found wrong. */
typedef enum kn_yr_fault {
    KN_YR_OK = 0,
    KN_YR_NOMEM,         /* no memory for a parser */
    KN_YR_NOMEM_PARSING, /* the parser ran out of memory */
    KN_YR_SYNTAX,        /* a syntax error: at, problem, context */
    KN_YR_TOO_DEEP,      /* nested deeper than max_depth: at the collection too deep */
    KN_YR_TWO_DOCS       /* a second document: at its root */
} kn_yr_fault;

typedef struct kn_yr_problem {
    kn_yr_loc at;
    const char *problem; /* KN_YR_SYNTAX: libyaml's words, e.g. "found undefined alias" */
    char context[160];   /* KN_YR_SYNTAX: " (0x7F)", " (while parsing ... at line 3)" or "" */
} kn_yr_problem;

/* Parse text[0..len) as exactly one YAML document into *doc. A first pass over the
 * events reports syntax errors and nesting deeper than max_depth before a document is
 * built (libyaml slows down quadratically with the depth of nested flow collections).
 * On KN_YR_OK the caller deletes *doc (its root is NULL when the text is empty); on
 * anything else there is no document to delete and *pb says where and what. */
kn_yr_fault kn_yr_parse(const char *text, size_t len, int max_depth, yaml_document_t *doc,
                        kn_yr_problem *pb);

/* ---- values in messages ---------------------------------------------------------- */

/* Copy s[0..len) for a message: at most `max` bytes, not splitting a UTF-8 sequence,
 * control characters as '?', "..." when cut. Returns buf. */
const char *kn_yr_show(char *buf, size_t cap, const char *s, size_t len, size_t max);


/* 1 if n is a plain scalar that spells null: empty, ~, null. */
int kn_yr_is_null(const yaml_node_t *n);

/* "a mapping", "a sequence", "nothing" or the quoted scalar text (in buf, shortened to
 * KN_YR_SHOW_MAX bytes). */
const char *kn_yr_describe(const yaml_node_t *n, char *buf, size_t cap);

/* ---- names ----------------------------------------------------------------------- */

/* The candidate closest to u, u itself excepted: the smallest edit distance, where a
 * candidate with the same last dotted component as u counts as 1; none when that
 * distance is over max(1, strlen(u) / 3) or u is empty or longer than
 * KN_YR_SUGGEST_MAX. The first of equally close candidates wins. With `prefixes`,
 * every dotted prefix of a candidate (the block "run" of "run.days") is a candidate
 * too, just before it. Returns the suggestion, which is a prefix of a candidate of
 * *len bytes (len may be NULL without `prefixes`), or NULL if none. */
const char *kn_yr_suggest(const char *u, const char *const *cands, size_t n, int prefixes,
                          size_t *len);

/* The base name of path without its extension into out (cut to fit, not splitting a
 * UTF-8 sequence), or `fallback` when that is empty. */
void kn_yr_base_name(const char *path, const char *fallback, char *out, size_t cap);

#endif
