/* h5out_int.h - internals of the results file, shared by its writer (h5out.c, the
 * run table; h5tables.c, the attributes, scenario table and summaries), the CSV export
 * (h5csv.c), the reader (h5read.c) and their HDF5 helpers (h5util.c). Not installed;
 * nothing outside those files includes it.
 */
#ifndef KONING_H5OUT_INT_H
#define KONING_H5OUT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <hdf5.h>
#include "h5out.h"
#include "koning/metrics.h"

#if defined(__GNUC__)
#define KN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define KN_PRINTF(a, b)
#endif

/* ---- HDF5 helpers (h5util.c) ------------------------------------------------------- */

typedef struct kn_h5i_quiet {
    H5E_auto2_t func;
    void *data;
} kn_h5i_quiet;

/* Set HDF5 up before its first use (no exit handler: see h5util.c). Idempotent. */
void kn_h5i_init(void);

/* KN_OK when path is a regular file (HDF5 needs one: it seeks; opening a FIFO would
 * wait for a writer) that HDF5 can read all of without crashing (kn_h5i_probe), else
 * KN_EIO "PATH: cannot open: reason" or "PATH: damaged: ...". */
kn_status kn_h5i_check_input(const char *path, kn_error *err);
/* Read the whole file in a forked child (h5probe.c): KN_EIO "PATH: damaged: ..." if
 * that crashed or did not end. */
kn_status kn_h5i_probe(const char *path, kn_error *err);

/* Silence HDF5's error printing until kn_h5i_quiet_end (kn_h5i_init included). */
kn_h5i_quiet kn_h5i_quiet_begin(void);
void kn_h5i_quiet_end(kn_h5i_quiet q);

/* KN_EIO with "PATH: <what fmt says>", and ": <the system's reason>" when a read or
 * write of the file failed since the last call (e.g. "No space left on device"). */
kn_status kn_h5i_fail(kn_error *err, const char *path, const char *fmt, ...) KN_PRINTF(3, 4);

/* Close any HDF5 handle (nothing if *id < 0) and set *id to H5I_INVALID_HID. */
void kn_h5i_close_id(hid_t *id);

hid_t kn_h5i_vlen_utf8(void);
int kn_h5i_attr_text(hid_t obj, const char *name, const char *value);
int kn_h5i_attr_double(hid_t obj, const char *name, double value);
hid_t kn_h5i_make_fapl(int writing);

/* How a dataset is made. chunk[0] == 0: contiguous (fixed size). */
typedef struct kn_h5i_dsspec {
    const char *name;
    hid_t ftype;
    int rank;
    hsize_t dims[2], maxdims[2], chunk[2];
    int compress; /* shuffle + deflate */
    int nan_fill; /* fill value NaN (float64 only) */
    const char *units, *long_name;
} kn_h5i_dsspec;

hid_t kn_h5i_ds_create(hid_t file, const kn_h5i_dsspec *d);
int kn_h5i_attach(hid_t did, hid_t scale, unsigned idx);
/* Write rows [row0, row0 + nrows) of a dataset (1-D, or 2-D of `width` columns) from
 * data; kn_h5i_write_rows first extends an extendible one to row0 + nrows rows. 1, or
 * 0 on failure. */
int kn_h5i_write_block(hid_t did, hid_t mtype, hsize_t row0, hsize_t nrows, hsize_t width,
                       const void *data);
int kn_h5i_write_rows(hid_t did, hid_t mtype, hsize_t row0, hsize_t nrows, hsize_t width,
                      const void *data);
/* Read the whole dataset into buf; 0 on failure. */
int kn_h5i_read_all(hid_t did, hid_t mtype, void *buf);

/* ---- the writer (h5out.c, h5tables.c) --------------------------------------------- */

enum { RC_SCENARIO, RC_REPLICATION, RC_SEED, RC_STATUS, RC_ERROR, RC_WALL, RC_CUSTOMERS, RC_EVENTS, RC_N };

struct kn_h5 {
    char *path;
    hid_t file;
    int fd;                            /* the file's descriptor inside HDF5 (sec2), -1 if unknown */
    hid_t strtype;                     /* vlen UTF-8 */
    hid_t dim_scenario, dim_run, dim_period;
    hid_t col[RC_N];
    hid_t metric[KN_METRIC_COUNT];
    hid_t series[KN_SERIES_COUNT];
    kn_h5_scenarios src;  /* the file's scenarios, read a block at a time */
    size_t n_scenarios;
    double period_days;   /* shared by every scenario */
    uint32_t n_periods;
    double level;
    uint64_t rows;  /* rows in the file */
    int broken;     /* an earlier write failed: the file is not usable */
    /* rows buffered, not yet in the file */
    size_t batch, nbuf;
    int64_t *b_run, *b_rep, *b_cust, *b_events;
    int32_t *b_scen, *b_status;
    uint64_t *b_seed;
    char **b_error;
    double *b_wall;
    double *b_metric; /* [KN_METRIC_COUNT][batch] */
    double *b_series; /* [KN_SERIES_COUNT][batch][n_periods] */
};

/* A dimension: a coordinate dataset of the same name, set as a dimension scale. */
kn_status kn_h5i_make_dim(kn_h5 *h, const kn_h5i_dsspec *d, hid_t mtype, const void *data,
                          hid_t *out, kn_error *err);
/* The root group's attributes (versions, command line, the first scenario's YAML...). */
kn_status kn_h5i_write_root_attrs(kn_h5 *h, const kn_scenario *sc, const kn_h5_meta *meta,
                                  kn_error *err);
/* The scenario table: one dataset per key, on dimension scenario, written a block of
 * scenarios at a time (read from h->src), so its memory does not grow with them. */
kn_status kn_h5i_write_scenarios(kn_h5 *h, hid_t dim_hour, kn_error *err);
/* Per-scenario mean and CI of every metric over the runs with status 0. */
kn_status kn_h5i_write_summaries(kn_h5 *h, kn_error *err);

#endif
