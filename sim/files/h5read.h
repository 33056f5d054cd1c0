/* h5read.h - read-only access to a koning results file (docs/results.md), for the
 * plotter, the HTML report and the verdict. The file is opened read-only and never
 * modified; every failure is one line naming the file and the dataset or attribute.
 */
#ifndef KONING_H5READ_H
#define KONING_H5READ_H

#include <stddef.h>
#include "koning/error.h"

typedef struct kn_h5r kn_h5r;

/* Open `path` read-only. A missing file, a file that is not HDF5, or an HDF5 file that is
 * not a koning results file (no `scenario` and `run` dimensions) is KN_EIO with a message
 * naming the path and the reason. */
kn_status kn_h5r_open(kn_h5r **out, const char *path, kn_error *err);
/* The same for a file this process has just written and put in place, or has already
 * opened with kn_h5r_open: without reading the whole file first in a child (the probe
 * against damaged files, h5probe.c), which costs as much as writing it. */
kn_status kn_h5r_open_own(kn_h5r **out, const char *path, kn_error *err);
void kn_h5r_close(kn_h5r *r); /* NULL is a no-op */
const char *kn_h5r_path(const kn_h5r *r);

/* Length of a dimension ("scenario", "run", "period", "hour"); 0 when absent. */
size_t kn_h5r_dim(const kn_h5r *r, const char *dim);

/* 1 when a dataset of that name exists in the root group. */
int kn_h5r_exists(const kn_h5r *r, const char *name);

/* A numeric dataset (any integer or float type, 0-, 1- or 2-D) converted to double,
 * row-major; *rows = first dimension (1 for a scalar), *cols = second (1 for 1-D).
 * The caller frees *out. rows or cols may be NULL. */
kn_status kn_h5r_doubles(const kn_h5r *r, const char *name, double **out, size_t *rows,
                         size_t *cols, kn_error *err);

/* Rows [row0, row0 + nrows) of a 2-D numeric dataset [run, period] as doubles, row-major,
 * into buf (nrows x cols doubles). For reading large series blocks without holding all. */
kn_status kn_h5r_rows(const kn_h5r *r, const char *name, size_t row0, size_t nrows, double *buf,
                      kn_error *err);

/* A 1-D string dataset (variable- or fixed-length). The caller frees with
 * kn_h5r_free_strings. */
kn_status kn_h5r_strings(const kn_h5r *r, const char *name, char ***out, size_t *n,
                         kn_error *err);
void kn_h5r_free_strings(char **s, size_t n);

/* A string attribute of the root group (obj = "/") or of a dataset; the caller frees
 * *out. A missing attribute is KN_EIO. */
kn_status kn_h5r_attr_text(const kn_h5r *r, const char *obj, const char *attr, char **out,
                           kn_error *err);
/* A numeric scalar attribute as double. */
kn_status kn_h5r_attr_double(const kn_h5r *r, const char *obj, const char *attr, double *out,
                             kn_error *err);

/* The scalar scenario keys stored in the file (the dotted names of the `coordinates`
 * attribute of `n_runs_ok`, without `scenario_name` and `name`), in file order. The
 * caller frees with kn_h5r_free_strings. */
kn_status kn_h5r_scenario_keys(const kn_h5r *r, char ***keys, size_t *n, kn_error *err);

/* ---- the study at a glance ------------------------------------------------------------ */

/* What almost every reader needs, loaded in one call. */
typedef struct kn_h5r_study {
    char *kind;             /* root attribute kind: "run", "compare" or "sweep" */
    double level;           /* root attribute confidence_level, e.g. 0.95 */
    size_t n_scen;          /* scenarios */
    size_t n_run;           /* runs (rows of the run table) */
    size_t n_period;        /* periods */
    char **scen_name;       /* [n_scen] scenario_name */
    double *warmup_days;    /* [n_scen] run.warmup_days */
    double *days;           /* [n_scen] run.days */
    double *period_end;     /* [n_period] end of each period, days */
    int *run_scenario;      /* [n_run] scenario of each run */
    int *run_ok;            /* [n_run] 1 when status == 0 */
    int organisation;       /* 1 when the organisation metrics are present and not all NaN */
} kn_h5r_study;

kn_status kn_h5r_study_load(const kn_h5r *r, kn_h5r_study *s, kn_error *err);
void kn_h5r_study_free(kn_h5r_study *s);

#endif
