/* scenario_yaml_write.c - kn_scenario_write_yaml (scenario_yaml.h): a scenario as
 * YAML that kn_scenario_load reads back to the same kn_scenario.
 *
 * The writer iterates the key table (models/scenario_keys.c) in its order, opening
 * each block as it is reached, with every key's help and unit as a comment. The keys
 * of a distribution block that is off, and the one of arrivals.per_hour and
 * arrivals.profile that is not used, are left out. Numbers are written with printf in
 * the "C" LC_NUMERIC locale, a double in the fewest digits that read back to it
 * (kn_format_number).
 */
#include "scenario_yaml.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "scenario_yaml_int.h"

static const void *cfield(const kn_scenario *sc, const kn_param *p)
{
    return (const char *)sc + p->offset;
}

static void write_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20 || ch == 0x7F)
            fprintf(out, "\\x%02X", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void write_value(FILE *out, const kn_scenario *sc, const kn_param *p)
{
    char b[32];
    switch (p->type) {
    case KN_PT_STRING:
        write_quoted(out, cfield(sc, p));
        break;
    case KN_PT_INT: {
        int v;
        memcpy(&v, cfield(sc, p), sizeof v);
        fprintf(out, "%d", v);
        break;
    }
    case KN_PT_UINT64: {
        uint64_t v;
        memcpy(&v, cfield(sc, p), sizeof v);
        fprintf(out, "%" PRIu64, v);
        break;
    }
    case KN_PT_DOUBLE:
        fputs(kn_format_number(b, sizeof b, kn_param_get_number(sc, p, 0)), out);
        break;
    case KN_PT_DIST_KIND: {
        kn_dist_kind k = kn_param_get_kind(sc, p);
        if (kn_dist_name(k))
            fputs(kn_dist_name(k), out);
        else
            fprintf(out, "%zu", (size_t)k);
        break;
    }
    case KN_PT_DOUBLE_ARRAY:
        fputc('[', out);
        for (size_t k = 0; k < p->count; k++)
            fprintf(out, "%s%s", k ? ", " : "",
                    kn_format_number(b, sizeof b, kn_param_get_number(sc, p, k)));
        fputc(']', out);
        break;
    }
}

/* Print the block headers needed to go from block `open` to the block of `path`. */
static void open_block(FILE *out, char *open, size_t cap, const char *path)
{
    size_t b = kn_param_block_len(path), olen = strlen(open), m = 0;
    while (m < olen && m < b && open[m] == path[m])
        m++;
    /* back up to a component boundary shared by both */
    if (m > 0 && !((m == olen || open[m] == '.') && (m == b || path[m] == '.')))
        do
            m--;
        while (m > 0 && path[m] != '.');
    size_t depth = 0;
    for (size_t i = 0; i < m; i++)
        depth += path[i] == '.';
    if (m > 0)
        depth++;
    size_t s = m + (m > 0 && m < b);
    while (s < b) {
        size_t e = s;
        while (e < b && path[e] != '.')
            e++;
        fprintf(out, "%*s%.*s:\n", (int)(2 * depth), "", (int)(e - s), path + s);
        depth++;
        s = e + 1;
    }
    snprintf(open, cap, "%.*s", (int)b, path);
}

kn_status kn_scenario_write_yaml(const kn_scenario *sc, FILE *out, kn_error *err)
{
    if (!sc || !out)
        return kn_error_set(err, KN_EINVAL, "kn_scenario_write_yaml: no scenario or no stream");
    char open[KN_KEY_MAX] = "";
    fputs("# koning scenario, fully resolved: every key, defaults included "
          "(see docs/scenarios.md)\n", out);
    for (size_t i = 0; i < KN_NPARAMS; i++) {
        const kn_param *p = kn_param_at(i);
        const kn_param *q = kn_param_dist_of(p->path);
        if (q && kn_param_get_kind(sc, q) == KN_DIST_NONE) {
            if (q == p)
                fprintf(out, "# %.*s: omitted, so off\n", (int)kn_param_block_len(p->path), p->path);
            continue;
        }
        if (p->offset == offsetof(kn_scenario, arrivals.per_hour) && sc->arrivals.use_profile)
            continue;
        if (p->offset == offsetof(kn_scenario, arrivals.profile) && !sc->arrivals.use_profile)
            continue;
        open_block(out, open, sizeof open, p->path);
        size_t depth = 0;
        for (const char *s = p->path; *s; s++)
            depth += *s == '.';
        const char *leaf = p->path + kn_param_block_len(p->path) + (depth > 0);
        fprintf(out, "%*s%s: ", (int)(2 * depth), "", leaf);
        write_value(out, sc, p);
        fprintf(out, "  # %s%s%s%s\n", p->help, p->unit[0] ? " [" : "", p->unit,
                p->unit[0] ? "]" : "");
    }
    if (fflush(out) != 0 || ferror(out))
        return kn_error_set(err, KN_EIO, "cannot write the scenario: %s", strerror(errno));
    return KN_OK;
}
