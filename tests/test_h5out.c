/* test_h5out.c - the results file (sim/h5out.c, docs/results.md).
 *
 * Two scenarios built in code and fake run records (some failed) go through
 * create / append / close; the file is reopened with the plain HDF5 C API and checked:
 * dimensions and their sizes, dimension scales attached, every value back bit for bit,
 * NaN for failed runs and NaN padding of short time series, the attributes, and the
 * per-scenario summaries equal kn_summarize over the successful runs. Also: unwritable
 * paths give KN_EIO and a message naming the file; the CSV export has the right lines
 * and columns; no HDF5 object is left open.
 *
 * With KN_H5_KEEP=/path/file.h5 in the environment, a richer file is also written there
 * (for tests/python/check_results.py). Temporary files go to a mkdtemp directory.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include "h5out.h"
#include "koning/metrics.h"
#include "koning/results.h"
#include "scenario_yaml.h"
#include "koning/stats.h"

/* ---- fixtures ------------------------------------------------------------------- */

static char tmpdir[256];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_h5out.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    return rmdir(dir);
}

static int teardown_dir(void **state)
{
    (void)state;
    return remove_tree(tmpdir);
}

static void tmp_path(char *buf, size_t cap, const char *name)
{
    int n = snprintf(buf, cap, "%s/%s", tmpdir, name);
    assert_true(n > 0 && (size_t)n < cap);
}

static void set(kn_scenario *sc, const char *assignment)
{
    kn_error err = {0};
    kn_status rc = kn_scenario_set(sc, assignment, &err);
    if (rc != KN_OK)
        print_error("%s: %s\n", assignment, err.msg);
    assert_int_equal(rc, KN_OK);
}

#define NSC 2
#define UTF8_NAME "b\xc3\xaata, \"quoted\""

/* Scenario 0: constant arrivals, no patience, 30 days; scenario 1: an hourly profile,
 * lognormal service, exponential patience, 20 days (so a shorter time series). */
static void make_scenarios(kn_scenario sc[NSC])
{
    kn_error err = {0};
    for (int s = 0; s < NSC; s++)
        kn_scenario_defaults(&sc[s]);
    snprintf(sc[0].name, sizeof sc[0].name, "alpha");
    set(&sc[0], "arrivals.per_hour=60");
    set(&sc[0], "service.mean_minutes=1.5");
    set(&sc[0], "staff.employees=2");
    set(&sc[0], "run.days=30");
    set(&sc[0], "run.seed=18446744073709551557"); /* needs all 64 bits */
    snprintf(sc[1].name, sizeof sc[1].name, "%s", UTF8_NAME);
    char prof[512] = "arrivals.profile=[";
    for (int k = 0; k < KN_HOURS_PER_DAY; k++)
        snprintf(prof + strlen(prof), sizeof prof - strlen(prof), "%s%d.25", k ? ", " : "", 10 + k);
    strcat(prof, "]");
    set(&sc[1], prof);
    set(&sc[1], "service.distribution=lognormal");
    set(&sc[1], "service.mean_minutes=2");
    set(&sc[1], "service.cv=0.5");
    set(&sc[1], "patience.distribution=exponential");
    set(&sc[1], "patience.mean_minutes=3");
    set(&sc[1], "staff.employees=3");
    set(&sc[1], "run.days=20");
    for (int s = 0; s < NSC; s++) {
        set(&sc[s], "run.period_days=7");
        assert_int_equal(kn_scenario_check(&sc[s], &err), KN_OK);
    }
}

static uint64_t lcg_state;
static double lcg(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) / 9007199254740992.0;
}

typedef struct study {
    kn_scenario sc[NSC];
    size_t n_sc;
    uint32_t n_periods; /* of the file */
    size_t n_runs;
    kn_run_record *rec;
} study;

/* Records in canonical order (replication-major): run = rep * n_sc + s. */
static void make_records(study *st, size_t reps, uint32_t n_periods, int with_failures)
{
    st->n_periods = n_periods;
    st->n_runs = reps * st->n_sc;
    st->rec = calloc(st->n_runs, sizeof *st->rec);
    assert_non_null(st->rec);
    lcg_state = 42;
    for (size_t r = 0; r < reps; r++)
        for (size_t s = 0; s < st->n_sc; s++) {
            kn_run_record *rec = &st->rec[r * st->n_sc + s];
            rec->run = r * st->n_sc + s;
            rec->scenario = (uint32_t)s;
            rec->replication = r;
            rec->seed = st->sc[s].run.seed;
            rec->result.replication = r;
            rec->result.wall_seconds = 0.01 + lcg();
            int failed = with_failures && ((s == 0 && r == 1) || (s == 1 && r == 2));
            if (failed) {
                rec->status = KN_ESIM;
                snprintf(rec->error, sizeof rec->error, "replication %zu: child killed, signal 9", r);
                for (int m = 0; m < KN_METRIC_COUNT; m++)
                    rec->result.values[m] = NAN;
                continue;
            }
            rec->result.customers = 1000 + (uint64_t)(1000 * lcg());
            for (int m = 0; m < KN_METRIC_COUNT; m++)
                rec->result.values[m] = (double)m + (double)s * 0.5 + lcg();
            uint32_t np = kn_period_count(st->sc[s].run.days, st->sc[s].run.period_days);
            if (np > n_periods)
                np = n_periods;
            rec->result.n_periods = np;
            rec->result.series = malloc((size_t)KN_SERIES_COUNT * np * sizeof(double));
            assert_non_null(rec->result.series);
            for (size_t k = 0; k < (size_t)KN_SERIES_COUNT * np; k++)
                rec->result.series[k] = lcg();
            if (np > 1)
                rec->result.series[1] = NAN; /* a period where a series is not estimable */
        }
}

static void free_records(study *st)
{
    for (size_t i = 0; i < st->n_runs; i++)
        kn_rep_result_clear(&st->rec[i].result);
    free(st->rec);
    st->rec = NULL;
}

static const kn_h5_meta test_meta = {"compare", "koning compare a.yaml b.yaml --out x.h5",
                                     "study: {kind: compare}\n", 0.95, "3.32.0", 30.0};

static void write_file(const study *st, const char *path)
{
    kn_error err = {0};
    kn_h5 *h = NULL;
    kn_status rc = kn_h5_create(&h, path, st->sc, st->n_sc, st->n_periods, &test_meta, &err);
    if (rc != KN_OK)
        print_error("create: %s\n", err.msg);
    assert_int_equal(rc, KN_OK);
    for (size_t i = 0; i < st->n_runs; i++) {
        rc = kn_h5_append(h, &st->rec[i], &err);
        if (rc != KN_OK)
            print_error("append: %s\n", err.msg);
        assert_int_equal(rc, KN_OK);
    }
    rc = kn_h5_close(h, &err);
    if (rc != KN_OK)
        print_error("close: %s\n", err.msg);
    assert_int_equal(rc, KN_OK);
    /* nothing left open in any file, no identifier leaked */
    assert_int_equal(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

static void make_study(study *st, size_t reps, int with_failures)
{
    memset(st, 0, sizeof *st);
    st->n_sc = NSC;
    make_scenarios(st->sc);
    make_records(st, reps, kn_period_count(st->sc[0].run.days, st->sc[0].run.period_days), with_failures);
}

/* ---- readers (plain HDF5 C API) ---------------------------------------------------- */

static hsize_t ds_dims(hid_t f, const char *name, int *rank, hsize_t dims[2])
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0)
        print_error("no dataset '%s'\n", name);
    assert_true(d >= 0);
    hid_t sp = H5Dget_space(d);
    *rank = H5Sget_simple_extent_ndims(sp);
    assert_true(*rank >= 1 && *rank <= 2);
    H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    H5Dclose(d);
    return dims[0];
}

static void read_ds(hid_t f, const char *name, hid_t mtype, void *buf)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0)
        print_error("no dataset '%s'\n", name);
    assert_true(d >= 0);
    assert_true(H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    H5Dclose(d);
}

static double *read_doubles(hid_t f, const char *name, size_t n)
{
    double *v = malloc((n ? n : 1) * sizeof *v);
    assert_non_null(v);
    if (n)
        read_ds(f, name, H5T_NATIVE_DOUBLE, v);
    return v;
}

static int64_t *read_int64s(hid_t f, const char *name, size_t n)
{
    int64_t *v = malloc((n ? n : 1) * sizeof *v);
    assert_non_null(v);
    if (n)
        read_ds(f, name, H5T_NATIVE_INT64, v);
    return v;
}

/* Variable-length UTF-8 strings; free with free_strings. */
static char **read_strings(hid_t f, const char *name, size_t n)
{
    char **v = calloc(n ? n : 1, sizeof *v);
    assert_non_null(v);
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t ft = H5Dget_type(d);
    assert_int_equal(H5Tget_class(ft), H5T_STRING);
    assert_true(H5Tis_variable_str(ft) > 0);
    assert_int_equal(H5Tget_cset(ft), H5T_CSET_UTF8);
    H5Tclose(ft);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    if (n)
        assert_true(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Tclose(t);
    H5Dclose(d);
    return v;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]); /* HDF5's default allocator is malloc */
    free(v);
}

/* A scalar fixed-length string attribute, read into buf. */
static void read_text_attr(hid_t obj, const char *name, char *buf, size_t cap)
{
    assert_true(H5Aexists(obj, name) > 0);
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    assert_true(a >= 0);
    hid_t t = H5Aget_type(a);
    assert_int_equal(H5Tget_class(t), H5T_STRING);
    assert_true(H5Tis_variable_str(t) == 0); /* fixed length: what netCDF tools read best */
    hid_t sp = H5Aget_space(a);
    assert_int_equal(H5Sget_simple_extent_type(sp), H5S_SCALAR);
    H5Sclose(sp);
    size_t size = H5Tget_size(t);
    assert_true(size + 1 <= cap);
    memset(buf, 0, cap);
    assert_true(H5Aread(a, t, buf) >= 0);
    H5Tclose(t);
    H5Aclose(a);
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static int is_attached(hid_t f, const char *name, const char *dim, unsigned idx)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT), s = H5Dopen2(f, dim, H5P_DEFAULT);
    assert_true(d >= 0 && s >= 0);
    htri_t r = H5DSis_attached(d, s, idx);
    H5Dclose(s);
    H5Dclose(d);
    return r > 0;
}

static herr_t check_units(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    int *count = data;
    hid_t o = H5Oopen(g, name, H5P_DEFAULT);
    assert_true(o >= 0);
    if (H5Iget_type(o) == H5I_DATASET) {
        char buf[1024];
        read_text_attr(o, "units", buf, sizeof buf);
        read_text_attr(o, "long_name", buf, sizeof buf);
        assert_true(strlen(buf) > 0); /* long_name */
        hid_t t = H5Dget_type(o);
        assert_true(H5Tget_class(t) != H5T_COMPOUND);
        H5Tclose(t);
        (*count)++;
    }
    H5Oclose(o);
    return 0;
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_round_trip(void **state)
{
    (void)state;
    study st;
    make_study(&st, 4, 1);
    char path[512];
    tmp_path(path, sizeof path, "round.h5");
    write_file(&st, path);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    size_t R = st.n_runs, P = st.n_periods;
    int rank;
    hsize_t dims[2];

    /* dimensions: coordinate datasets that are dimension scales named after themselves */
    const char *dimnames[] = {"scenario", "run", "period", "hour"};
    hsize_t dimlens[] = {NSC, R, P, KN_HOURS_PER_DAY};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(ds_dims(f, dimnames[i], &rank, dims), dimlens[i]);
        assert_int_equal(rank, 1);
        hid_t d = H5Dopen2(f, dimnames[i], H5P_DEFAULT);
        assert_true(H5DSis_scale(d) > 0);
        char nm[64] = "";
        assert_true(H5DSget_scale_name(d, nm, sizeof nm) > 0);
        assert_string_equal(nm, dimnames[i]);
        H5Dclose(d);
    }
    /* the run dimension is unlimited and chunked */
    {
        hid_t d = H5Dopen2(f, "p_wait", H5P_DEFAULT), sp = H5Dget_space(d);
        hsize_t cur[1], max[1];
        H5Sget_simple_extent_dims(sp, cur, max);
        assert_true(max[0] == H5S_UNLIMITED);
        hid_t pl = H5Dget_create_plist(d);
        assert_int_equal(H5Pget_layout(pl), H5D_CHUNKED);
        assert_true(H5Pget_nfilters(pl) == 2); /* shuffle + deflate */
        H5Pclose(pl);
        H5Sclose(sp);
        H5Dclose(d);
    }

    /* coordinates */
    int64_t *scen = read_int64s(f, "scenario", NSC);
    int64_t *hour = read_int64s(f, "hour", KN_HOURS_PER_DAY);
    double *period = read_doubles(f, "period", P);
    for (int s = 0; s < NSC; s++)
        assert_int_equal(scen[s], s);
    for (int k = 0; k < KN_HOURS_PER_DAY; k++)
        assert_int_equal(hour[k], k);
    /* weekly ends; the last period ends with the longest run (30 days), not at 35 */
    for (size_t k = 0; k + 1 < P; k++)
        assert_true(period[k] == (double)(k + 1) * 7.0);
    assert_true(period[P - 1] == 30.0);
    free(scen);
    free(hour);
    free(period);

    /* the run table */
    int64_t *run = read_int64s(f, "run", R), *rsc = read_int64s(f, "run_scenario", R);
    int64_t *rep = read_int64s(f, "replication", R), *status = read_int64s(f, "status", R);
    int64_t *cust = read_int64s(f, "customers", R);
    uint64_t *seed = malloc(R * sizeof *seed);
    read_ds(f, "seed", H5T_NATIVE_UINT64, seed);
    double *wall = read_doubles(f, "wall_seconds", R);
    char **error = read_strings(f, "error", R);
    const char *runcols[] = {"run_scenario", "replication", "seed", "status", "error",
                             "wall_seconds", "customers"};
    for (size_t i = 0; i < sizeof runcols / sizeof runcols[0]; i++) {
        assert_int_equal(ds_dims(f, runcols[i], &rank, dims), R);
        assert_true(is_attached(f, runcols[i], "run", 0));
    }
    for (size_t i = 0; i < R; i++) {
        const kn_run_record *rec = &st.rec[i];
        assert_int_equal(run[i], (int64_t)rec->run);
        assert_int_equal(rsc[i], rec->scenario);
        assert_int_equal(rep[i], (int64_t)rec->replication);
        assert_true(seed[i] == rec->seed);
        assert_int_equal(status[i], rec->status);
        assert_int_equal(cust[i], (int64_t)rec->result.customers);
        assert_true(same_double(wall[i], rec->result.wall_seconds));
        assert_non_null(error[i]);
        assert_string_equal(error[i], rec->status == KN_OK ? "" : rec->error);
    }
    assert_true(seed[0] == 18446744073709551557ULL);
    free(run);
    free(rsc);
    free(rep);
    free(status);
    free(cust);
    free(seed);
    free(wall);
    free_strings(error, R);

    /* metrics: bit for bit, NaN for failed runs */
    int n_failed_seen = 0;
    for (int m = 0; m < KN_METRIC_COUNT; m++) {
        const char *name = kn_metric_describe(m)->name;
        assert_int_equal(ds_dims(f, name, &rank, dims), R);
        assert_true(is_attached(f, name, "run", 0));
        double *v = read_doubles(f, name, R);
        for (size_t i = 0; i < R; i++) {
            if (st.rec[i].status != KN_OK) {
                assert_true(isnan(v[i]));
                n_failed_seen++;
            } else {
                assert_true(same_double(v[i], st.rec[i].result.values[m]));
            }
        }
        free(v);
    }
    assert_int_equal(n_failed_seen, 2 * KN_METRIC_COUNT);

    /* time series: [run, period], NaN-padded, all NaN for failed runs */
    int padded = 0;
    for (int s = 0; s < KN_SERIES_COUNT; s++) {
        char name[256];
        snprintf(name, sizeof name, "%s_by_period", kn_series_describe(s)->name);
        assert_int_equal(ds_dims(f, name, &rank, dims), R);
        assert_int_equal(rank, 2);
        assert_int_equal(dims[1], P);
        assert_true(is_attached(f, name, "run", 0));
        assert_true(is_attached(f, name, "period", 1));
        double *v = read_doubles(f, name, R * P);
        for (size_t i = 0; i < R; i++) {
            const kn_rep_result *res = &st.rec[i].result;
            for (size_t k = 0; k < P; k++) {
                double got = v[i * P + k];
                if (st.rec[i].status != KN_OK || k >= res->n_periods) {
                    assert_true(isnan(got));
                    padded += st.rec[i].status == KN_OK;
                } else {
                    assert_true(same_double(got, res->series[(size_t)s * res->n_periods + k]));
                }
            }
        }
        free(v);
    }
    assert_true(padded > 0); /* scenario 1 is shorter: its rows are padded */

    /* the scenario table */
    char **names = read_strings(f, "scenario_name", NSC);
    assert_string_equal(names[0], "alpha");
    assert_string_equal(names[1], UTF8_NAME);
    free_strings(names, NSC);
    assert_true(is_attached(f, "scenario_name", "scenario", 0));
    char **yaml = read_strings(f, "scenario_yaml", NSC);
    for (int s = 0; s < NSC; s++) { /* the YAML reads back to the same scenario */
        kn_scenario back;
        kn_error err = {0};
        assert_int_equal(kn_scenario_load_string(&back, yaml[s], strlen(yaml[s]), "yaml", &err), KN_OK);
        assert_string_equal(back.name, st.sc[s].name);
        assert_int_equal(back.staff.employees, st.sc[s].staff.employees);
        assert_true(back.run.seed == st.sc[s].run.seed);
    }
    free_strings(yaml, NSC);
    for (size_t i = 0; i < kn_param_count(); i++) {
        const kn_param *p = kn_param_at(i);
        assert_true(is_attached(f, p->path, "scenario", 0));
        ds_dims(f, p->path, &rank, dims);
        assert_int_equal(dims[0], NSC);
        char buf[1024];
        hid_t d = H5Dopen2(f, p->path, H5P_DEFAULT);
        read_text_attr(d, "units", buf, sizeof buf);
        assert_string_equal(buf, p->unit);
        read_text_attr(d, "long_name", buf, sizeof buf);
        assert_string_equal(buf, p->help);
        H5Dclose(d);
        switch (p->type) {
        case KN_PT_STRING:
        case KN_PT_DIST_KIND: {
            char **v = read_strings(f, p->path, NSC);
            if (p->type == KN_PT_STRING) {
                for (int s = 0; s < NSC; s++)
                    assert_string_equal(v[s], (const char *)&st.sc[s] + p->offset);
            } else {
                for (int s = 0; s < NSC; s++)
                    assert_true(strstr("none exponential lognormal deterministic", v[s]) != NULL);
            }
            free_strings(v, NSC);
            break;
        }
        case KN_PT_UINT64: {
            uint64_t v[NSC];
            read_ds(f, p->path, H5T_NATIVE_UINT64, v);
            for (int s = 0; s < NSC; s++) {
                uint64_t want;
                memcpy(&want, (const char *)&st.sc[s] + p->offset, sizeof want);
                assert_true(v[s] == want);
            }
            break;
        }
        case KN_PT_INT:
        case KN_PT_DOUBLE: {
            double v[NSC];
            read_ds(f, p->path, H5T_NATIVE_DOUBLE, v);
            for (int s = 0; s < NSC; s++) /* a key the scenario does not use is NaN */
                assert_true(isnan(v[s]) || v[s] == kn_param_get_number(&st.sc[s], p, 0));
            break;
        }
        case KN_PT_DOUBLE_ARRAY: {
            assert_int_equal(rank, 2);
            assert_int_equal(dims[1], p->count);
            double *v = read_doubles(f, p->path, NSC * p->count);
            for (int s = 0; s < NSC; s++)
                for (size_t k = 0; k < p->count; k++)
                    assert_true(isnan(v[s * p->count + k]) ||
                                v[s * p->count + k] == kn_param_get_number(&st.sc[s], p, k));
            free(v);
            break;
        }
        }
    }
    {
        /* specific values, including keys a scenario does not use (NaN) */
        double v[NSC];
        read_ds(f, "staff.employees", H5T_NATIVE_DOUBLE, v);
        assert_true(v[0] == 2 && v[1] == 3);
        read_ds(f, "patience.mean_minutes", H5T_NATIVE_DOUBLE, v);
        assert_true(isnan(v[0]) && v[1] == 3.0);
        read_ds(f, "arrivals.per_hour", H5T_NATIVE_DOUBLE, v);
        assert_true(v[0] == 60.0 && isnan(v[1]));
        double *prof = read_doubles(f, "arrivals.profile", NSC * KN_HOURS_PER_DAY);
        assert_true(isnan(prof[0]) && prof[KN_HOURS_PER_DAY] == 10.25 &&
                    prof[2 * KN_HOURS_PER_DAY - 1] == 33.25);
        free(prof);
        assert_true(is_attached(f, "arrivals.profile", "hour", 1));
        char **dist = read_strings(f, "service.distribution", NSC);
        assert_string_equal(dist[0], "exponential");
        assert_string_equal(dist[1], "lognormal");
        free_strings(dist, NSC);
        dist = read_strings(f, "patience.distribution", NSC);
        assert_string_equal(dist[0], "none");
        assert_string_equal(dist[1], "exponential");
        free_strings(dist, NSC);
    }

    /* summaries: kn_summarize over the successful runs of each scenario, in row order */
    int64_t *nok = read_int64s(f, "n_runs_ok", NSC), *nfail = read_int64s(f, "n_runs_failed", NSC);
    assert_int_equal(nok[0], 3);
    assert_int_equal(nok[1], 3);
    assert_int_equal(nfail[0], 1);
    assert_int_equal(nfail[1], 1);
    free(nok);
    free(nfail);
    for (int m = 0; m < KN_METRIC_COUNT; m++) {
        const kn_metric_info *mi = kn_metric_describe(m);
        char name[256];
        double got[3][NSC];
        const char *suffix[3] = {"mean", "ci_low", "ci_high"};
        for (int j = 0; j < 3; j++) {
            snprintf(name, sizeof name, "%s_%s", mi->name, suffix[j]);
            assert_true(is_attached(f, name, "scenario", 0));
            read_ds(f, name, H5T_NATIVE_DOUBLE, got[j]);
            hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
            char buf[4096];
            read_text_attr(d, "coordinates", buf, sizeof buf);
            assert_non_null(strstr(buf, "staff.employees"));
            assert_non_null(strstr(buf, "scenario_name"));
            assert_null(strstr(buf, "arrivals.profile"));
            read_text_attr(d, "units", buf, sizeof buf);
            assert_string_equal(buf, mi->unit);
            H5Dclose(d);
        }
        for (int s = 0; s < NSC; s++) {
            double x[64];
            size_t n = 0;
            for (size_t i = 0; i < R; i++)
                if (st.rec[i].scenario == (uint32_t)s && st.rec[i].status == KN_OK)
                    x[n++] = st.rec[i].result.values[m];
            kn_summary sum;
            assert_int_equal(kn_summarize(x, n, 1, 0.95, &sum, NULL), KN_OK);
            assert_true(same_double(got[0][s], sum.mean));
            assert_true(same_double(got[1][s], sum.ci_low));
            assert_true(same_double(got[2][s], sum.ci_high));
            assert_true(sum.ci_low < sum.mean && sum.mean < sum.ci_high);
        }
    }

    /* root attributes */
    char buf[16384];
    read_text_attr(f, "Conventions", buf, sizeof buf);
    assert_string_equal(buf, "CF-1.8");
    read_text_attr(f, "kind", buf, sizeof buf);
    assert_string_equal(buf, "compare");
    read_text_attr(f, "command_line", buf, sizeof buf);
    assert_string_equal(buf, test_meta.command_line);
    read_text_attr(f, "study", buf, sizeof buf);
    assert_string_equal(buf, test_meta.study_text);
    read_text_attr(f, "koning_version", buf, sizeof buf);
    assert_true(strlen(buf) > 0);
    read_text_attr(f, "simgrid_version", buf, sizeof buf);
    assert_true(strncmp(buf, "3.", 2) == 0);
    read_text_attr(f, "hdf5_version", buf, sizeof buf);
    unsigned maj, mnr, rel;
    H5get_libversion(&maj, &mnr, &rel);
    char want[64];
    snprintf(want, sizeof want, "%u.%u.%u", maj, mnr, rel);
    assert_string_equal(buf, want);
    read_text_attr(f, "rng", buf, sizeof buf);
    assert_non_null(strstr(buf, "Philox4x64-10"));
    read_text_attr(f, "scenario", buf, sizeof buf);
    assert_non_null(strstr(buf, "alpha"));
    {
        hid_t a = H5Aopen(f, "confidence_level", H5P_DEFAULT);
        double lvl = 0;
        assert_true(a >= 0 && H5Aread(a, H5T_NATIVE_DOUBLE, &lvl) >= 0);
        assert_true(lvl == 0.95);
        H5Aclose(a);
    }
    /* every dataset has units and long_name, none is compound */
    int count = 0;
    assert_true(H5Literate(f, H5_INDEX_NAME, H5_ITER_INC, NULL, check_units, &count) >= 0);
    assert_true(count == 4 + 2 + (int)kn_param_count() + 8 + KN_METRIC_COUNT + KN_SERIES_COUNT +
                             3 * KN_METRIC_COUNT + 2);
    assert_true(H5Fclose(f) >= 0);
    if (getenv("KN_H5_KEEP_ROUND")) /* debugging aid */
        rename(path, getenv("KN_H5_KEEP_ROUND"));
    free_records(&st);
}

/* More rows than a write block, and a period count that makes the block small. */
static void check_many(size_t reps, uint32_t n_periods, const char *file)
{
    study st;
    memset(&st, 0, sizeof st);
    st.n_sc = NSC;
    make_scenarios(st.sc);
    make_records(&st, reps, n_periods, 0);
    char path[512];
    tmp_path(path, sizeof path, file);
    write_file(&st, path);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    size_t R = st.n_runs, P = n_periods;
    int64_t *run = read_int64s(f, "run", R);
    double *u = read_doubles(f, "utilization", R);
    double *sp = read_doubles(f, "p_wait_by_period", R * P);
    for (size_t i = 0; i < R; i++) {
        assert_int_equal(run[i], (int64_t)i);
        assert_true(same_double(u[i], st.rec[i].result.values[KN_M_UTILIZATION]));
        const kn_rep_result *res = &st.rec[i].result;
        for (size_t k = 0; k < P; k++)
            assert_true(same_double(sp[i * P + k], k < res->n_periods ?
                                    res->series[(size_t)KN_S_P_WAIT * res->n_periods + k] : NAN));
    }
    free(run);
    free(u);
    free(sp);
    int64_t nok[NSC];
    read_ds(f, "n_runs_ok", H5T_NATIVE_INT64, nok);
    assert_true(nok[0] == (int64_t)reps && nok[1] == (int64_t)reps);
    assert_true(H5Fclose(f) >= 0);
    free_records(&st);
}

static void test_many_rows(void **state)
{
    (void)state;
    check_many(300, 5, "many.h5");      /* 600 rows: blocks of 256 and a partial one */
}

static void test_long_series(void **state)
{
    (void)state;
    /* 30000 periods: the write block shrinks to a few rows, the chunk is capped at 1 MiB */
    study st;
    memset(&st, 0, sizeof st);
    st.n_sc = NSC;
    make_scenarios(st.sc);
    set(&st.sc[0], "run.period_days=0.001");
    set(&st.sc[1], "run.period_days=0.001");
    make_records(&st, 6, 30000, 0);
    char path[512];
    tmp_path(path, sizeof path, "long.h5");
    write_file(&st, path);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "utilization_by_period", H5P_DEFAULT);
    hid_t pl = H5Dget_create_plist(d);
    hsize_t chunk[2];
    assert_int_equal(H5Pget_chunk(pl, 2, chunk), 2);
    assert_true(chunk[0] * chunk[1] * 8 <= (1u << 20));
    H5Pclose(pl);
    H5Dclose(d);
    size_t R = st.n_runs, P = 30000;
    double *v = read_doubles(f, "utilization_by_period", R * P);
    for (size_t i = 0; i < R; i++) {
        const kn_rep_result *res = &st.rec[i].result;
        for (size_t k = 0; k < P; k += 997)
            assert_true(same_double(v[i * P + k], k < res->n_periods ?
                                    res->series[(size_t)KN_S_UTILIZATION * res->n_periods + k] : NAN));
    }
    free(v);
    double *period = read_doubles(f, "period", P);
    assert_true(fabs(period[P - 1] - 30.0) < 1e-9);
    free(period);
    assert_true(H5Fclose(f) >= 0);
    free_records(&st);
}

static void test_no_runs(void **state)
{
    (void)state;
    study st;
    make_study(&st, 0, 0);
    char path[512];
    tmp_path(path, sizeof path, "empty.h5");
    write_file(&st, path);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    int rank;
    hsize_t dims[2];
    assert_int_equal(ds_dims(f, "run", &rank, dims), 0);
    assert_int_equal(ds_dims(f, "p_wait_by_period", &rank, dims), 0);
    double v[NSC];
    read_ds(f, "p_wait_mean", H5T_NATIVE_DOUBLE, v);
    assert_true(isnan(v[0]) && isnan(v[1]));
    int64_t n[NSC];
    read_ds(f, "n_runs_ok", H5T_NATIVE_INT64, n);
    assert_true(n[0] == 0 && n[1] == 0);
    assert_true(H5Fclose(f) >= 0);
    /* exporting an empty file gives headers only */
    char prefix[512], csv[600];
    tmp_path(prefix, sizeof prefix, "empty");
    kn_error err = {0};
    assert_int_equal(kn_h5_export_csv(path, prefix, &err), KN_OK);
    snprintf(csv, sizeof csv, "%s_runs.csv", prefix);
    FILE *fp = fopen(csv, "r");
    assert_non_null(fp);
    int lines = 0, ch;
    while ((ch = fgetc(fp)) != EOF)
        lines += ch == '\n';
    fclose(fp);
    assert_int_equal(lines, 1);
    free_records(&st);
}

static void test_one_ok_run_is_nan(void **state)
{
    (void)state;
    study st;
    make_study(&st, 2, 1); /* scenario 0: replication 1 failed, so one ok run: no CI */
    char path[512];
    tmp_path(path, sizeof path, "one.h5");
    write_file(&st, path);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    double mean[NSC], lo[NSC];
    read_ds(f, "p_wait_mean", H5T_NATIVE_DOUBLE, mean);
    read_ds(f, "p_wait_ci_low", H5T_NATIVE_DOUBLE, lo);
    assert_true(isnan(mean[0]) && isnan(lo[0]));
    assert_true(!isnan(mean[1]) && !isnan(lo[1]));
    assert_true(H5Fclose(f) >= 0);
    free_records(&st);
}

static void test_unwritable(void **state)
{
    (void)state;
    kn_error err = {0};
    char path[512], file[512];

    tmp_path(path, sizeof path, "nodir/x.h5");
    assert_int_equal(kn_h5_check_writable(path, &err), KN_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_non_null(strstr(err.msg, "nodir'"));

    /* the directory is a regular file */
    tmp_path(file, sizeof file, "plain");
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    tmp_path(path, sizeof path, "plain/x.h5");
    memset(&err, 0, sizeof err);
    assert_int_equal(kn_h5_check_writable(path, &err), KN_EIO);
    assert_non_null(strstr(err.msg, "not a directory"));
    unlink(file);

    /* the path is a directory */
    memset(&err, 0, sizeof err);
    assert_int_equal(kn_h5_check_writable(tmpdir, &err), KN_EIO);
    assert_non_null(strstr(err.msg, "is a directory"));

    /* a good path: OK, and the probe is gone */
    tmp_path(path, sizeof path, "fine.h5");
    assert_int_equal(kn_h5_check_writable(path, NULL), KN_OK);
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    while ((e = readdir(d)))
        assert_null(strstr(e->d_name, ".probe-"));
    closedir(d);
    assert_true(access(path, F_OK) != 0);

    /* create itself fails cleanly with the file named, HDF5 printing nothing */
    study st;
    make_study(&st, 0, 0);
    tmp_path(path, sizeof path, "nodir/x.h5");
    kn_h5 *h = (kn_h5 *)&st; /* must be reset to NULL */
    memset(&err, 0, sizeof err);
    assert_int_equal(kn_h5_create(&h, path, st.sc, NSC, 5, &test_meta, &err), KN_EIO);
    assert_null(h);
    assert_int_equal(err.code, KN_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_int_equal(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
    free_records(&st);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    study st;
    make_study(&st, 1, 0);
    kn_error err = {0};
    kn_h5 *h = NULL;
    char path[512];
    tmp_path(path, sizeof path, "bad.h5");
    assert_int_equal(kn_h5_close(NULL, &err), KN_OK);

    kn_scenario two[2] = {st.sc[0], st.sc[1]};
    two[1].run.period_days = 1.0;
    assert_int_equal(kn_h5_create(&h, path, two, 2, 5, &test_meta, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "run.period_days"));
    assert_null(h);
    assert_int_equal(kn_h5_create(&h, path, st.sc, 0, 5, &test_meta, &err), KN_EINVAL);
    assert_int_equal(kn_h5_create(&h, path, st.sc, 2, 0, &test_meta, &err), KN_EINVAL);
    kn_h5_meta bad = test_meta;
    bad.level = 1.0;
    assert_int_equal(kn_h5_create(&h, path, st.sc, 2, 5, &bad, &err), KN_EINVAL);
    assert_true(access(path, F_OK) != 0);

    /* a file with 2 periods: a run of 5 periods, or of an unknown scenario, is refused */
    assert_int_equal(kn_h5_create(&h, path, st.sc, 2, 2, &test_meta, &err), KN_OK);
    assert_int_equal(kn_h5_append(h, &st.rec[0], &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "periods"));
    kn_run_record r = st.rec[1];
    r.scenario = 7;
    assert_int_equal(kn_h5_append(h, &r, &err), KN_EINVAL);
    /* a failed run without a message gets its status's description */
    r.scenario = 1;
    r.status = KN_ESIM;
    r.error[0] = '\0';
    kn_rep_result_clear(&st.rec[1].result);
    r.result = st.rec[1].result;
    assert_int_equal(kn_h5_append(h, &r, &err), KN_OK);
    assert_int_equal(kn_h5_close(h, &err), KN_OK);
    assert_int_equal(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    char **msg = read_strings(f, "error", 1);
    assert_string_equal(msg[0], kn_strerror(KN_ESIM));
    free_strings(msg, 1);
    double v[2];
    read_ds(f, "p_wait_by_period", H5T_NATIVE_DOUBLE, v);
    assert_true(isnan(v[0]) && isnan(v[1]));
    assert_true(H5Fclose(f) >= 0);
    free_records(&st);
}

static int count_lines(const char *path, char *header, size_t cap)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        print_error("cannot open %s\n", path);
    assert_non_null(fp);
    assert_non_null(fgets(header, (int)cap, fp));
    int lines = 1, ch;
    while ((ch = fgetc(fp)) != EOF)
        lines += ch == '\n';
    fclose(fp);
    return lines;
}

static void test_export_csv(void **state)
{
    (void)state;
    study st;
    make_study(&st, 4, 1);
    char path[512], prefix[512], csv[600];
    tmp_path(path, sizeof path, "exp.h5");
    tmp_path(prefix, sizeof prefix, "exp");
    write_file(&st, path);
    kn_error err = {0};
    kn_status rc = kn_h5_export_csv(path, prefix, &err);
    if (rc != KN_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, KN_OK);
    assert_int_equal(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
    static char header[1 << 16];

    snprintf(csv, sizeof csv, "%s_scenarios.csv", prefix);
    assert_int_equal(count_lines(csv, header, sizeof header), 1 + NSC);
    assert_true(strncmp(header, "scenario,scenario_name,", 23) == 0);
    assert_non_null(strstr(header, ",staff.employees,"));
    assert_non_null(strstr(header, ",arrivals.profile.0,"));
    assert_non_null(strstr(header, ",arrivals.profile.23,"));
    assert_non_null(strstr(header, ",p_wait_mean,p_wait_ci_low,p_wait_ci_high,"));
    assert_non_null(strstr(header, ",n_runs_ok,n_runs_failed\n"));
    assert_null(strstr(header, "scenario_yaml"));
    {
        FILE *fp = fopen(csv, "r");
        char line[1 << 15];
        assert_non_null(fgets(line, sizeof line, fp));
        assert_non_null(fgets(line, sizeof line, fp));
        assert_true(strncmp(line, "0,alpha,", 8) == 0);
        assert_non_null(fgets(line, sizeof line, fp));
        assert_true(strncmp(line, "1,\"b\xc3\xaata, \"\"quoted\"\"\",", 22) == 0);
        fclose(fp);
    }

    snprintf(csv, sizeof csv, "%s_runs.csv", prefix);
    assert_int_equal(count_lines(csv, header, sizeof header), 1 + (int)st.n_runs);
    assert_true(strncmp(header, "run,scenario,scenario_name,replication,seed,status,error,"
                                "wall_seconds,customers,", 80) == 0);
    for (int m = 0; m < KN_METRIC_COUNT; m++) {
        char col[300];
        snprintf(col, sizeof col, ",%s%s", kn_metric_describe(m)->name,
                 m == KN_METRIC_COUNT - 1 ? "\n" : ",");
        assert_non_null(strstr(header, col));
    }
    {
        FILE *fp = fopen(csv, "r");
        char line[1 << 15];
        assert_non_null(fgets(line, sizeof line, fp));
        assert_non_null(fgets(line, sizeof line, fp)); /* run 0: alpha, ok */
        assert_true(strncmp(line, "0,0,alpha,0,18446744073709551557,0,,", 36) == 0);
        assert_non_null(fgets(line, sizeof line, fp)); /* run 1 */
        assert_non_null(fgets(line, sizeof line, fp)); /* run 2: alpha replication 1 failed */
        assert_non_null(strstr(line, ",\"replication 1: child killed, signal 9\","));
        size_t n = strlen(line); /* metrics of a failed run are empty cells */
        assert_true(n > KN_METRIC_COUNT && line[n - 2] == ',');
        fclose(fp);
    }

    snprintf(csv, sizeof csv, "%s_series.csv", prefix);
    assert_int_equal(count_lines(csv, header, sizeof header), 1 + (int)(st.n_runs * st.n_periods));
    assert_true(strncmp(header, "run,scenario,replication,period,time_days,", 42) == 0);
    for (int s = 0; s < KN_SERIES_COUNT; s++) {
        char col[300];
        snprintf(col, sizeof col, ",%s_by_period", kn_series_describe(s)->name);
        assert_non_null(strstr(header, col));
    }

    /* errors name the file */
    char missing[512];
    tmp_path(missing, sizeof missing, "missing.h5");
    memset(&err, 0, sizeof err);
    assert_int_equal(kn_h5_export_csv(missing, prefix, &err), KN_EIO);
    assert_non_null(strstr(err.msg, missing));
    tmp_path(prefix, sizeof prefix, "nodir/exp");
    memset(&err, 0, sizeof err);
    assert_int_equal(kn_h5_export_csv(path, prefix, &err), KN_EIO);
    assert_non_null(strstr(err.msg, "nodir/exp_scenarios.csv"));
    /* not an HDF5 file */
    tmp_path(csv, sizeof csv, "exp_runs.csv");
    memset(&err, 0, sizeof err);
    assert_int_equal(kn_h5_export_csv(csv, prefix, &err), KN_EIO);
    assert_non_null(strstr(err.msg, csv));
    assert_int_equal(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
    free_records(&st);
}

/* Writing and exporting many files does not grow the heap: no HDF5 identifier (dataspace,
 * type, property list) nor buffer is leaked. HDF5 frees its identifiers at exit, so
 * valgrind alone would not see such a leak. */
static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static void test_no_leak_over_many_files(void **state)
{
    (void)state;
    study st;
    make_study(&st, 2, 1);
    char path[512], prefix[512];
    tmp_path(path, sizeof path, "cycle.h5");
    tmp_path(prefix, sizeof prefix, "cycle");
    size_t warm = 0;
    for (int i = 0; i < 40; i++) {
        write_file(&st, path);
        kn_error err = {0};
        assert_int_equal(kn_h5_export_csv(path, prefix, &err), KN_OK);
        if (i == 14) /* HDF5's free lists grow for a while, then stay */
            warm = heap_in_use();
    }
    size_t end = heap_in_use();
    if (end > warm + 131072) /* one leaked dataspace per dataset would be ~1 MiB */
        print_error("heap grew by %zu bytes over 25 files\n", end - warm);
    assert_true(end <= warm + 131072);
    free_records(&st);
}

/* A long study text (a sweep file) is kept whole: beyond HDF5's 64 KiB compact limit. */
static void test_long_study_text(void **state)
{
    (void)state;
    study st;
    make_study(&st, 2, 0);
    size_t n = 200000;
    char *text = malloc(n + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = i % 80 == 79 ? '\n' : (char)('a' + i % 26);
    text[n] = '\0';
    kn_h5_meta meta = test_meta;
    meta.study_text = text;
    char path[512];
    tmp_path(path, sizeof path, "study.h5");
    kn_error err = {0};
    kn_h5 *h = NULL;
    kn_status rc = kn_h5_create(&h, path, st.sc, NSC, st.n_periods, &meta, &err);
    if (rc != KN_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, KN_OK);
    assert_int_equal(kn_h5_close(h, &err), KN_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    char *back = malloc(n + 16);
    assert_non_null(back);
    read_text_attr(f, "study", back, n + 16);
    assert_string_equal(back, text);
    assert_true(H5Fclose(f) >= 0);
    free(back);
    free(text);
    free_records(&st);
}

/* A larger file for tests/python/check_results.py, when KN_H5_KEEP names a path. */
static void test_keep_for_python(void **state)
{
    (void)state;
    const char *keep = getenv("KN_H5_KEEP");
    if (!keep || !*keep)
        skip();
    study st;
    make_study(&st, 20, 1);
    write_file(&st, keep);
    free_records(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_long_series),
        cmocka_unit_test(test_no_runs),
        cmocka_unit_test(test_one_ok_run_is_nan),
        cmocka_unit_test(test_unwritable),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_export_csv),
        cmocka_unit_test(test_long_study_text),
        cmocka_unit_test(test_no_leak_over_many_files),
        cmocka_unit_test(test_keep_for_python),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
