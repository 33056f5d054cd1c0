/* h5out.c - the results file's writer (layout: docs/results.md): create, append a run,
 * close; and the check, before anything runs, that the file can be written.
 *
 * netCDF-4 compatible HDF5 written with the HDF5 C API and its High-Level dimension
 * scales (H5DS): every dataset lives in the root group, every dimension is a coordinate
 * dataset of the same name set as a dimension scale, strings are variable-length UTF-8,
 * attributes are fixed-length scalar strings. The run table grows by one row per
 * kn_h5_append; rows are buffered and written in blocks of whole chunks (one
 * H5Dset_extent per block), which keeps rebuilding a file of many runs fast. The root
 * attributes, the scenario table and the summaries written at close are in h5tables.c,
 * the HDF5 helpers in h5util.c, the CSV export in h5csv.c.
 *
 * Every HDF5 return is checked. HDF5's own error printing is switched off inside these
 * calls (and restored after) so that the user sees one line naming the file, the
 * dataset or operation that failed and the system's reason (a full disk).
 *
 * A file that failed to write is abandoned: HDF5 1.10 cannot close a file after a
 * failed flush (the close fails too, and the file is left half destroyed), so its
 * descriptor is pointed at an empty in-memory file before it is closed. What HDF5 still
 * writes goes there, the disk space is freed when the caller removes the path, and no
 * exit handler touches the file again (kn_h5i_init).
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include "h5out_int.h"

#define RUN_CHUNK 256            /* rows per chunk of the 1-D run datasets */
#define SERIES_CHUNK_ROWS 64     /* rows per chunk of the [run, period] datasets */
#define CHUNK_DOUBLES 131072     /* cap of a chunk: 1 MiB of float64 */
#define BATCH_DOUBLES (1u << 20) /* cap of the row buffer of the time series: 8 MiB */

/* ---- the writer ------------------------------------------------------------------- */

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
    [RC_WALL] = {"wall_seconds", CT_F64, "s", "wall-clock time of the run (set-up, simulation, results)"},
    [RC_CUSTOMERS] = {"customers", CT_I64, "1", "arrivals in the observation window (after warm-up)"},
    [RC_EVENTS] = {"kernel_events", CT_I64, "1", "kernel events (actor sleeps) of the whole run"},
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
        kn_h5i_close_id(&h->series[s]);
    for (int m = KN_METRIC_COUNT - 1; m >= 0; m--)
        kn_h5i_close_id(&h->metric[m]);
    for (int c = RC_N - 1; c >= 0; c--)
        kn_h5i_close_id(&h->col[c]);
    kn_h5i_close_id(&h->dim_period);
    kn_h5i_close_id(&h->dim_run);
    kn_h5i_close_id(&h->dim_scenario);
    kn_h5i_close_id(&h->strtype);
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
    free(h->b_events);
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

/* Point the file's descriptor at an empty in-memory file (or /dev/null): nothing HDF5
 * writes from now on reaches the disk, and closing the file cannot fail for want of
 * space. */
static void abandon(kn_h5 *h)
{
    if (h->fd < 0)
        return;
    int spare = memfd_create("koning-abandoned", MFD_CLOEXEC);
    if (spare < 0)
        spare = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (spare >= 0) {
        dup2(spare, h->fd);
        close(spare);
    }
    h->fd = -1;
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

/* Empty run-dimension dataset: [0] or [0, n_periods], unlimited, chunked, compressed. */
static kn_status make_run_ds(kn_h5 *h, const char *name, coltype t, int series, const char *units,
                             const char *long_name, hid_t *out, kn_error *err)
{
    kn_h5i_dsspec d = {name, file_type(t, h->strtype), 1, {0, 0}, {H5S_UNLIMITED, 0},
                       {RUN_CHUNK, 0}, t != CT_STR, t == CT_F64, units, long_name};
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
    hid_t did = kn_h5i_ds_create(h->file, &d);
    if (did < 0)
        return kn_h5i_fail(err, h->path, "cannot create dataset '%s'", name);
    if (!kn_h5i_attach(did, h->dim_run, 0) || (series && !kn_h5i_attach(did, h->dim_period, 1))) {
        kn_h5i_close_id(&did);
        return kn_h5i_fail(err, h->path, "cannot attach dimensions to dataset '%s'", name);
    }
    *out = did;
    return KN_OK;
}

static kn_status build(kn_h5 *h, const kn_scenario *sc, const kn_h5_meta *meta, kn_error *err)
{
    kn_status rc = KN_OK;
    hid_t fcpl = H5I_INVALID_HID, fapl = H5I_INVALID_HID, dim_hour = H5I_INVALID_HID;
    int32_t idx[KN_HOURS_PER_DAY];
    double *ends = NULL;

    if ((fcpl = H5Pcreate(H5P_FILE_CREATE)) < 0 ||
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        (fapl = kn_h5i_make_fapl(1)) < 0) {
        rc = kn_h5i_fail(err, h->path, "cannot set up HDF5 file properties");
        goto done;
    }
    errno = 0;
    if ((h->file = H5Fcreate(h->path, H5F_ACC_TRUNC, fcpl, fapl)) < 0) {
        int e = errno;
        rc = kn_h5i_fail(err, h->path, "cannot create the results file%s%s", e ? ": " : "",
                         e ? strerror(e) : "");
        goto done;
    }
    void *handle = NULL;
    if (H5Fget_vfd_handle(h->file, fapl, &handle) >= 0 && handle)
        h->fd = *(int *)handle;
    if ((h->strtype = kn_h5i_vlen_utf8()) < 0) {
        rc = kn_h5i_fail(err, h->path, "cannot make the string type");
        goto done;
    }
    if ((rc = kn_h5i_write_root_attrs(h, sc, meta, err)) != KN_OK)
        goto done;

    /* dimensions (scenario is written with the scenario table) */
    if (!(ends = malloc(h->n_periods * sizeof *ends))) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < KN_HOURS_PER_DAY; i++)
        idx[i] = (int32_t)i;
    for (uint32_t k = 0; k < h->n_periods; k++) { /* the last period ends with the longest run */
        ends[k] = (double)(k + 1) * sc->run.period_days;
        if (meta->last_day > 0.0 && ends[k] > meta->last_day)
            ends[k] = meta->last_day;
    }
    kn_h5i_dsspec dscen = {"scenario", H5T_STD_I32LE, 1, {h->n_scenarios, 0}, {h->n_scenarios, 0},
                           {0, 0}, 0, 0, "1", "index of the scenario in the study"};
    kn_h5i_dsspec drun = {"run", H5T_STD_I64LE, 1, {0, 0}, {H5S_UNLIMITED, 0}, {RUN_CHUNK, 0},
                          1, 0, "1", "canonical index of the run in the study (replication-major)"};
    kn_h5i_dsspec dper = {"period", H5T_IEEE_F64LE, 1, {h->n_periods, 0}, {h->n_periods, 0},
                          {0, 0}, 0, 0, "days",
                          "end of the period, days since the start of the observation (the switch when start.days > 0; warm-up included); the last ends at run.days"};
    kn_h5i_dsspec dhour = {"hour", H5T_STD_I32LE, 1, {KN_HOURS_PER_DAY, 0}, {KN_HOURS_PER_DAY, 0},
                           {0, 0}, 0, 0, "h", "hour of the day (0 = 00:00-01:00)"};
    if ((rc = kn_h5i_make_dim(h, &dscen, H5T_NATIVE_INT32, NULL, &h->dim_scenario, err)) != KN_OK ||
        (rc = kn_h5i_make_dim(h, &drun, H5T_NATIVE_INT64, NULL, &h->dim_run, err)) != KN_OK ||
        (rc = kn_h5i_make_dim(h, &dper, H5T_NATIVE_DOUBLE, ends, &h->dim_period, err)) != KN_OK ||
        (rc = kn_h5i_make_dim(h, &dhour, H5T_NATIVE_INT32, idx, &dim_hour, err)) != KN_OK)
        goto done;
    if (!kn_h5i_attr_text(h->dim_period, "axis", "T")) {
        rc = kn_h5i_fail(err, h->path, "cannot write attribute 'axis' of 'period'");
        goto done;
    }

    if ((rc = kn_h5i_write_scenarios(h, dim_hour, err)) != KN_OK)
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
    kn_h5i_close_id(&dim_hour);
    kn_h5i_close_id(&fapl);
    kn_h5i_close_id(&fcpl);
    return rc;
}

static kn_status from_array(void *user, size_t i, kn_scenario *out, kn_error *err)
{
    (void)err;
    *out = ((const kn_scenario *)user)[i];
    return KN_OK;
}

kn_status kn_h5_create(kn_h5 **out, const char *path, const kn_scenario *scenarios,
                       size_t n_scenarios, uint32_t n_periods, const kn_h5_meta *meta,
                       kn_error *err)
{
    if (out)
        *out = NULL;
    if (!scenarios)
        return kn_error_set(err, KN_EINVAL, "kn_h5_create: missing argument");
    for (size_t s = 1; s < n_scenarios; s++)
        if (scenarios[s].run.period_days != scenarios[0].run.period_days)
            return kn_error_set(err, KN_EINVAL,
                                "%s: all scenarios of a results file must share run.period_days "
                                "(scenario '%s' has %g, scenario '%s' has %g)",
                                path, scenarios[0].name, scenarios[0].run.period_days,
                                scenarios[s].name, scenarios[s].run.period_days);
    kn_h5_scenarios src = {n_scenarios, from_array, (void *)scenarios};
    return kn_h5_create_from(out, path, &src, n_periods, meta, err);
}

kn_status kn_h5_create_from(kn_h5 **out, const char *path, const kn_h5_scenarios *scenarios,
                            uint32_t n_periods, const kn_h5_meta *meta, kn_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !path || !scenarios || !scenarios->get || !meta)
        return kn_error_set(err, KN_EINVAL, "kn_h5_create: missing argument");
    size_t n_scenarios = scenarios->n;
    if (n_scenarios == 0 || n_scenarios > INT32_MAX)
        return kn_error_set(err, KN_EINVAL, "%s: a results file needs 1 .. 2^31-1 scenarios, got %zu",
                            path, n_scenarios);
    if (n_periods == 0)
        return kn_error_set(err, KN_EINVAL, "%s: a results file needs at least one period", path);
    if (!(meta->level > 0.0 && meta->level < 1.0))
        return kn_error_set(err, KN_EINVAL, "%s: confidence level must be in (0, 1), got %g", path,
                            meta->level);
    kn_scenario first;
    KN_CHECK(scenarios->get(scenarios->user, 0, &first, err));

    kn_h5 *h = calloc(1, sizeof *h);
    if (!h)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    h->file = h->strtype = H5I_INVALID_HID;
    h->fd = -1;
    h->dim_scenario = h->dim_run = h->dim_period = H5I_INVALID_HID;
    for (int c = 0; c < RC_N; c++)
        h->col[c] = H5I_INVALID_HID;
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        h->metric[m] = H5I_INVALID_HID;
    for (int s = 0; s < KN_SERIES_COUNT; s++)
        h->series[s] = H5I_INVALID_HID;
    h->src = *scenarios;
    h->n_scenarios = n_scenarios;
    h->period_days = first.run.period_days;
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
    h->b_events = malloc(b * sizeof *h->b_events);
    h->b_scen = malloc(b * sizeof *h->b_scen);
    h->b_status = malloc(b * sizeof *h->b_status);
    h->b_seed = malloc(b * sizeof *h->b_seed);
    h->b_error = calloc(b, sizeof *h->b_error);
    h->b_wall = malloc(b * sizeof *h->b_wall);
    h->b_metric = malloc((size_t)KN_METRIC_COUNT * b * sizeof *h->b_metric);
    h->b_series = malloc(per_row * b * sizeof *h->b_series);
    if (!h->path || !h->b_run || !h->b_rep || !h->b_cust || !h->b_events || !h->b_scen || !h->b_status ||
        !h->b_seed || !h->b_error || !h->b_wall || !h->b_metric || !h->b_series) {
        free_writer(h);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }

    kn_h5i_quiet q = kn_h5i_quiet_begin();
    kn_status rc = build(h, &first, meta, err);
    if (rc != KN_OK) {
        int created = h->file >= 0;
        abandon(h);
        close_handles(h);
        kn_h5i_close_id(&h->file);
        if (created)
            unlink(path);
        free_writer(h);
    } else {
        *out = h;
    }
    kn_h5i_quiet_end(q);
    return rc;
}

static kn_status flush_rows(kn_h5 *h, kn_error *err)
{
    if (h->nbuf == 0)
        return KN_OK;
    hsize_t r0 = h->rows, nb = h->nbuf;
    const void *data[RC_N] = {
        [RC_SCENARIO] = h->b_scen, [RC_REPLICATION] = h->b_rep, [RC_SEED] = h->b_seed,
        [RC_STATUS] = h->b_status, [RC_ERROR] = h->b_error, [RC_WALL] = h->b_wall,
        [RC_CUSTOMERS] = h->b_cust, [RC_EVENTS] = h->b_events,
    };
    kn_status rc = KN_OK;
    if (!kn_h5i_write_rows(h->dim_run, H5T_NATIVE_INT64, r0, nb, 0, h->b_run))
        rc = kn_h5i_fail(err, h->path, "cannot append to dataset 'run' (rows %llu..%llu)",
                         (unsigned long long)r0, (unsigned long long)(r0 + nb - 1));
    for (int c = 0; c < RC_N && rc == KN_OK; c++)
        if (!kn_h5i_write_rows(h->col[c], mem_type(run_cols[c].type, h->strtype), r0, nb, 0, data[c]))
            rc = kn_h5i_fail(err, h->path, "cannot append to dataset '%s'", run_cols[c].name);
    for (int m = 0; m < KN_METRIC_COUNT && rc == KN_OK; m++)
        if (!kn_h5i_write_rows(h->metric[m], H5T_NATIVE_DOUBLE, r0, nb, 0, h->b_metric + (size_t)m * h->batch))
            rc = kn_h5i_fail(err, h->path, "cannot append to dataset '%s'",
                             kn_metric_describe(m)->name);
    for (int s = 0; s < KN_SERIES_COUNT && rc == KN_OK; s++)
        if (!kn_h5i_write_rows(h->series[s], H5T_NATIVE_DOUBLE, r0, nb, h->n_periods,
                        h->b_series + (size_t)s * h->batch * h->n_periods))
            rc = kn_h5i_fail(err, h->path, "cannot append to dataset '%s_by_period'",
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
        return kn_h5i_fail(err, h->path, "not written: an earlier write to this file failed");
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
    h->b_events[i] = (int64_t)rec->result.kernel_events;
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
    kn_h5i_quiet q = kn_h5i_quiet_begin();
    kn_status rc = flush_rows(h, err);
    kn_h5i_quiet_end(q);
    return rc;
}

kn_status kn_h5_close(kn_h5 *h, kn_error *err)
{
    if (!h)
        return KN_OK;
    kn_h5i_quiet q = kn_h5i_quiet_begin();
    kn_status rc = KN_OK;
    if (h->broken)
        rc = kn_h5i_fail(err, h->path, "incomplete: an earlier write to this file failed");
    if (rc == KN_OK)
        rc = flush_rows(h, err);
    if (rc == KN_OK)
        rc = kn_h5i_write_summaries(h, err);
    if (rc == KN_OK && H5Fflush(h->file, H5F_SCOPE_LOCAL) < 0)
        rc = kn_h5i_fail(err, h->path, "cannot flush the results file");
    if (rc != KN_OK)
        abandon(h);
    close_handles(h);
    if (h->file >= 0 && H5Fclose(h->file) < 0 && rc == KN_OK) {
        rc = kn_h5i_fail(err, h->path, "cannot close the results file");
        abandon(h);
    }
    h->file = H5I_INVALID_HID;
    free_writer(h);
    kn_h5i_quiet_end(q);
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
