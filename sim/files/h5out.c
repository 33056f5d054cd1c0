/* h5out.c - the results file (layout: docs/results.md).
 *
 * netCDF-4 compatible HDF5 written with the HDF5 C API and its High-Level dimension
 * scales (H5DS): every dataset lives in the root group, every dimension is a coordinate
 * dataset of the same name set as a dimension scale, strings are variable-length UTF-8,
 * attributes are fixed-length scalar strings. The run table grows by one row per
 * kn_h5_append; rows are buffered and written in blocks of whole chunks (one
 * H5Dset_extent per block), which keeps rebuilding a file of many runs fast.
 *
 * Every HDF5 return is checked. HDF5's own error printing is switched off inside these
 * calls (and restored after) so that the user sees one line naming the file and the
 * dataset or operation that failed.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include "h5out.h"
#include "scenario_yaml.h"
#include "koning/metrics.h"
#include "koning/stats.h"

#ifndef KONING_VERSION
#define KONING_VERSION "unknown"
#endif

#define KN_H5_RNG "Philox4x64-10 (Random123); one stream per (seed, scenario stream, replication, source)"
#define RUN_CHUNK 256            /* rows per chunk of the 1-D run datasets */
#define SERIES_CHUNK_ROWS 64     /* rows per chunk of the [run, period] datasets */
#define CHUNK_DOUBLES 131072     /* cap of a chunk: 1 MiB of float64 */
#define DEFLATE_LEVEL 4
#define BATCH_DOUBLES (1u << 20) /* cap of the row buffer of the time series: 8 MiB */

#if defined(__GNUC__)
#define KN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define KN_PRINTF(a, b)
#endif

/* ---- small helpers ---------------------------------------------------------------- */

typedef struct quiet {
    H5E_auto2_t func;
    void *data;
} quiet;

/* Silence HDF5's automatic error printing; quiet_end restores what was there. */
static quiet quiet_begin(void)
{
    quiet q = {NULL, NULL};
    H5Eget_auto2(H5E_DEFAULT, &q.func, &q.data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return q;
}

static void quiet_end(quiet q)
{
    H5Eset_auto2(H5E_DEFAULT, q.func, q.data);
}

static kn_status fail(kn_error *err, const char *path, const char *fmt, ...) KN_PRINTF(3, 4);
static kn_status fail(kn_error *err, const char *path, const char *fmt, ...)
{
    char what[KN_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return kn_error_set(err, KN_EIO, "%s: %s", path, what);
}

static void close_id(hid_t *id)
{
    if (*id < 0)
        return;
    switch (H5Iget_type(*id)) {
    case H5I_DATASET: H5Dclose(*id); break;
    case H5I_DATATYPE: H5Tclose(*id); break;
    case H5I_DATASPACE: H5Sclose(*id); break;
    case H5I_GROUP: H5Gclose(*id); break;
    case H5I_ATTR: H5Aclose(*id); break;
    case H5I_GENPROP_LST: H5Pclose(*id); break;
    case H5I_FILE: H5Fclose(*id); break;
    default: H5Idec_ref(*id); break;
    }
    *id = H5I_INVALID_HID;
}

/* A variable-length UTF-8 string type (file and memory type of string datasets). */
static hid_t vlen_utf8(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return H5I_INVALID_HID;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

/* A fixed-length scalar UTF-8 string attribute (what netCDF calls a text attribute). */
static int attr_text(hid_t obj, const char *name, const char *value)
{
    int ok = 0;
    size_t len = strlen(value);
    hid_t t = H5I_INVALID_HID, s = H5I_INVALID_HID, a = H5I_INVALID_HID;
    if ((t = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(t, len ? len : 1) < 0 ||
        H5Tset_strpad(t, H5T_STR_NULLTERM) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)
        goto done;
    if ((s = H5Screate(H5S_SCALAR)) < 0)
        goto done;
    if ((a = H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        goto done;
    if (H5Awrite(a, t, len ? value : "") < 0)
        goto done;
    ok = 1;
done:
    close_id(&a);
    close_id(&s);
    close_id(&t);
    return ok;
}

static int attr_double(hid_t obj, const char *name, double value)
{
    int ok = 0;
    hid_t s = H5I_INVALID_HID, a = H5I_INVALID_HID;
    if ((s = H5Screate(H5S_SCALAR)) < 0)
        goto done;
    if ((a = H5Acreate2(obj, name, H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        goto done;
    if (H5Awrite(a, H5T_NATIVE_DOUBLE, &value) < 0)
        goto done;
    ok = 1;
done:
    close_id(&a);
    close_id(&s);
    return ok;
}

/* File access properties: the HDF5 1.8 file format (netCDF-4 reads it; dense storage for
 * attributes over 64 KiB) when writing, and file locking that gives way on file systems
 * without locks (NFS, Lustre) instead of failing. */
static hid_t make_fapl(int writing)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0)
        return H5I_INVALID_HID;
    if (writing && H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0) {
        H5Pclose(fapl);
        return H5I_INVALID_HID;
    }
#if H5_VERSION_GE(1, 10, 7)
    if (H5Pset_file_locking(fapl, 1, 1) < 0) {
        H5Pclose(fapl);
        return H5I_INVALID_HID;
    }
#endif
    return fapl;
}

/* How a dataset is made. chunk[0] == 0: contiguous (fixed size). */
typedef struct dsspec {
    const char *name;
    hid_t ftype;
    int rank;
    hsize_t dims[2], maxdims[2], chunk[2];
    int compress; /* shuffle + deflate */
    int nan_fill; /* fill value NaN (float64 only) */
    const char *units, *long_name;
} dsspec;

static hid_t ds_create(hid_t file, const dsspec *d)
{
    hid_t sp = H5I_INVALID_HID, dcpl = H5I_INVALID_HID, did = H5I_INVALID_HID;
    hid_t ret = H5I_INVALID_HID;
    if ((sp = H5Screate_simple(d->rank, d->dims, d->maxdims)) < 0)
        goto done;
    if ((dcpl = H5Pcreate(H5P_DATASET_CREATE)) < 0 ||
        H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0)
        goto done;
    if (d->chunk[0] > 0) {
        if (H5Pset_chunk(dcpl, d->rank, d->chunk) < 0)
            goto done;
        if (d->compress && (H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, DEFLATE_LEVEL) < 0))
            goto done;
    }
    if (d->nan_fill) {
        double nan = NAN;
        if (H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan) < 0)
            goto done;
    }
    if ((did = H5Dcreate2(file, d->name, d->ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0)
        goto done;
    if (!attr_text(did, "units", d->units) || !attr_text(did, "long_name", d->long_name))
        goto done;
    ret = did;
    did = H5I_INVALID_HID;
done:
    close_id(&did);
    close_id(&dcpl);
    close_id(&sp);
    return ret;
}

/* Attach dimension scale `scale` to dimension idx of did. (No H5DSset_label: netCDF
 * readers would show the DIMENSION_LABELS attribute as a user attribute.) */
static int attach(hid_t did, hid_t scale, unsigned idx)
{
    return H5DSattach_scale(did, scale, idx) >= 0;
}

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

/* ---- the writer ------------------------------------------------------------------- */

enum { RC_SCENARIO, RC_REPLICATION, RC_SEED, RC_STATUS, RC_ERROR, RC_WALL, RC_CUSTOMERS, RC_N };

typedef enum coltype { CT_I32, CT_I64, CT_U64, CT_F64, CT_STR } coltype;

static const struct runcol {
    const char *name;
    coltype type;
    const char *units, *long_name;
} run_cols[RC_N] = {
    [RC_SCENARIO] = {"run_scenario", CT_I32, "1", "index of the run's scenario (into dimension scenario)"},
    [RC_REPLICATION] = {"replication", CT_I64, "1", "replication number (selects the random streams)"},
    [RC_SEED] = {"seed", CT_U64, "1", "master random seed of the run"},
    [RC_STATUS] = {"status", CT_I32, "1", "0 if the run succeeded, else the koning error code of its failure"},
    [RC_ERROR] = {"error", CT_STR, "", "error message of a failed run; empty when status is 0"},
    [RC_WALL] = {"wall_seconds", CT_F64, "s", "wall-clock time of the simulation"},
    [RC_CUSTOMERS] = {"customers", CT_I64, "1", "arrivals in the observation window (after warm-up)"},
};

struct kn_h5 {
    char *path;
    hid_t file;
    hid_t strtype;                     /* vlen UTF-8 */
    hid_t dim_scenario, dim_run, dim_period;
    hid_t col[RC_N];
    hid_t metric[KN_METRIC_COUNT];
    hid_t series[KN_SERIES_COUNT];
    size_t n_scenarios;
    uint32_t n_periods;
    double level;
    uint64_t rows;  /* rows in the file */
    int broken;     /* an earlier write failed: the file is not usable */
    /* rows buffered, not yet in the file */
    size_t batch, nbuf;
    int64_t *b_run, *b_rep, *b_cust;
    int32_t *b_scen, *b_status;
    uint64_t *b_seed;
    char **b_error;
    double *b_wall;
    double *b_metric; /* [KN_METRIC_COUNT][batch] */
    double *b_series; /* [KN_SERIES_COUNT][batch][n_periods] */
};

static const char empty_string[] = "";

static void free_batch_strings(kn_h5 *h)
{
    for (size_t i = 0; i < h->nbuf; i++) {
        if (h->b_error[i] != empty_string)
            free(h->b_error[i]);
        h->b_error[i] = NULL;
    }
}

static void close_handles(kn_h5 *h)
{
    for (int s = KN_SERIES_COUNT - 1; s >= 0; s--)
        close_id(&h->series[s]);
    for (int m = KN_METRIC_COUNT - 1; m >= 0; m--)
        close_id(&h->metric[m]);
    for (int c = RC_N - 1; c >= 0; c--)
        close_id(&h->col[c]);
    close_id(&h->dim_period);
    close_id(&h->dim_run);
    close_id(&h->dim_scenario);
    close_id(&h->strtype);
}

static void free_writer(kn_h5 *h)
{
    if (!h)
        return;
    if (h->b_error)
        free_batch_strings(h);
    free(h->b_run);
    free(h->b_rep);
    free(h->b_cust);
    free(h->b_scen);
    free(h->b_status);
    free(h->b_seed);
    free(h->b_error);
    free(h->b_wall);
    free(h->b_metric);
    free(h->b_series);
    free(h->path);
    free(h);
}

static hid_t file_type(coltype t, hid_t strtype)
{
    switch (t) {
    case CT_I32: return H5T_STD_I32LE;
    case CT_I64: return H5T_STD_I64LE;
    case CT_U64: return H5T_STD_U64LE;
    case CT_F64: return H5T_IEEE_F64LE;
    case CT_STR: return strtype;
    }
    return H5I_INVALID_HID;
}

static hid_t mem_type(coltype t, hid_t strtype)
{
    switch (t) {
    case CT_I32: return H5T_NATIVE_INT32;
    case CT_I64: return H5T_NATIVE_INT64;
    case CT_U64: return H5T_NATIVE_UINT64;
    case CT_F64: return H5T_NATIVE_DOUBLE;
    case CT_STR: return strtype;
    }
    return H5I_INVALID_HID;
}

/* A fixed-size 1-D dataset on dimension `dim` (a scale) written in one go. */
static kn_status write_fixed(kn_h5 *h, const char *name, hid_t ftype, hid_t mtype, hid_t dim,
                             hsize_t n, const void *data, const char *units, const char *long_name,
                             const char *coordinates, kn_error *err)
{
    dsspec d = {name, ftype, 1, {n, 0}, {n, 0}, {0, 0}, 0, ftype == H5T_IEEE_F64LE, units, long_name};
    hid_t did = ds_create(h->file, &d);
    kn_status rc = KN_OK;
    if (did < 0)
        rc = fail(err, h->path, "cannot create dataset '%s'", name);
    else if (!attach(did, dim, 0))
        rc = fail(err, h->path, "cannot attach dimension to dataset '%s'", name);
    else if (H5Dwrite(did, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        rc = fail(err, h->path, "cannot write dataset '%s'", name);
    else if (coordinates && !attr_text(did, "coordinates", coordinates))
        rc = fail(err, h->path, "cannot write attribute 'coordinates' of '%s'", name);
    close_id(&did);
    return rc;
}

/* A dimension: a coordinate dataset of the same name, set as a dimension scale. */
static kn_status make_dim(kn_h5 *h, const dsspec *d, hid_t mtype, const void *data, hid_t *out,
                          kn_error *err)
{
    hid_t did = ds_create(h->file, d);
    if (did < 0)
        return fail(err, h->path, "cannot create dimension '%s'", d->name);
    if (H5DSset_scale(did, d->name) < 0) {
        close_id(&did);
        return fail(err, h->path, "cannot make '%s' a dimension scale", d->name);
    }
    if (data && H5Dwrite(did, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        close_id(&did);
        return fail(err, h->path, "cannot write dimension '%s'", d->name);
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

static kn_status write_root_attrs(kn_h5 *h, const kn_scenario *sc, const kn_h5_meta *meta,
                                  kn_error *err)
{
    char hv[64];
    unsigned maj = 0, min = 0, rel = 0;
    if (H5get_libversion(&maj, &min, &rel) < 0)
        return fail(err, h->path, "cannot get the HDF5 library version");
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
        if (!attr_text(h->file, attrs[i].name, attrs[i].value))
            rc = fail(err, h->path, "cannot write attribute '%s'", attrs[i].name);
    if (rc == KN_OK && !attr_double(h->file, "confidence_level", h->level))
        rc = fail(err, h->path, "cannot write attribute 'confidence_level'");
    free(yaml);
    return rc;
}

/* The scenario table: one dataset per key, on dimension scenario. */
static kn_status write_scenarios(kn_h5 *h, const kn_scenario *sc, hid_t dim_hour, kn_error *err)
{
    size_t n = h->n_scenarios, maxcount = 1;
    for (size_t i = 0; i < kn_param_count(); i++)
        if (kn_param_at(i)->count > maxcount)
            maxcount = kn_param_at(i)->count;
    kn_status rc = KN_OK;
    const char **strs = calloc(n, sizeof *strs);
    char **yaml = calloc(n, sizeof *yaml);
    double *num = calloc(n * maxcount, sizeof *num);
    int64_t *i64 = calloc(n, sizeof *i64);
    uint64_t *u64 = calloc(n, sizeof *u64);
    hid_t extra_dim = H5I_INVALID_HID;
    if (!strs || !yaml || !num || !i64 || !u64) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < n; s++)
        strs[s] = sc[s].name;
    rc = write_fixed(h, "scenario_name", h->strtype, h->strtype, h->dim_scenario, n, strs, "",
                     "name of the scenario", NULL, err);
    for (size_t s = 0; s < n && rc == KN_OK; s++)
        if (!(yaml[s] = scenario_yaml(&sc[s], err)))
            rc = err ? err->code : KN_ENOMEM;
    if (rc == KN_OK)
        rc = write_fixed(h, "scenario_yaml", h->strtype, h->strtype, h->dim_scenario, n, yaml, "",
                         "the fully resolved scenario, as YAML that koning reads back", NULL, err);
    for (size_t i = 0; i < kn_param_count() && rc == KN_OK; i++) {
        const kn_param *p = kn_param_at(i);
        switch (p->type) {
        case KN_PT_STRING:
            for (size_t s = 0; s < n; s++)
                strs[s] = param_field(&sc[s], p);
            rc = write_fixed(h, p->path, h->strtype, h->strtype, h->dim_scenario, n, strs, p->unit,
                             p->help, NULL, err);
            break;
        case KN_PT_DIST_KIND:
            for (size_t s = 0; s < n; s++) {
                kn_dist_kind k;
                memcpy(&k, param_field(&sc[s], p), sizeof k);
                strs[s] = dist_name(k);
            }
            rc = write_fixed(h, p->path, h->strtype, h->strtype, h->dim_scenario, n, strs, p->unit,
                             p->help, NULL, err);
            break;
        case KN_PT_INT:
            for (size_t s = 0; s < n; s++) {
                int v;
                memcpy(&v, param_field(&sc[s], p), sizeof v);
                i64[s] = v;
            }
            rc = write_fixed(h, p->path, H5T_STD_I64LE, H5T_NATIVE_INT64, h->dim_scenario, n, i64,
                             p->unit, p->help, NULL, err);
            break;
        case KN_PT_UINT64:
            for (size_t s = 0; s < n; s++)
                memcpy(&u64[s], param_field(&sc[s], p), sizeof u64[s]);
            rc = write_fixed(h, p->path, H5T_STD_U64LE, H5T_NATIVE_UINT64, h->dim_scenario, n, u64,
                             p->unit, p->help, NULL, err);
            break;
        case KN_PT_DOUBLE:
            for (size_t s = 0; s < n; s++)
                num[s] = param_used(&sc[s], p) ? kn_param_get_number(&sc[s], p, 0) : NAN;
            rc = write_fixed(h, p->path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, h->dim_scenario, n, num,
                             p->unit, p->help, NULL, err);
            break;
        case KN_PT_DOUBLE_ARRAY: {
            size_t c = p->count;
            for (size_t s = 0; s < n; s++) {
                int used = param_used(&sc[s], p);
                for (size_t k = 0; k < c; k++)
                    num[s * c + k] = used ? kn_param_get_number(&sc[s], p, k) : NAN;
            }
            hid_t dim2 = dim_hour;
            if (c != KN_HOURS_PER_DAY) { /* an array that is not by hour: its own index dimension */
                char dname[300];
                snprintf(dname, sizeof dname, "%s_index", p->path);
                int32_t *idx = malloc(c * sizeof *idx);
                if (!idx) {
                    rc = kn_error_set(err, KN_ENOMEM, "out of memory");
                    break;
                }
                for (size_t k = 0; k < c; k++)
                    idx[k] = (int32_t)k;
                dsspec dd = {dname, H5T_STD_I32LE, 1, {c, 0}, {c, 0}, {0, 0}, 0, 0, "1", "index into the array"};
                close_id(&extra_dim);
                rc = make_dim(h, &dd, H5T_NATIVE_INT32, idx, &extra_dim, err);
                free(idx);
                if (rc != KN_OK)
                    break;
                dim2 = extra_dim;
            }
            dsspec d = {p->path, H5T_IEEE_F64LE, 2, {n, c}, {n, c}, {0, 0}, 0, 1, p->unit, p->help};
            hid_t did = ds_create(h->file, &d);
            if (did < 0)
                rc = fail(err, h->path, "cannot create dataset '%s'", p->path);
            else if (!attach(did, h->dim_scenario, 0) || !attach(did, dim2, 1))
                rc = fail(err, h->path, "cannot attach dimensions to dataset '%s'", p->path);
            else if (H5Dwrite(did, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, num) < 0)
                rc = fail(err, h->path, "cannot write dataset '%s'", p->path);
            close_id(&did);
            break;
        }
        }
    }
done:
    close_id(&extra_dim);
    if (yaml)
        for (size_t s = 0; s < n; s++)
            free(yaml[s]);
    free(yaml);
    free(strs);
    free(num);
    free(i64);
    free(u64);
    return rc;
}

/* Empty run-dimension dataset: [0] or [0, n_periods], unlimited, chunked, compressed. */
static kn_status make_run_ds(kn_h5 *h, const char *name, coltype t, int series, const char *units,
                             const char *long_name, hid_t *out, kn_error *err)
{
    dsspec d = {name, file_type(t, h->strtype), 1, {0, 0}, {H5S_UNLIMITED, 0}, {RUN_CHUNK, 0},
                t != CT_STR, t == CT_F64, units, long_name};
    if (series) {
        hsize_t cols = h->n_periods < CHUNK_DOUBLES ? h->n_periods : CHUNK_DOUBLES;
        hsize_t rows = CHUNK_DOUBLES / cols;
        if (rows > SERIES_CHUNK_ROWS)
            rows = SERIES_CHUNK_ROWS;
        if (rows < 1)
            rows = 1;
        d.rank = 2;
        d.dims[1] = d.maxdims[1] = h->n_periods;
        d.chunk[0] = rows;
        d.chunk[1] = cols;
    }
    hid_t did = ds_create(h->file, &d);
    if (did < 0)
        return fail(err, h->path, "cannot create dataset '%s'", name);
    if (!attach(did, h->dim_run, 0) || (series && !attach(did, h->dim_period, 1))) {
        close_id(&did);
        return fail(err, h->path, "cannot attach dimensions to dataset '%s'", name);
    }
    *out = did;
    return KN_OK;
}

static kn_status build(kn_h5 *h, const kn_scenario *sc, const kn_h5_meta *meta, kn_error *err)
{
    kn_status rc = KN_OK;
    hid_t fcpl = H5I_INVALID_HID, fapl = H5I_INVALID_HID, dim_hour = H5I_INVALID_HID;
    int32_t *idx = NULL;
    double *ends = NULL;
    size_t n = h->n_scenarios;

    if ((fcpl = H5Pcreate(H5P_FILE_CREATE)) < 0 ||
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        (fapl = make_fapl(1)) < 0) {
        rc = fail(err, h->path, "cannot set up HDF5 file properties");
        goto done;
    }
    errno = 0;
    if ((h->file = H5Fcreate(h->path, H5F_ACC_TRUNC, fcpl, fapl)) < 0) {
        int e = errno;
        rc = fail(err, h->path, "cannot create the results file%s%s", e ? ": " : "",
                  e ? strerror(e) : "");
        goto done;
    }
    if ((h->strtype = vlen_utf8()) < 0) {
        rc = fail(err, h->path, "cannot make the string type");
        goto done;
    }
    if ((rc = write_root_attrs(h, sc, meta, err)) != KN_OK)
        goto done;

    /* dimensions */
    size_t nidx = n > KN_HOURS_PER_DAY ? n : KN_HOURS_PER_DAY;
    if (!(idx = malloc(nidx * sizeof *idx)) || !(ends = malloc(h->n_periods * sizeof *ends))) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nidx; i++)
        idx[i] = (int32_t)i;
    for (uint32_t k = 0; k < h->n_periods; k++)
        ends[k] = (double)(k + 1) * sc[0].run.period_days;
    dsspec dscen = {"scenario", H5T_STD_I32LE, 1, {n, 0}, {n, 0}, {0, 0}, 0, 0, "1",
                    "index of the scenario in the study"};
    dsspec drun = {"run", H5T_STD_I64LE, 1, {0, 0}, {H5S_UNLIMITED, 0}, {RUN_CHUNK, 0}, 1, 0, "1",
                   "canonical index of the run in the study (replication-major)"};
    dsspec dper = {"period", H5T_IEEE_F64LE, 1, {h->n_periods, 0}, {h->n_periods, 0}, {0, 0}, 0, 0,
                   "days", "end of the period, days since the start of the simulation (warm-up included)"};
    dsspec dhour = {"hour", H5T_STD_I32LE, 1, {KN_HOURS_PER_DAY, 0}, {KN_HOURS_PER_DAY, 0}, {0, 0},
                    0, 0, "h", "hour of the day (0 = 00:00-01:00)"};
    if ((rc = make_dim(h, &dscen, H5T_NATIVE_INT32, idx, &h->dim_scenario, err)) != KN_OK ||
        (rc = make_dim(h, &drun, H5T_NATIVE_INT64, NULL, &h->dim_run, err)) != KN_OK ||
        (rc = make_dim(h, &dper, H5T_NATIVE_DOUBLE, ends, &h->dim_period, err)) != KN_OK ||
        (rc = make_dim(h, &dhour, H5T_NATIVE_INT32, idx, &dim_hour, err)) != KN_OK)
        goto done;
    if (!attr_text(h->dim_period, "axis", "T")) {
        rc = fail(err, h->path, "cannot write attribute 'axis' of 'period'");
        goto done;
    }

    if ((rc = write_scenarios(h, sc, dim_hour, err)) != KN_OK)
        goto done;

    /* the run table, empty */
    for (int c = 0; c < RC_N; c++)
        if ((rc = make_run_ds(h, run_cols[c].name, run_cols[c].type, 0, run_cols[c].units,
                              run_cols[c].long_name, &h->col[c], err)) != KN_OK)
            goto done;
    for (int m = 0; m < KN_METRIC_COUNT; m++) {
        const kn_metric_info *mi = kn_metric_describe(m);
        if ((rc = make_run_ds(h, mi->name, CT_F64, 0, mi->unit, mi->long_name, &h->metric[m], err)) != KN_OK)
            goto done;
    }
    for (int s = 0; s < KN_SERIES_COUNT; s++) {
        const kn_metric_info *si = kn_series_describe(s);
        char name[256];
        snprintf(name, sizeof name, "%s_by_period", si->name);
        if ((rc = make_run_ds(h, name, CT_F64, 1, si->unit, si->long_name, &h->series[s], err)) != KN_OK)
            goto done;
    }
done:
    free(ends);
    free(idx);
    close_id(&dim_hour);
    close_id(&fapl);
    close_id(&fcpl);
    return rc;
}

kn_status kn_h5_create(kn_h5 **out, const char *path, const kn_scenario *scenarios,
                       size_t n_scenarios, uint32_t n_periods, const kn_h5_meta *meta,
                       kn_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !path || !scenarios || !meta)
        return kn_error_set(err, KN_EINVAL, "kn_h5_create: missing argument");
    if (n_scenarios == 0 || n_scenarios > INT32_MAX)
        return kn_error_set(err, KN_EINVAL, "%s: a results file needs 1 .. 2^31-1 scenarios, got %zu",
                            path, n_scenarios);
    if (n_periods == 0)
        return kn_error_set(err, KN_EINVAL, "%s: a results file needs at least one period", path);
    if (!(meta->level > 0.0 && meta->level < 1.0))
        return kn_error_set(err, KN_EINVAL, "%s: confidence level must be in (0, 1), got %g", path,
                            meta->level);
    for (size_t s = 1; s < n_scenarios; s++)
        if (scenarios[s].run.period_days != scenarios[0].run.period_days)
            return kn_error_set(err, KN_EINVAL,
                                "%s: all scenarios of a results file must share run.period_days "
                                "(scenario '%s' has %g, scenario '%s' has %g)",
                                path, scenarios[0].name, scenarios[0].run.period_days,
                                scenarios[s].name, scenarios[s].run.period_days);

    kn_h5 *h = calloc(1, sizeof *h);
    if (!h)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    h->file = h->strtype = H5I_INVALID_HID;
    h->dim_scenario = h->dim_run = h->dim_period = H5I_INVALID_HID;
    for (int c = 0; c < RC_N; c++)
        h->col[c] = H5I_INVALID_HID;
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        h->metric[m] = H5I_INVALID_HID;
    for (int s = 0; s < KN_SERIES_COUNT; s++)
        h->series[s] = H5I_INVALID_HID;
    h->n_scenarios = n_scenarios;
    h->n_periods = n_periods;
    h->level = meta->level;
    size_t per_row = (size_t)KN_SERIES_COUNT * n_periods;
    h->batch = per_row * RUN_CHUNK <= BATCH_DOUBLES ? RUN_CHUNK : BATCH_DOUBLES / per_row;
    if (h->batch < 1)
        h->batch = 1;
    size_t b = h->batch;
    h->path = strdup(path);
    h->b_run = malloc(b * sizeof *h->b_run);
    h->b_rep = malloc(b * sizeof *h->b_rep);
    h->b_cust = malloc(b * sizeof *h->b_cust);
    h->b_scen = malloc(b * sizeof *h->b_scen);
    h->b_status = malloc(b * sizeof *h->b_status);
    h->b_seed = malloc(b * sizeof *h->b_seed);
    h->b_error = calloc(b, sizeof *h->b_error);
    h->b_wall = malloc(b * sizeof *h->b_wall);
    h->b_metric = malloc((size_t)KN_METRIC_COUNT * b * sizeof *h->b_metric);
    h->b_series = malloc(per_row * b * sizeof *h->b_series);
    if (!h->path || !h->b_run || !h->b_rep || !h->b_cust || !h->b_scen || !h->b_status ||
        !h->b_seed || !h->b_error || !h->b_wall || !h->b_metric || !h->b_series) {
        free_writer(h);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }

    quiet q = quiet_begin();
    kn_status rc = build(h, scenarios, meta, err);
    if (rc != KN_OK) {
        int created = h->file >= 0;
        close_handles(h);
        close_id(&h->file);
        if (created)
            unlink(path);
        free_writer(h);
    } else {
        *out = h;
    }
    quiet_end(q);
    return rc;
}

/* Write the buffered rows: extend every run dataset once, write one hyperslab. */
static int write_rows(hid_t did, hid_t mtype, hsize_t row0, hsize_t nrows, hsize_t width,
                      const void *data)
{
    int ok = 0;
    int rank = width ? 2 : 1;
    hsize_t size[2] = {row0 + nrows, width}, start[2] = {row0, 0}, count[2] = {nrows, width};
    hid_t fs = H5I_INVALID_HID, ms = H5I_INVALID_HID;
    if (H5Dset_extent(did, size) < 0)
        goto done;
    if ((fs = H5Dget_space(did)) < 0 ||
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0)
        goto done;
    if ((ms = H5Screate_simple(rank, count, NULL)) < 0)
        goto done;
    if (H5Dwrite(did, mtype, ms, fs, H5P_DEFAULT, data) < 0)
        goto done;
    ok = 1;
done:
    close_id(&ms);
    close_id(&fs);
    return ok;
}

static kn_status flush_rows(kn_h5 *h, kn_error *err)
{
    if (h->nbuf == 0)
        return KN_OK;
    hsize_t r0 = h->rows, nb = h->nbuf;
    const void *data[RC_N] = {
        [RC_SCENARIO] = h->b_scen, [RC_REPLICATION] = h->b_rep, [RC_SEED] = h->b_seed,
        [RC_STATUS] = h->b_status, [RC_ERROR] = h->b_error, [RC_WALL] = h->b_wall,
        [RC_CUSTOMERS] = h->b_cust,
    };
    kn_status rc = KN_OK;
    if (!write_rows(h->dim_run, H5T_NATIVE_INT64, r0, nb, 0, h->b_run))
        rc = fail(err, h->path, "cannot append to dataset 'run' (rows %llu..%llu)",
                  (unsigned long long)r0, (unsigned long long)(r0 + nb - 1));
    for (int c = 0; c < RC_N && rc == KN_OK; c++)
        if (!write_rows(h->col[c], mem_type(run_cols[c].type, h->strtype), r0, nb, 0, data[c]))
            rc = fail(err, h->path, "cannot append to dataset '%s'", run_cols[c].name);
    for (int m = 0; m < KN_METRIC_COUNT && rc == KN_OK; m++)
        if (!write_rows(h->metric[m], H5T_NATIVE_DOUBLE, r0, nb, 0, h->b_metric + (size_t)m * h->batch))
            rc = fail(err, h->path, "cannot append to dataset '%s'", kn_metric_describe(m)->name);
    for (int s = 0; s < KN_SERIES_COUNT && rc == KN_OK; s++)
        if (!write_rows(h->series[s], H5T_NATIVE_DOUBLE, r0, nb, h->n_periods,
                        h->b_series + (size_t)s * h->batch * h->n_periods))
            rc = fail(err, h->path, "cannot append to dataset '%s_by_period'",
                      kn_series_describe(s)->name);
    free_batch_strings(h);
    h->nbuf = 0;
    if (rc != KN_OK)
        h->broken = 1;
    else
        h->rows += nb;
    return rc;
}

kn_status kn_h5_append(kn_h5 *h, const kn_run_record *rec, kn_error *err)
{
    if (!h || !rec)
        return kn_error_set(err, KN_EINVAL, "kn_h5_append: missing argument");
    if (h->broken)
        return fail(err, h->path, "not written: an earlier write to this file failed");
    if (rec->scenario >= h->n_scenarios)
        return kn_error_set(err, KN_EINVAL, "%s: run %llu: scenario %u out of range (%zu scenarios)",
                            h->path, (unsigned long long)rec->run, rec->scenario, h->n_scenarios);
    int ok = rec->status == KN_OK;
    uint32_t np = ok && rec->result.series ? rec->result.n_periods : 0;
    if (np > h->n_periods)
        return kn_error_set(err, KN_EINVAL, "%s: run %llu has %u periods, the file %u", h->path,
                            (unsigned long long)rec->run, np, h->n_periods);
    size_t i = h->nbuf, b = h->batch;
    if (ok) {
        h->b_error[i] = (char *)empty_string;
    } else { /* a failed run always has a message: its own, else its status */
        size_t len = strnlen(rec->error, sizeof rec->error);
        const char *msg = len ? rec->error : kn_strerror((kn_status)rec->status);
        if (!len)
            len = strlen(msg);
        if (!(h->b_error[i] = malloc(len + 1)))
            return kn_error_set(err, KN_ENOMEM, "out of memory");
        memcpy(h->b_error[i], msg, len);
        h->b_error[i][len] = '\0';
    }
    h->b_run[i] = (int64_t)rec->run;
    h->b_scen[i] = (int32_t)rec->scenario;
    h->b_rep[i] = (int64_t)rec->replication;
    h->b_seed[i] = rec->seed;
    h->b_status[i] = rec->status;
    h->b_wall[i] = rec->result.wall_seconds;
    h->b_cust[i] = (int64_t)rec->result.customers;
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        h->b_metric[(size_t)m * b + i] = ok ? rec->result.values[m] : NAN;
    for (int s = 0; s < KN_SERIES_COUNT; s++) {
        double *row = h->b_series + ((size_t)s * b + i) * h->n_periods;
        for (uint32_t k = 0; k < h->n_periods; k++)
            row[k] = k < np ? rec->result.series[(size_t)s * np + k] : NAN;
    }
    h->nbuf++;
    if (h->nbuf < b)
        return KN_OK;
    quiet q = quiet_begin();
    kn_status rc = flush_rows(h, err);
    quiet_end(q);
    return rc;
}

static int read_all(hid_t did, hid_t mtype, void *buf)
{
    return H5Dread(did, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0;
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
static kn_status write_summaries(kn_h5 *h, kn_error *err)
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
        if (!read_all(h->col[RC_SCENARIO], H5T_NATIVE_INT32, scen)) {
            rc = fail(err, h->path, "cannot read back dataset 'run_scenario'");
            goto done;
        }
        if (!read_all(h->col[RC_STATUS], H5T_NATIVE_INT32, status)) {
            rc = fail(err, h->path, "cannot read back dataset 'status'");
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
        if (rows > 0 && !read_all(h->metric[m], H5T_NATIVE_DOUBLE, col)) {
            rc = fail(err, h->path, "cannot read back dataset '%s'", mi->name);
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

kn_status kn_h5_close(kn_h5 *h, kn_error *err)
{
    if (!h)
        return KN_OK;
    quiet q = quiet_begin();
    kn_status rc = KN_OK;
    if (h->broken)
        rc = fail(err, h->path, "incomplete: an earlier write to this file failed");
    if (rc == KN_OK)
        rc = flush_rows(h, err);
    if (rc == KN_OK)
        rc = write_summaries(h, err);
    if (rc == KN_OK && H5Fflush(h->file, H5F_SCOPE_LOCAL) < 0)
        rc = fail(err, h->path, "cannot flush the results file");
    close_handles(h);
    if (h->file >= 0 && H5Fclose(h->file) < 0 && rc == KN_OK)
        rc = fail(err, h->path, "cannot close the results file");
    h->file = H5I_INVALID_HID;
    free_writer(h);
    quiet_end(q);
    return rc;
}

/* ---- check_writable ------------------------------------------------------------------ */

kn_status kn_h5_check_writable(const char *path, kn_error *err)
{
    if (!path || !*path)
        return kn_error_set(err, KN_EIO, "results file: no path given");
    size_t len = strlen(path);
    if (path[len - 1] == '/')
        return kn_error_set(err, KN_EIO, "%s: cannot write: is a directory", path);
    char *dir = strdup(path);
    if (!dir)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    char *slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    kn_status rc = KN_OK;
    struct stat st;
    if (stat(dir, &st) != 0) {
        rc = kn_error_set(err, KN_EIO, "%s: cannot write: directory '%s' %s", path, dir,
                          errno == ENOENT ? "does not exist" : strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
        rc = kn_error_set(err, KN_EIO, "%s: cannot write: '%s' is not a directory", path, dir);
    } else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = kn_error_set(err, KN_EIO, "%s: cannot write: is a directory", path);
    } else {
        size_t plen = len + 32;
        char *probe = malloc(plen);
        if (!probe) {
            rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        } else {
            snprintf(probe, plen, "%s.probe-%ld", path, (long)getpid());
            int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0600);
            if (fd < 0) {
                int e = errno;
                rc = kn_error_set(err, KN_EIO, "%s: cannot write: directory '%s' is not writable (%s)",
                                  path, dir, strerror(e));
            } else {
                close(fd);
                unlink(probe);
            }
            free(probe);
        }
    }
    free(dir);
    return rc;
}

/* ---- CSV export ------------------------------------------------------------------- */

typedef enum colkind { K_INT, K_UINT, K_FLOAT, K_STR } colkind;

typedef union cell {
    int64_t i;
    uint64_t u;
    double d;
    char *s;
} cell;

typedef struct col {
    char *name;
    hid_t did;
    hid_t mtype;   /* memory type (owned only for strings) */
    colkind kind;
    hsize_t width; /* 0: 1-D; else the second dimension */
    cell *buf;
    hsize_t nread; /* rows in buf */
} col;

typedef struct colset {
    col *c;
    size_t n, cap;
} colset;

static void col_release(col *c)
{
    if (c->kind == K_STR && c->nread > 0 && c->buf) {
        hsize_t cnt[2] = {c->nread, c->width};
        hid_t ms = H5Screate_simple(c->width ? 2 : 1, cnt, NULL);
        if (ms >= 0) {
            H5Dvlen_reclaim(c->mtype, ms, H5P_DEFAULT, c->buf);
            H5Sclose(ms);
        }
    }
    c->nread = 0;
}

static void col_free(col *c)
{
    col_release(c);
    free(c->buf);
    c->buf = NULL;
    if (c->kind == K_STR)
        close_id(&c->mtype);
    close_id(&c->did);
    free(c->name);
    c->name = NULL;
}

static void colset_free(colset *cs)
{
    for (size_t i = cs->n; i-- > 0;)
        col_free(&cs->c[i]);
    free(cs->c);
    cs->c = NULL;
    cs->n = cs->cap = 0;
}

/* Takes ownership of did (closed also on failure). Returns 0 on an unsupported type. */
static int col_init(col *c, hid_t did, const char *name, hsize_t width, size_t rows_per_block)
{
    memset(c, 0, sizeof *c);
    c->did = did;
    c->mtype = H5I_INVALID_HID;
    c->width = width;
    hid_t t = H5Dget_type(did);
    int ok = 0;
    if (t < 0)
        goto done;
    switch (H5Tget_class(t)) {
    case H5T_INTEGER:
        c->kind = H5Tget_sign(t) == H5T_SGN_NONE ? K_UINT : K_INT;
        c->mtype = c->kind == K_UINT ? H5T_NATIVE_UINT64 : H5T_NATIVE_INT64;
        break;
    case H5T_FLOAT:
        c->kind = K_FLOAT;
        c->mtype = H5T_NATIVE_DOUBLE;
        break;
    case H5T_STRING:
        if (H5Tis_variable_str(t) <= 0)
            goto done;
        c->kind = K_STR;
        if ((c->mtype = vlen_utf8()) < 0)
            goto done;
        break;
    default:
        goto done;
    }
    c->name = strdup(name);
    c->buf = calloc(rows_per_block * (width ? width : 1), sizeof *c->buf);
    ok = c->name && c->buf;
done:
    close_id(&t);
    return ok;
}

static int col_read(col *c, hsize_t row0, hsize_t nrows)
{
    col_release(c);
    if (nrows == 0)
        return 1;
    int ok = 0;
    hsize_t start[2] = {row0, 0}, count[2] = {nrows, c->width};
    hid_t fs = H5I_INVALID_HID, ms = H5I_INVALID_HID;
    if ((fs = H5Dget_space(c->did)) < 0 ||
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
        (ms = H5Screate_simple(c->width ? 2 : 1, count, NULL)) < 0)
        goto done;
    if (H5Dread(c->did, c->mtype, ms, fs, H5P_DEFAULT, c->buf) < 0)
        goto done;
    c->nread = nrows;
    ok = 1;
done:
    close_id(&ms);
    close_id(&fs);
    return ok;
}

/* RFC 4180: quote a field holding a comma, quote, CR or LF (or edge spaces). */
static void csv_text(FILE *f, const char *s)
{
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_cell(FILE *f, const col *c, size_t i)
{
    const cell *v = &c->buf[i];
    switch (c->kind) {
    case K_INT: fprintf(f, "%" PRId64, v->i); break;
    case K_UINT: fprintf(f, "%" PRIu64, v->u); break;
    case K_FLOAT:
        if (!isnan(v->d))
            fprintf(f, "%.17g", v->d);
        break;
    case K_STR: csv_text(f, v->s ? v->s : ""); break;
    }
}

static void csv_header(FILE *f, const col *c, int *first)
{
    if (!c->width) {
        fputs(*first ? "" : ",", f);
        csv_text(f, c->name);
        *first = 0;
        return;
    }
    for (hsize_t k = 0; k < c->width; k++) {
        char name[600];
        snprintf(name, sizeof name, "%s.%llu", c->name, (unsigned long long)k);
        fputs(*first ? "" : ",", f);
        csv_text(f, name);
        *first = 0;
    }
}

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static herr_t collect_name(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    (void)info;
    names *nm = data;
    if (nm->n == nm->cap) {
        size_t nc = nm->cap ? 2 * nm->cap : 64;
        char **nv = realloc(nm->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        nm->v = nv;
        nm->cap = nc;
    }
    if (!(nm->v[nm->n] = strdup(name)))
        return -1;
    nm->n++;
    return 0;
}

static hsize_t ds_len(hid_t did, int *rank, hsize_t *dim1)
{
    hsize_t dims[8] = {0};
    hid_t sp = H5Dget_space(did);
    int r = sp >= 0 ? H5Sget_simple_extent_dims(sp, dims, NULL) : -1;
    close_id(&sp);
    *rank = r;
    *dim1 = r >= 2 ? dims[1] : 0;
    return r >= 1 ? dims[0] : 0;
}

/* Open PREFIX_WHAT.csv as a temporary file beside it (renamed into place when
 * complete); *final and *tmp are allocated even on failure (free both). */
static kn_status csv_open(const char *prefix, const char *what, FILE **f, char **final,
                          char **tmp, kn_error *err)
{
    size_t n = strlen(prefix) + strlen(what) + 64;
    *f = NULL;
    *final = malloc(n);
    *tmp = malloc(n + 32);
    if (!*final || !*tmp)
        return kn_error_set(err, KN_ENOMEM, "%s: out of memory", prefix);
    snprintf(*final, n, "%s_%s.csv", prefix, what);
    snprintf(*tmp, n + 32, "%s.tmp-%ld", *final, (long)getpid());
    *f = fopen(*tmp, "w");
    if (!*f)
        return kn_error_set(err, KN_EIO, "%s: cannot write: %s", *final, strerror(errno));
    return KN_OK;
}

/* Close a CSV written to `tmp`: if everything so far went well (rc == KN_OK), flush it
 * and rename it to `final`; otherwise (or if that fails) remove it. Returns the status. */
static kn_status csv_finish(FILE *f, const char *final, const char *tmp, kn_status rc,
                            kn_error *err)
{
    if (rc != KN_OK) {
        fclose(f);
        unlink(tmp);
        return rc;
    }
    errno = 0;
    int bad = fflush(f) != 0 || ferror(f);
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(tmp, final) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(tmp);
        return kn_error_set(err, KN_EIO, "%s: cannot write: %s", final, strerror(e ? e : EIO));
    }
    return KN_OK;
}

#define EXPORT_BLOCK 4096

typedef struct exporter {
    const char *h5path, *prefix;
    hid_t file;
    hid_t dscen, drun, dper;
    hsize_t n_scen, n_runs, n_per;
    colset scen, runs, series;
    col scen_index, run_index;
    int have_scen_index, have_run_index;
    char **scen_names; /* n_scen, from scenario_name (not owned) */
    double *period_end;
} exporter;

static kn_status export_scenarios(exporter *x, kn_error *err)
{
    char *final = NULL, *tmp = NULL;
    FILE *f;
    kn_status rc = csv_open(x->prefix, "scenarios", &f, &final, &tmp, err);
    if (rc != KN_OK)
        goto done;
    int first = 1;
    csv_header(f, &x->scen_index, &first);
    for (size_t i = 0; i < x->scen.n; i++)
        csv_header(f, &x->scen.c[i], &first);
    fputc('\n', f);
    for (hsize_t s = 0; s < x->n_scen; s++) {
        csv_cell(f, &x->scen_index, s);
        for (size_t i = 0; i < x->scen.n; i++) {
            const col *c = &x->scen.c[i];
            for (hsize_t k = 0; k < (c->width ? c->width : 1); k++) {
                fputc(',', f);
                csv_cell(f, c, s * (c->width ? c->width : 1) + k);
            }
        }
        fputc('\n', f);
    }
    rc = csv_finish(f, final, tmp, rc, err);
done:
    free(final);
    free(tmp);
    return rc;
}

static col *find_col(colset *cs, const char *name)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->c[i].name, name) == 0)
            return &cs->c[i];
    return NULL;
}

static void put_scen_name(FILE *f, const exporter *x, const col *sc, size_t i)
{
    if (!sc || !x->scen_names)
        return;
    int64_t s = sc->buf[i].i;
    if (s >= 0 && (hsize_t)s < x->n_scen && x->scen_names[s])
        csv_text(f, x->scen_names[s]);
}

static kn_status export_runs(exporter *x, kn_error *err)
{
    char *final = NULL, *tmp = NULL;
    FILE *f;
    kn_status rc = csv_open(x->prefix, "runs", &f, &final, &tmp, err);
    if (rc != KN_OK)
        goto done;
    col *sc = find_col(&x->runs, "run_scenario");
    fputs("run,scenario,scenario_name", f);
    for (size_t i = 0; i < x->runs.n; i++)
        if (&x->runs.c[i] != sc) {
            int first = 0;
            csv_header(f, &x->runs.c[i], &first);
        }
    fputc('\n', f);
    for (hsize_t r0 = 0; r0 < x->n_runs && rc == KN_OK; r0 += EXPORT_BLOCK) {
        hsize_t nb = x->n_runs - r0 < EXPORT_BLOCK ? x->n_runs - r0 : EXPORT_BLOCK;
        if (!col_read(&x->run_index, r0, nb)) {
            rc = fail(err, x->h5path, "cannot read dataset 'run'");
            break;
        }
        for (size_t i = 0; i < x->runs.n && rc == KN_OK; i++)
            if (!col_read(&x->runs.c[i], r0, nb))
                rc = fail(err, x->h5path, "cannot read dataset '%s'", x->runs.c[i].name);
        for (hsize_t r = 0; r < nb && rc == KN_OK; r++) {
            csv_cell(f, &x->run_index, r);
            fputc(',', f);
            if (sc)
                csv_cell(f, sc, r);
            fputc(',', f);
            put_scen_name(f, x, sc, r);
            for (size_t i = 0; i < x->runs.n; i++)
                if (&x->runs.c[i] != sc) {
                    fputc(',', f);
                    csv_cell(f, &x->runs.c[i], r);
                }
            fputc('\n', f);
        }
    }
    for (size_t i = 0; i < x->runs.n; i++)
        col_release(&x->runs.c[i]);
    rc = csv_finish(f, final, tmp, rc, err);
done:
    free(final);
    free(tmp);
    return rc;
}

static kn_status export_series(exporter *x, size_t block, kn_error *err)
{
    char *final = NULL, *tmp = NULL;
    FILE *f;
    kn_status rc = csv_open(x->prefix, "series", &f, &final, &tmp, err);
    if (rc != KN_OK)
        goto done;
    col *sc = find_col(&x->runs, "run_scenario"), *rep = find_col(&x->runs, "replication");
    fputs("run,scenario,replication,period,time_days", f);
    for (size_t i = 0; i < x->series.n; i++) {
        fputc(',', f);
        csv_text(f, x->series.c[i].name);
    }
    fputc('\n', f);
    for (hsize_t r0 = 0; r0 < x->n_runs && rc == KN_OK; r0 += block) {
        hsize_t nb = x->n_runs - r0 < block ? x->n_runs - r0 : block;
        if (!col_read(&x->run_index, r0, nb) || (sc && !col_read(sc, r0, nb)) ||
            (rep && !col_read(rep, r0, nb))) {
            rc = fail(err, x->h5path, "cannot read the run table");
            break;
        }
        for (size_t i = 0; i < x->series.n && rc == KN_OK; i++)
            if (!col_read(&x->series.c[i], r0, nb))
                rc = fail(err, x->h5path, "cannot read dataset '%s'", x->series.c[i].name);
        for (hsize_t r = 0; r < nb && rc == KN_OK; r++)
            for (hsize_t k = 0; k < x->n_per; k++) {
                csv_cell(f, &x->run_index, r);
                fputc(',', f);
                if (sc)
                    csv_cell(f, sc, r);
                fputc(',', f);
                if (rep)
                    csv_cell(f, rep, r);
                fprintf(f, ",%llu,", (unsigned long long)k);
                if (!isnan(x->period_end[k]))
                    fprintf(f, "%.17g", x->period_end[k]);
                for (size_t i = 0; i < x->series.n; i++) {
                    fputc(',', f);
                    csv_cell(f, &x->series.c[i], r * x->n_per + k);
                }
                fputc('\n', f);
            }
    }
    rc = csv_finish(f, final, tmp, rc, err);
done:
    free(final);
    free(tmp);
    return rc;
}

static kn_status open_dim(exporter *x, const char *name, hid_t *out, hsize_t *len, kn_error *err)
{
    int rank;
    hsize_t d1;
    if ((*out = H5Dopen2(x->file, name, H5P_DEFAULT)) < 0)
        return fail(err, x->h5path, "not a koning results file: no dimension '%s'", name);
    *len = ds_len(*out, &rank, &d1);
    if (rank != 1)
        return fail(err, x->h5path, "not a koning results file: '%s' is not one-dimensional", name);
    return KN_OK;
}

static kn_status colset_add(colset *cs, exporter *x, hid_t *did, const char *name, hsize_t width,
                            size_t rows, kn_error *err)
{
    if (cs->n == cs->cap) {
        size_t nc = cs->cap ? 2 * cs->cap : 32;
        col *nv = realloc(cs->c, nc * sizeof *nv);
        if (!nv)
            return kn_error_set(err, KN_ENOMEM, "out of memory");
        cs->c = nv;
        cs->cap = nc;
    }
    hid_t d = *did;
    *did = H5I_INVALID_HID;
    if (!col_init(&cs->c[cs->n], d, name, width, rows)) {
        col_free(&cs->c[cs->n]);
        return fail(err, x->h5path, "dataset '%s': unsupported type", name);
    }
    cs->n++;
    return KN_OK;
}

kn_status kn_h5_export_csv(const char *h5path, const char *prefix, kn_error *err)
{
    if (!h5path || !prefix)
        return kn_error_set(err, KN_EINVAL, "kn_h5_export_csv: missing argument");
    quiet q = quiet_begin();
    exporter x;
    memset(&x, 0, sizeof x);
    x.h5path = h5path;
    x.prefix = prefix;
    x.file = x.dscen = x.drun = x.dper = H5I_INVALID_HID;
    names nm = {NULL, 0, 0};
    hid_t did = H5I_INVALID_HID, fapl = H5I_INVALID_HID;
    kn_status rc = KN_OK;
    size_t series_block = 1;

    struct stat st;
    if (stat(h5path, &st) != 0) {
        rc = kn_error_set(err, KN_EIO, "%s: cannot open: %s", h5path, strerror(errno));
        goto done;
    }
    if ((fapl = make_fapl(0)) < 0) {
        rc = fail(err, h5path, "cannot set up HDF5 file properties");
        goto done;
    }
    if ((x.file = H5Fopen(h5path, H5F_ACC_RDONLY, fapl)) < 0) {
        rc = fail(err, h5path, "cannot open as an HDF5 file");
        goto done;
    }
    if ((rc = open_dim(&x, "scenario", &x.dscen, &x.n_scen, err)) != KN_OK ||
        (rc = open_dim(&x, "run", &x.drun, &x.n_runs, err)) != KN_OK ||
        (rc = open_dim(&x, "period", &x.dper, &x.n_per, err)) != KN_OK)
        goto done;
    if (!(x.period_end = malloc((x.n_per ? x.n_per : 1) * sizeof *x.period_end))) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    if (x.n_per && !read_all(x.dper, H5T_NATIVE_DOUBLE, x.period_end)) {
        rc = fail(err, h5path, "cannot read dataset 'period'");
        goto done;
    }
    series_block = x.n_per ? 65536 / x.n_per : EXPORT_BLOCK;
    if (series_block < 1)
        series_block = 1;
    if (series_block > EXPORT_BLOCK)
        series_block = EXPORT_BLOCK;
    /* the index columns: the coordinate datasets themselves */
    hid_t d2 = H5Dopen2(x.file, "scenario", H5P_DEFAULT);
    if (d2 < 0 || !col_init(&x.scen_index, d2, "scenario", 0, x.n_scen ? x.n_scen : 1)) {
        if (d2 >= 0)
            col_free(&x.scen_index);
        rc = fail(err, h5path, "cannot read dataset 'scenario'");
        goto done;
    }
    x.have_scen_index = 1;
    d2 = H5Dopen2(x.file, "run", H5P_DEFAULT);
    if (d2 < 0 || !col_init(&x.run_index, d2, "run", 0, EXPORT_BLOCK)) {
        if (d2 >= 0)
            col_free(&x.run_index);
        rc = fail(err, h5path, "cannot read dataset 'run'");
        goto done;
    }
    x.have_run_index = 1;

    /* every dataset of the root group, in creation order (name order if not tracked) */
    if (H5Literate(x.file, H5_INDEX_CRT_ORDER, H5_ITER_INC, NULL, collect_name, &nm) < 0) {
        for (size_t i = 0; i < nm.n; i++)
            free(nm.v[i]);
        nm.n = 0;
        if (H5Literate(x.file, H5_INDEX_NAME, H5_ITER_INC, NULL, collect_name, &nm) < 0) {
            rc = fail(err, h5path, "cannot list the datasets");
            goto done;
        }
    }
    for (size_t i = 0; i < nm.n && rc == KN_OK; i++) {
        if ((did = H5Oopen(x.file, nm.v[i], H5P_DEFAULT)) < 0) {
            rc = fail(err, h5path, "cannot open '%s'", nm.v[i]);
            break;
        }
        if (H5Iget_type(did) != H5I_DATASET || H5DSis_scale(did) > 0 ||
            strcmp(nm.v[i], "scenario_yaml") == 0) {
            close_id(&did);
            continue;
        }
        int rank;
        hsize_t d1;
        ds_len(did, &rank, &d1);
        if (rank >= 1 && rank <= 2 && H5DSis_attached(did, x.dscen, 0) > 0) {
            rc = colset_add(&x.scen, &x, &did, nm.v[i], rank == 2 ? d1 : 0, x.n_scen ? x.n_scen : 1, err);
        } else if (rank == 1 && H5DSis_attached(did, x.drun, 0) > 0) {
            rc = colset_add(&x.runs, &x, &did, nm.v[i], 0, EXPORT_BLOCK, err);
        } else if (rank == 2 && H5DSis_attached(did, x.drun, 0) > 0 &&
                   H5DSis_attached(did, x.dper, 1) > 0) {
            rc = colset_add(&x.series, &x, &did, nm.v[i], x.n_per, series_block, err);
        }
        close_id(&did);
    }
    if (rc != KN_OK)
        goto done;

    /* the scenario table is small: read it whole */
    if (x.n_scen && !col_read(&x.scen_index, 0, x.n_scen)) {
        rc = fail(err, h5path, "cannot read dataset 'scenario'");
        goto done;
    }
    for (size_t i = 0; i < x.scen.n && rc == KN_OK; i++)
        if (x.n_scen && !col_read(&x.scen.c[i], 0, x.n_scen))
            rc = fail(err, h5path, "cannot read dataset '%s'", x.scen.c[i].name);
    if (rc != KN_OK)
        goto done;
    col *names_col = find_col(&x.scen, "scenario_name");
    if (names_col && names_col->kind == K_STR) {
        if (!(x.scen_names = malloc((x.n_scen ? x.n_scen : 1) * sizeof *x.scen_names))) {
            rc = kn_error_set(err, KN_ENOMEM, "out of memory");
            goto done;
        }
        for (hsize_t s = 0; s < x.n_scen; s++)
            x.scen_names[s] = names_col->buf[s].s;
    }
    if ((rc = export_scenarios(&x, err)) != KN_OK || (rc = export_runs(&x, err)) != KN_OK)
        goto done;
    rc = export_series(&x, series_block, err);
done:
    close_id(&did);
    for (size_t i = 0; i < nm.n; i++)
        free(nm.v[i]);
    free(nm.v);
    free(x.scen_names);
    free(x.period_end);
    colset_free(&x.series);
    colset_free(&x.runs);
    colset_free(&x.scen);
    if (x.have_run_index)
        col_free(&x.run_index);
    if (x.have_scen_index)
        col_free(&x.scen_index);
    close_id(&x.dper);
    close_id(&x.drun);
    close_id(&x.dscen);
    close_id(&x.file);
    close_id(&fapl);
    quiet_end(q);
    return rc;
}
