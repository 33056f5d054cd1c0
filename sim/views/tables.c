/* tables.c - summary tables and JSON. JSON is written by hand (a handful of fields);
 * strings are escaped per RFC 8259 and non-finite numbers become null. Names in tables
 * pass through kn_tty_text, which defuses terminal escape sequences. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tables.h"

/* Length of the valid UTF-8 character at p that is not a control character, or 0. */
static size_t printable_char(const unsigned char *p)
{
    if (p[0] >= 0x20 && p[0] < 0x7f)
        return 1;
    size_t n = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
             : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((n == 3 && p[0] == 0xe0 && p[1] < 0xa0) || (n == 4 && p[0] == 0xf0 && p[1] < 0x90) ||
        (n == 4 && p[0] == 0xf4 && p[1] > 0x8f) || (n == 3 && p[0] == 0xed && p[1] > 0x9f))
        return 0; /* overlong, beyond U+10FFFF, or a surrogate */
    if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
        return 0; /* C1 control, U+0080..U+009F */
    return n;
}

const char *kn_tty_text(char *buf, size_t cap, const char *s)
{
    size_t k = 0;
    if (cap == 0)
        return buf;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = printable_char(p);
        if (n && k + n < cap) {
            memcpy(buf + k, p, n);
            k += n;
            p += n;
        } else if (!n && k + 4 < cap) {
            snprintf(buf + k, cap - k, "\\x%02X", *p);
            k += 4;
            p++;
        } else {
            break;
        }
    }
    buf[k] = '\0';
    return buf;
}

kn_status kn_table_summarize(const kn_rep_result *res, int n, double level,
                              kn_summary out[KN_METRIC_COUNT], kn_error *err)
{
    double *x = malloc((size_t)n * sizeof *x);
    if (!x)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    for (int m = 0; m < KN_METRIC_COUNT; m++) {
        for (int i = 0; i < n; i++)
            x[i] = res[i].values[m];
        kn_status rc = kn_summarize(x, (size_t)n, 1, level, &out[m], err);
        if (rc != KN_OK) {
            free(x);
            return rc;
        }
    }
    free(x);
    return KN_OK;
}

void kn_table_print(FILE *out, const kn_scenario *sc, int n, const kn_summary s[KN_METRIC_COUNT])
{
    char name[KN_TTY_MAX];
    fprintf(out, "scenario: %s\n", kn_tty_text(name, sizeof name, sc->name));
    fprintf(out, "replications: %d   seed: %llu   horizon: %g days (warm-up %g)   "
                 "confidence: %g %%\n\n",
            n, (unsigned long long)sc->run.seed, sc->run.days, sc->run.warmup_days,
            100.0 * s[0].level);
    fprintf(out, "%-34s %14s %14s %14s  %s\n", "metric", "mean", "ci_low", "ci_high", "unit");
    for (int m = 0; m < KN_METRIC_COUNT; m++) {
        const kn_metric_info *mi = kn_metric_describe(m);
        if (m >= KN_M_ORG_FIRST && sc->customers.base == 0)
            break; /* the queue model: no organisation metrics (JSON has them as null) */
        if (isfinite(s[m].mean))
            fprintf(out, "%-34s %14.6g %14.6g %14.6g  %s\n", mi->name, s[m].mean, s[m].ci_low,
                    s[m].ci_high, mi->unit);
        else
            fprintf(out, "%-34s %14s %14s %14s  %s\n", mi->name, "n/a", "n/a", "n/a", mi->unit);
    }
}

void kn_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

void kn_json_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
}

void kn_table_json(FILE *out, const kn_scenario *sc, int n, const kn_summary s[KN_METRIC_COUNT])
{
    kn_table_json_object(out, sc, n, s);
    fputc('\n', out);
}

void kn_table_json_object(FILE *out, const kn_scenario *sc, int n,
                           const kn_summary s[KN_METRIC_COUNT])
{
    fputs("{\"scenario\": ", out);
    kn_json_string(out, sc->name);
    fprintf(out, ", \"replications\": %d, \"seed\": %llu, \"confidence\": ", n,
            (unsigned long long)sc->run.seed);
    kn_json_number(out, s[0].level);
    fputs(", \"metrics\": {", out);
    for (int m = 0; m < KN_METRIC_COUNT; m++) {
        const kn_metric_info *mi = kn_metric_describe(m);
        fputs(m ? ", " : "", out);
        kn_json_string(out, mi->name);
        fputs(": {\"mean\": ", out);
        kn_json_number(out, s[m].mean);
        fputs(", \"ci_low\": ", out);
        kn_json_number(out, s[m].ci_low);
        fputs(", \"ci_high\": ", out);
        kn_json_number(out, s[m].ci_high);
        fputs(", \"sd\": ", out);
        kn_json_number(out, s[m].sd);
        fputs(", \"unit\": ", out);
        kn_json_string(out, mi->unit);
        fputc('}', out);
    }
    fputs("}}", out);
}
