/* h5out.h - the results file: HDF5 that h5py, pandas and xarray read with no glue
 * (netCDF-4 style: 1-D datasets per column sharing dimension scales, no compound
 * types, units and long_name attributes). Layout: docs/results.md.
 */
#ifndef KONING_H5OUT_H
#define KONING_H5OUT_H

#include <stddef.h>
#include <stdint.h>
#include "koning/error.h"
#include "koning/results.h"
#include "koning/scenario.h"

typedef struct kn_h5_meta {
    const char *kind;         /* "run", "compare" or "sweep" */
    const char *command_line; /* the command that made the file */
    const char *study_text;   /* the sweep file's text, or NULL */
    double level;             /* confidence level of the per-scenario summaries, e.g. 0.95 */
    const char *kernel_version; /* the simulation kernel's version ("3.32.0"), or NULL */
    double last_day;          /* the longest run's run.days: the last period ends there
                               * (0: at n_periods x run.period_days) */
} kn_h5_meta;

typedef struct kn_h5 kn_h5;

/* The scenarios of a results file, read one at a time (a sweep of a million points
 * never holds them all): scenario i (0 <= i < n) into *out. */
typedef struct kn_h5_scenarios {
    size_t n;
    kn_status (*get)(void *user, size_t i, kn_scenario *out, kn_error *err);
    void *user;
} kn_h5_scenarios;

/* Check, before anything is simulated, that `path` can be created: its directory
 * exists and is writable (creates and removes a probe file beside it). */
kn_status kn_h5_check_writable(const char *path, kn_error *err);

/* Create (truncate) the file at `path` with the scenario table filled in (every
 * resolved parameter as a column, the resolved YAML of each scenario; read from
 * `scenarios` a block at a time) and an empty run table; `n_periods` is the length of
 * the period dimension (the longest scenario's). All scenarios must share
 * run.period_days. A study lists the scenarios its runs have reached (study.c), so its
 * file grows with what has run. */
kn_status kn_h5_create_from(kn_h5 **out, const char *path, const kn_h5_scenarios *scenarios,
                            uint32_t n_periods, const kn_h5_meta *meta, kn_error *err);

/* The same for scenarios held in an array. */
kn_status kn_h5_create(kn_h5 **out, const char *path, const kn_scenario *scenarios,
                       size_t n_scenarios, uint32_t n_periods, const kn_h5_meta *meta,
                       kn_error *err);

/* Append one run as the next row of the run table (rows are written in the order given;
 * the caller gives them in canonical order). Time series shorter than n_periods are
 * padded with NaN. */
kn_status kn_h5_append(kn_h5 *h, const kn_run_record *rec, kn_error *err);

/* Write the per-scenario summaries (mean and CI of each metric over the successful
 * runs of each scenario), flush and close. Frees h, also on error. NULL is a no-op. */
kn_status kn_h5_close(kn_h5 *h, kn_error *err);

/* Write the file's tables as CSV: PREFIX_scenarios.csv, PREFIX_runs.csv,
 * PREFIX_series.csv (long format: one row per run and period). */
kn_status kn_h5_export_csv(const char *h5path, const char *prefix, kn_error *err);

#endif
