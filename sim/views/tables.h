/* tables.h - replication results as tables and JSON, for people and scripts; and text
 * from users (names, paths, messages) made safe for a terminal. */
#ifndef KONING_TABLES_H
#define KONING_TABLES_H

#include <stdio.h>
#include "koning/metrics.h"
#include "koning/scenario.h"
#include "koning/stats.h"

/* Mean and CI at `level` of every metric over n results. */
kn_status kn_table_summarize(const kn_rep_result *res, int n, double level,
                              kn_summary out[KN_METRIC_COUNT], kn_error *err);

/* A human-readable table. */
void kn_table_print(FILE *out, const kn_scenario *sc, int n, const kn_summary s[KN_METRIC_COUNT]);

/* One JSON object: {"scenario":..,"replications":R,"seed":S,"confidence":L,"metrics":{..}}.
 * Deterministic: no wall-clock figures, numbers printed with %.17g, NaN as null. */
void kn_table_json(FILE *out, const kn_scenario *sc, int n, const kn_summary s[KN_METRIC_COUNT]);

/* The same object without the final newline (to embed it in a larger document). */
void kn_table_json_object(FILE *out, const kn_scenario *sc, int n,
                           const kn_summary s[KN_METRIC_COUNT]);

/* Text for a terminal: s with every control character (C0, DEL, the C1 range U+0080 to
 * U+009F) and every byte that is not valid UTF-8 written as \xHH, so that a name
 * cannot move the cursor, retitle or clear the terminal, or fake a line; the rest as it
 * is. Into buf (cap bytes, cut on a character boundary); returns buf. */
const char *kn_tty_text(char *buf, size_t cap, const char *s);
#define KN_TTY_MAX 1200 /* a buffer for a name or a one-line message */

/* JSON helpers: a string with escapes, a number (null when not finite). */
void kn_json_string(FILE *out, const char *s);
void kn_json_number(FILE *out, double v);

#endif
