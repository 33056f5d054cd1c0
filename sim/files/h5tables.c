/* h5tables.c - what the results file holds besides the run table (layout:
 * docs/results.md): the root attributes, the scenario table (every key of every
 * scenario as a column, and the resolved YAML) and, when the file is closed, the
 * per-scenario summaries (mean and confidence interval of each metric over the
 * successful runs). Called by the writer in h5out.c; declared in h5out_int.h.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include "h5out_int.h"
#include "scenario_yaml.h"
#include "koning/stats.h"

#ifndef KONING_VERSION
#define KONING_VERSION "unknown"
#endif

#define KN_H5_RNG "Philox4x64-10 (Random123); one stream per (seed, scenario stream, replication, source)"

static const char *dist_name(kn_dist_kind k)
{
    switch (k) {
    case KN_DIST_NONE: return "none";
    case KN_DIST_EXPONENTIAL: return "exponential";
    case KN_DIST_LOGNORMAL: return "lognormal";
    case KN_DIST_DETERMINISTIC: return "deterministic";
    }
    return "unknown";
}

static const void *param_field(const kn_scenario *sc, const kn_param *p)
{
    return (const char *)sc + p->offset;
}

/* Length of the block part of a dotted path ("patience" of "patience.cv"), 0 if none. */
static size_t block_len(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? (size_t)(dot - path) : 0;
}

/* Whether the scenario uses key p: arrivals.per_hour is unused when a profile is given
 * and the profile when it is not; the keys of a block whose distribution is "none" are
 * unused. Unused numbers are written as NaN (the resolved YAML omits them too). */
static int param_used(const kn_scenario *sc, const kn_param *p)
{
    if (p->offset == offsetof(kn_scenario, arrivals.per_hour))
        return !sc->arrivals.use_profile;
    if (p->offset == offsetof(kn_scenario, arrivals.profile))
        return sc->arrivals.use_profile;
    if (p->type == KN_PT_DIST_KIND)
        return 1;
    size_t b = block_len(p->path);
    if (b == 0)
        return 1;
    for (size_t j = 0; j < kn_param_count(); j++) {
        const kn_param *q = kn_param_at(j);
        if (q->type != KN_PT_DIST_KIND || block_len(q->path) != b || strncmp(q->path, p->path, b) != 0)
            continue;
        kn_dist_kind k;
        memcpy(&k, param_field(sc, q), sizeof k);
        if (k == KN_DIST_NONE)
            return 0;
    }
    return 1;
}

/* Whether a key is a scalar (not an array): those are the CF coordinates of summaries. */
static int param_scalar(const kn_param *p)
{
    return p->type != KN_PT_DOUBLE_ARRAY;
}

/* A fixed-size 1-D dataset on dimension `dim` (a scale) written in one go. */
static kn_status write_fixed(kn_h5 *h, const char *name, hid_t ftype, hid_t mtype, hid_t dim,
                             hsize_t n, const void *data, const char *units, const char *long_name,
                             const char *coordinates, kn_error *err)
{
    kn_h5i_dsspec d = {name, ftype, 1, {n, 0}, {n, 0}, {0, 0}, 0, ftype == H5T_IEEE_F64LE,
                       units, long_name};
    hid_t did = kn_h5i_ds_create(h->file, &d);
    kn_status rc = KN_OK;
    if (did < 0)
        rc = kn_h5i_fail(err, h->path, "cannot create dataset '%s'", name);
    else if (!kn_h5i_attach(did, dim, 0))
        rc = kn_h5i_fail(err, h->path, "cannot attach dimension to dataset '%s'", name);
    else if (H5Dwrite(did, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        rc = kn_h5i_fail(err, h->path, "cannot write dataset '%s'", name);
    else if (coordinates && !kn_h5i_attr_text(did, "coordinates", coordinates))
        rc = kn_h5i_fail(err, h->path, "cannot write attribute 'coordinates' of '%s'", name);
    kn_h5i_close_id(&did);
    return rc;
}

/* A dimension: a coordinate dataset of the same name, set as a dimension scale. */
kn_status kn_h5i_make_dim(kn_h5 *h, const kn_h5i_dsspec *d, hid_t mtype, const void *data,
                          hid_t *out, kn_error *err)
{
    hid_t did = kn_h5i_ds_create(h->file, d);
    if (did < 0)
        return kn_h5i_fail(err, h->path, "cannot create dimension '%s'", d->name);
    if (H5DSset_scale(did, d->name) < 0) {
        kn_h5i_close_id(&did);
        return kn_h5i_fail(err, h->path, "cannot make '%s' a dimension scale", d->name);
    }
    if (data && H5Dwrite(did, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        kn_h5i_close_id(&did);
        return kn_h5i_fail(err, h->path, "cannot write dimension '%s'", d->name);
    }
    *out = did;
    return KN_OK;
}

static char *scenario_yaml(const kn_scenario *sc, kn_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        kn_error_set(err, KN_ENOMEM, "out of memory");
        return NULL;
    }
    kn_status rc = kn_scenario_write_yaml(sc, f, err);
    if (fclose(f) != 0 && rc == KN_OK)
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
    if (rc != KN_OK) {
        free(text);
        return NULL;
    }
    return text;
}

kn_status kn_h5i_write_root_attrs(kn_h5 *h, const kn_scenario *sc, const kn_h5_meta *meta,
                                  kn_error *err)
{
    char hv[64];
    unsigned maj = 0, min = 0, rel = 0;
    if (H5get_libversion(&maj, &min, &rel) < 0)
        return kn_h5i_fail(err, h->path, "cannot get the HDF5 library version");
    snprintf(hv, sizeof hv, "%u.%u.%u", maj, min, rel);
    char *yaml = scenario_yaml(&sc[0], err);
    if (!yaml)
        return err ? err->code : KN_ENOMEM;
    const struct {
        const char *name, *value;
    } attrs[] = {
        {"Conventions", "CF-1.8"},
        {"title", "koning results"},
        {"koning_version", KONING_VERSION},
        {"simgrid_version", meta->kernel_version ? meta->kernel_version : ""},
        {"hdf5_version", hv},
        {"rng", KN_H5_RNG},
        {"kind", meta->kind ? meta->kind : ""},
        {"command_line", meta->command_line ? meta->command_line : ""},
        {"study", meta->study_text ? meta->study_text : ""},
        {"scenario", yaml},
    };
    kn_status rc = KN_OK;
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0] && rc == KN_OK; i++)
        if (!kn_h5i_attr_text(h->file, attrs[i].name, attrs[i].value))
            rc = kn_h5i_fail(err, h->path, "cannot write attribute '%s'", attrs[i].name);
    if (rc == KN_OK && !kn_h5i_attr_double(h->file, "confidence_level", h->level))
        rc = kn_h5i_fail(err, h->path, "cannot write attribute 'confidence_level'");
    free(yaml);
    return rc;
}

/* ---- the scenario table ------------------------------------------------------------- */

#define SCEN_BLOCK 256 /* scenarios read and written at a time */

/* The file type of key p's dataset, and its width (0: one value per scenario). */
static hid_t key_type(const kn_h5 *h, const kn_param *p, hsize_t *width)
{
    *width = p->type == KN_PT_DOUBLE_ARRAY ? p->count : 0;
    switch (p->type) {
    case KN_PT_STRING:
    case KN_PT_DIST_KIND: return h->strtype;
    case KN_PT_INT: return H5T_STD_I64LE;
    case KN_PT_UINT64: return H5T_STD_U64LE;
    case KN_PT_DOUBLE:
    case KN_PT_DOUBLE_ARRAY: return H5T_IEEE_F64LE;
    }
    return H5I_INVALID_HID;
}

/* A dataset of the scenario table (contiguous, one row per scenario; width > 0: a
 * second dimension dim2), left open in *out. */
static kn_status make_scen_ds(kn_h5 *h, const char *name, hid_t ftype, hsize_t width, hid_t dim2,
                              const char *units, const char *long_name, hid_t *out, kn_error *err)
{
    hsize_t n = h->n_scenarios;
    kn_h5i_dsspec d = {name, ftype, width ? 2 : 1, {n, width}, {n, width}, {0, 0}, 0,
                       ftype == H5T_IEEE_F64LE, units, long_name};
    hid_t did = kn_h5i_ds_create(h->file, &d);
    if (did < 0)
        return kn_h5i_fail(err, h->path, "cannot create dataset '%s'", name);
    if (!kn_h5i_attach(did, h->dim_scenario, 0) || (width && !kn_h5i_attach(did, dim2, 1))) {
        kn_h5i_close_id(&did);
        return kn_h5i_fail(err, h->path, "cannot attach dimensions to dataset '%s'", name);
    }
    *out = did;
    return KN_OK;
}

/* Create the datasets of the scenario table, in the file's order: scenario_name,
 * scenario_yaml, then one per key (an array that is not by hour gets an index
 * dimension of its own). */
static kn_status make_scenario_table(kn_h5 *h, hid_t dim_hour, hid_t *ds, kn_error *err)
{
    kn_status rc = make_scen_ds(h, "scenario_name", h->strtype, 0, H5I_INVALID_HID, "",
                                "name of the scenario", &ds[0], err);
    if (rc == KN_OK)
        rc = make_scen_ds(h, "scenario_yaml", h->strtype, 0, H5I_INVALID_HID, "",
                          "the fully resolved scenario, as YAML that koning reads back", &ds[1], err);
    for (size_t i = 0; i < kn_param_count() && rc == KN_OK; i++) {
        const kn_param *p = kn_param_at(i);
        hsize_t width;
        hid_t ftype = key_type(h, p, &width), dim2 = dim_hour, extra = H5I_INVALID_HID;
        if (width && width != KN_HOURS_PER_DAY) {
            char dname[300];
            snprintf(dname, sizeof dname, "%s_index", p->path);
            int32_t *idx = malloc(width * sizeof *idx);
            if (!idx)
                return kn_error_set(err, KN_ENOMEM, "out of memory");
            for (size_t k = 0; k < width; k++)
                idx[k] = (int32_t)k;
            kn_h5i_dsspec dd = {dname, H5T_STD_I32LE, 1, {width, 0}, {width, 0}, {0, 0}, 0, 0, "1",
                                "index into the array"};
            rc = kn_h5i_make_dim(h, &dd, H5T_NATIVE_INT32, idx, &extra, err);
            free(idx);
            dim2 = extra;
        }
        if (rc == KN_OK)
            rc = make_scen_ds(h, p->path, ftype, width, dim2, p->unit, p->help, &ds[2 + i], err);
        kn_h5i_close_id(&extra);
    }
    return rc;
}

/* Rows [s0, s0 + n) of every dataset of the scenario table, from the scenarios sc[0..n). */
static kn_status write_scen_block(kn_h5 *h, hid_t *ds, const kn_scenario *sc, size_t s0, size_t n,
                                  kn_error *err)
{
    kn_status rc = KN_OK;
    const char *strs[SCEN_BLOCK];
    char *yaml[SCEN_BLOCK] = {0};
    double num[SCEN_BLOCK * KN_HOURS_PER_DAY];
    int64_t i64[SCEN_BLOCK];
    uint64_t u64[SCEN_BLOCK];
    int32_t idx[SCEN_BLOCK];
    for (size_t j = 0; j < n; j++) {
        idx[j] = (int32_t)(s0 + j);
        strs[j] = sc[j].name;
    }
    if (!kn_h5i_write_block(h->dim_scenario, H5T_NATIVE_INT32, s0, n, 0, idx) ||
        !kn_h5i_write_block(ds[0], h->strtype, s0, n, 0, strs))
        return kn_h5i_fail(err, h->path, "cannot write the scenario table (scenarios %zu..%zu)",
                           s0, s0 + n - 1);
    for (size_t j = 0; j < n && rc == KN_OK; j++)
        if (!(yaml[j] = scenario_yaml(&sc[j], err)))
            rc = err ? err->code : KN_ENOMEM;
    if (rc == KN_OK && !kn_h5i_write_block(ds[1], h->strtype, s0, n, 0, yaml))
        rc = kn_h5i_fail(err, h->path, "cannot write dataset 'scenario_yaml'");
    for (size_t j = 0; j < n; j++)
        free(yaml[j]);
    for (size_t i = 0; i < kn_param_count() && rc == KN_OK; i++) {
        const kn_param *p = kn_param_at(i);
        hsize_t width;
        hid_t mtype = key_type(h, p, &width);
        const void *data = num;
        for (size_t j = 0; j < n; j++) {
            switch (p->type) {
            case KN_PT_STRING:
                strs[j] = param_field(&sc[j], p);
                data = strs;
                break;
            case KN_PT_DIST_KIND: {
                kn_dist_kind k;
                memcpy(&k, param_field(&sc[j], p), sizeof k);
                strs[j] = dist_name(k);
                data = strs;
                break;
            }
            case KN_PT_INT: {
                int v;
                memcpy(&v, param_field(&sc[j], p), sizeof v);
                i64[j] = v;
                data = i64;
                mtype = H5T_NATIVE_INT64;
                break;
            }
            case KN_PT_UINT64:
                memcpy(&u64[j], param_field(&sc[j], p), sizeof u64[j]);
                data = u64;
                mtype = H5T_NATIVE_UINT64;
                break;
            case KN_PT_DOUBLE:
            case KN_PT_DOUBLE_ARRAY: {
                size_t c = width ? width : 1;
                int used = param_used(&sc[j], p);
                for (size_t k = 0; k < c && k < KN_HOURS_PER_DAY; k++)
                    num[j * c + k] = used ? kn_param_get_number(&sc[j], p, k) : NAN;
                mtype = H5T_NATIVE_DOUBLE;
                break;
            }
            }
        }
        if (width > KN_HOURS_PER_DAY)
            rc = kn_error_set(err, KN_EINVAL, "%s: key '%s' has %llu values, more than %d",
                              h->path, p->path, (unsigned long long)width, KN_HOURS_PER_DAY);
        else if (!kn_h5i_write_block(ds[2 + i], mtype, s0, n, width, data))
            rc = kn_h5i_fail(err, h->path, "cannot write dataset '%s'", p->path);
    }
    return rc;
}

kn_status kn_h5i_write_scenarios(kn_h5 *h, hid_t dim_hour, kn_error *err)
{
    size_t nds = kn_param_count() + 2, S = h->n_scenarios;
    hid_t *ds = malloc(nds * sizeof *ds);
    kn_scenario *sc = malloc(SCEN_BLOCK * sizeof *sc);
    kn_status rc = KN_OK;
    if (!ds || !sc) {
        free(ds);
        free(sc);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < nds; k++)
        ds[k] = H5I_INVALID_HID;
    rc = make_scenario_table(h, dim_hour, ds, err);
    for (size_t s0 = 0; s0 < S && rc == KN_OK; s0 += SCEN_BLOCK) {
        size_t n = S - s0 < SCEN_BLOCK ? S - s0 : SCEN_BLOCK;
        for (size_t j = 0; j < n && rc == KN_OK; j++) {
            rc = h->src.get(h->src.user, s0 + j, &sc[j], err);
            if (rc == KN_OK && sc[j].run.period_days != h->period_days)
                rc = kn_error_set(err, KN_EINVAL,
                                  "%s: all scenarios of a results file must share run.period_days "
                                  "(scenario 0 has %g, scenario '%s' has %g)",
                                  h->path, h->period_days, sc[j].name, sc[j].run.period_days);
        }
        if (rc == KN_OK)
            rc = write_scen_block(h, ds, sc, s0, n, err);
    }
    for (size_t k = 0; k < nds; k++)
        kn_h5i_close_id(&ds[k]);
    free(ds);
    free(sc);
    return rc;
}

/* Grow a string by appending " name" (or "name" when empty). */
static int append_word(char **s, size_t *len, size_t *cap, const char *word)
{
    size_t w = strlen(word), need = *len + (*len ? 1 : 0) + w + 1;
    if (need > *cap) {
        size_t nc = need * 2;
        char *ns = realloc(*s, nc);
        if (!ns)
            return 0;
        *s = ns;
        *cap = nc;
    }
    if (*len)
        (*s)[(*len)++] = ' ';
    memcpy(*s + *len, word, w + 1);
    *len += w;
    return 1;
}

/* Per-scenario mean and CI of every metric over the runs with status 0. */
kn_status kn_h5i_write_summaries(kn_h5 *h, kn_error *err)
{
    size_t n = h->n_scenarios, rows = (size_t)h->rows;
    kn_status rc = KN_OK;
    int32_t *scen = malloc((rows ? rows : 1) * sizeof *scen);
    int32_t *status = malloc((rows ? rows : 1) * sizeof *status);
    double *col = malloc((rows ? rows : 1) * sizeof *col);
    double *sample = malloc((rows ? rows : 1) * sizeof *sample);
    size_t *start = calloc(n + 1, sizeof *start), *fill = calloc(n, sizeof *fill);
    size_t *order = malloc((rows ? rows : 1) * sizeof *order);
    int64_t *n_ok = calloc(n, sizeof *n_ok), *n_failed = calloc(n, sizeof *n_failed);
    double *stat = malloc(3 * n * sizeof *stat);
    char *coords = NULL;
    size_t clen = 0, ccap = 0;
    if (!scen || !status || !col || !sample || !start || !fill || !order || !n_ok || !n_failed || !stat) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    if (!append_word(&coords, &clen, &ccap, "scenario_name")) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < kn_param_count(); i++)
        if (param_scalar(kn_param_at(i)) && !append_word(&coords, &clen, &ccap, kn_param_at(i)->path)) {
            rc = kn_error_set(err, KN_ENOMEM, "out of memory");
            goto done;
        }
    if (rows > 0) {
        if (!kn_h5i_read_all(h->col[RC_SCENARIO], H5T_NATIVE_INT32, scen)) {
            rc = kn_h5i_fail(err, h->path, "cannot read back dataset 'run_scenario'");
            goto done;
        }
        if (!kn_h5i_read_all(h->col[RC_STATUS], H5T_NATIVE_INT32, status)) {
            rc = kn_h5i_fail(err, h->path, "cannot read back dataset 'status'");
            goto done;
        }
    }
    /* runs with status 0 grouped by scenario, in row order (counting sort) */
    for (size_t r = 0; r < rows; r++) {
        if (scen[r] < 0 || (size_t)scen[r] >= n)
            continue;
        if (status[r] == KN_OK) {
            n_ok[scen[r]]++;
            start[scen[r] + 1]++;
        } else {
            n_failed[scen[r]]++;
        }
    }
    for (size_t s = 0; s < n; s++)
        start[s + 1] += start[s];
    for (size_t r = 0; r < rows; r++)
        if (scen[r] >= 0 && (size_t)scen[r] < n && status[r] == KN_OK)
            order[start[scen[r]] + fill[scen[r]]++] = r;

    int pct = (int)lround(h->level * 100.0);
    char lvl[32];
    if (fabs(h->level * 100.0 - pct) < 1e-9)
        snprintf(lvl, sizeof lvl, "%d %%", pct);
    else
        snprintf(lvl, sizeof lvl, "%g %%", h->level * 100.0);
    for (int m = 0; m < KN_METRIC_COUNT && rc == KN_OK; m++) {
        const kn_metric_info *mi = kn_metric_describe(m);
        if (rows > 0 && !kn_h5i_read_all(h->metric[m], H5T_NATIVE_DOUBLE, col)) {
            rc = kn_h5i_fail(err, h->path, "cannot read back dataset '%s'", mi->name);
            break;
        }
        for (size_t s = 0; s < n; s++) {
            size_t k = start[s + 1] - start[s];
            for (size_t j = 0; j < k; j++)
                sample[j] = col[order[start[s] + j]];
            kn_summary sum;
            if (k >= 2 && kn_summarize(sample, k, 1, h->level, &sum, NULL) == KN_OK) {
                stat[s] = sum.mean;
                stat[n + s] = sum.ci_low;
                stat[2 * n + s] = sum.ci_high;
            } else {
                stat[s] = stat[n + s] = stat[2 * n + s] = NAN;
            }
        }
        static const char *const suffix[3] = {"mean", "ci_low", "ci_high"};
        for (int j = 0; j < 3 && rc == KN_OK; j++) {
            char name[256], ln[512];
            snprintf(name, sizeof name, "%s_%s", mi->name, suffix[j]);
            if (j == 0)
                snprintf(ln, sizeof ln, "%s: mean over the successful runs of the scenario",
                         mi->long_name);
            else
                snprintf(ln, sizeof ln, "%s: %s end of the %s confidence interval (Student t) of the mean",
                         mi->long_name, j == 1 ? "lower" : "upper", lvl);
            rc = write_fixed(h, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, h->dim_scenario, n,
                             stat + (size_t)j * n, mi->unit, ln, coords, err);
        }
    }
    if (rc == KN_OK)
        rc = write_fixed(h, "n_runs_ok", H5T_STD_I64LE, H5T_NATIVE_INT64, h->dim_scenario, n, n_ok,
                         "1", "runs of the scenario that succeeded (status 0)", coords, err);
    if (rc == KN_OK)
        rc = write_fixed(h, "n_runs_failed", H5T_STD_I64LE, H5T_NATIVE_INT64, h->dim_scenario, n,
                         n_failed, "1", "runs of the scenario that failed (status not 0)", coords, err);
done:
    free(coords);
    free(stat);
    free(n_failed);
    free(n_ok);
    free(order);
    free(fill);
    free(start);
    free(sample);
    free(col);
    free(status);
    free(scen);
    return rc;
}
