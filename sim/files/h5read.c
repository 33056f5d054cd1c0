/* h5read.c - read-only access to a koning results file (API in h5read.h). */
#define _GNU_SOURCE
#include "h5read.h"
#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "h5out_int.h"

struct kn_h5r {
    hid_t file;
    char *path;
    kn_h5i_quiet quiet; /* HDF5's error printer, silenced while the file is open */
};

static kn_status fail(kn_error *err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static kn_status fail(kn_error *err, const char *path, const char *fmt, ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return kn_error_set(err, KN_EIO, "%s: %s", path, what);
}

static hsize_t dim_len(hid_t file, const char *name, int *ok)
{
    *ok = 0;
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0)
        return 0;
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    if (d < 0)
        return 0;
    hid_t sp = H5Dget_space(d);
    hsize_t n = 0;
    if (sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 && H5Sget_simple_extent_dims(sp, &n, NULL) == 1)
        *ok = 1;
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    return n;
}

kn_status kn_h5r_open(kn_h5r **out, const char *path, kn_error *err)
{
    *out = NULL;
    KN_CHECK(kn_h5i_check_input(path, err));
    return kn_h5r_open_own(out, path, err);
}

kn_status kn_h5r_open_own(kn_h5r **out, const char *path, kn_error *err)
{
    *out = NULL;
    kn_h5r *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    r->quiet = kn_h5i_quiet_begin();
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* file locking gives way where the file system does not support it (h5out.c) */
    if (fapl >= 0)
        H5Pset_file_locking(fapl, 0, 1);
    if (H5Fis_hdf5(path) <= 0) {
        if (fapl >= 0)
            H5Pclose(fapl);
        kn_h5r_close(r);
        return fail(err, path, "not an HDF5 file");
    }
    r->file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (r->file < 0) {
        kn_h5r_close(r);
        return fail(err, path, "cannot open as an HDF5 file");
    }
    int ok1, ok2;
    dim_len(r->file, "scenario", &ok1);
    dim_len(r->file, "run", &ok2);
    if (!ok1 || !ok2) {
        kn_h5r_close(r);
        return fail(err, path, "not a koning results file: no '%s' dimension",
                    ok1 ? "run" : "scenario");
    }
    *out = r;
    return KN_OK;
}

void kn_h5r_close(kn_h5r *r)
{
    if (!r)
        return;
    if (r->file > 0)
        H5Fclose(r->file);
    kn_h5i_quiet_end(r->quiet);
    free(r->path);
    free(r);
}

const char *kn_h5r_path(const kn_h5r *r)
{
    return r->path;
}

size_t kn_h5r_dim(const kn_h5r *r, const char *dim)
{
    int ok;
    hsize_t n = dim_len(r->file, dim, &ok);
    return ok ? (size_t)n : 0;
}

int kn_h5r_exists(const kn_h5r *r, const char *name)
{
    if (!name || !*name || strchr(name, '/'))
        return 0;
    if (H5Lexists(r->file, name, H5P_DEFAULT) <= 0)
        return 0;
    hid_t o = H5Oopen(r->file, name, H5P_DEFAULT);
    if (o < 0)
        return 0;
    int is_ds = H5Iget_type(o) == H5I_DATASET;
    H5Oclose(o);
    return is_ds;
}

static kn_status open_ds(const kn_h5r *r, const char *name, hid_t *d, kn_error *err)
{
    if (!kn_h5r_exists(r, name))
        return fail(err, r->path, "no dataset '%s'", name);
    if ((*d = H5Dopen2(r->file, name, H5P_DEFAULT)) < 0)
        return fail(err, r->path, "cannot open dataset '%s'", name);
    return KN_OK;
}

kn_status kn_h5r_doubles(const kn_h5r *r, const char *name, double **out, size_t *rows,
                         size_t *cols, kn_error *err)
{
    *out = NULL;
    hid_t d;
    KN_CHECK(open_ds(r, name, &d, err));
    kn_status rc = KN_OK;
    hid_t sp = H5Dget_space(d), ty = H5Dget_type(d);
    int nd = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    hsize_t dims[2] = {1, 1};
    H5T_class_t cls = ty >= 0 ? H5Tget_class(ty) : H5T_NO_CLASS;
    if (nd < 0 || nd > 2 || (cls != H5T_INTEGER && cls != H5T_FLOAT)) {
        rc = fail(err, r->path, "dataset '%s' is not a numeric array of rank 0 to 2", name);
        goto done;
    }
    if (nd > 0)
        H5Sget_simple_extent_dims(sp, dims, NULL);
    size_t n = (size_t)(dims[0] * dims[1]);
    double *buf = malloc((n ? n : 1) * sizeof *buf);
    if (!buf) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    if (n && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        free(buf);
        rc = fail(err, r->path, "cannot read dataset '%s'", name);
        goto done;
    }
    *out = buf;
    if (rows)
        *rows = (size_t)dims[0];
    if (cols)
        *cols = (size_t)dims[1];
done:
    if (ty >= 0)
        H5Tclose(ty);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    return rc;
}

kn_status kn_h5r_rows(const kn_h5r *r, const char *name, size_t row0, size_t nrows, double *buf,
                      kn_error *err)
{
    hid_t d;
    KN_CHECK(open_ds(r, name, &d, err));
    kn_status rc = KN_OK;
    hid_t sp = H5Dget_space(d), mem = H5I_INVALID_HID;
    hsize_t dims[2] = {0, 0};
    if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 2) {
        rc = fail(err, r->path, "dataset '%s' is not two-dimensional", name);
        goto done;
    }
    H5Sget_simple_extent_dims(sp, dims, NULL);
    if (row0 + nrows > dims[0]) {
        rc = fail(err, r->path, "dataset '%s' has %llu rows, not %zu", name,
                  (unsigned long long)dims[0], row0 + nrows);
        goto done;
    }
    if (!nrows || !dims[1])
        goto done;
    hsize_t start[2] = {row0, 0}, count[2] = {nrows, dims[1]};
    mem = H5Screate_simple(2, count, NULL);
    if (mem < 0 || H5Sselect_hyperslab(sp, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
        H5Dread(d, H5T_NATIVE_DOUBLE, mem, sp, H5P_DEFAULT, buf) < 0)
        rc = fail(err, r->path, "cannot read rows %zu..%zu of dataset '%s'", row0,
                  row0 + nrows - 1, name);
done:
    if (mem >= 0)
        H5Sclose(mem);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    return rc;
}

void kn_h5r_free_strings(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

kn_status kn_h5r_strings(const kn_h5r *r, const char *name, char ***out, size_t *n,
                         kn_error *err)
{
    *out = NULL;
    *n = 0;
    hid_t d;
    KN_CHECK(open_ds(r, name, &d, err));
    kn_status rc = KN_OK;
    hid_t sp = H5Dget_space(d), ty = H5Dget_type(d), mt = H5I_INVALID_HID;
    hsize_t len = 0;
    char **res = NULL;
    if (sp < 0 || ty < 0 || H5Tget_class(ty) != H5T_STRING || H5Sget_simple_extent_ndims(sp) != 1) {
        rc = fail(err, r->path, "dataset '%s' is not a one-dimensional string array", name);
        goto done;
    }
    H5Sget_simple_extent_dims(sp, &len, NULL);
    if (!(res = calloc(len ? len : 1, sizeof *res))) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    if (!len)
        goto done;
    if (H5Tis_variable_str(ty) > 0) {
        mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ty));
        char **tmp = calloc(len, sizeof *tmp);
        if (!tmp) {
            rc = kn_error_set(err, KN_ENOMEM, "out of memory");
            goto done;
        }
        if (H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, tmp) < 0) {
            free(tmp);
            rc = fail(err, r->path, "cannot read dataset '%s'", name);
            goto done;
        }
        for (hsize_t i = 0; i < len && rc == KN_OK; i++)
            if (!(res[i] = strdup(tmp[i] ? tmp[i] : "")))
                rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, tmp);
        free(tmp);
    } else {
        size_t w = H5Tget_size(ty);
        mt = H5Tcopy(ty);
        char *tmp = malloc(len * w + 1);
        if (!tmp) {
            rc = kn_error_set(err, KN_ENOMEM, "out of memory");
            goto done;
        }
        if (H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, tmp) < 0) {
            free(tmp);
            rc = fail(err, r->path, "cannot read dataset '%s'", name);
            goto done;
        }
        for (hsize_t i = 0; i < len && rc == KN_OK; i++)
            if (!(res[i] = strndup(tmp + i * w, w)))
                rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        free(tmp);
    }
done:
    if (rc == KN_OK) {
        *out = res;
        *n = (size_t)len;
    } else {
        kn_h5r_free_strings(res, (size_t)len);
    }
    if (mt >= 0)
        H5Tclose(mt);
    if (ty >= 0)
        H5Tclose(ty);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    return rc;
}

static kn_status open_attr(const kn_h5r *r, const char *obj, const char *attr, hid_t *a,
                           kn_error *err)
{
    int root = !obj || !strcmp(obj, "/");
    if (!root && !kn_h5r_exists(r, obj))
        return fail(err, r->path, "no dataset '%s'", obj);
    if (H5Aexists_by_name(r->file, root ? "/" : obj, attr, H5P_DEFAULT) <= 0)
        return root ? fail(err, r->path, "no attribute '%s'", attr)
                    : fail(err, r->path, "dataset '%s' has no attribute '%s'", obj, attr);
    if ((*a = H5Aopen_by_name(r->file, root ? "/" : obj, attr, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        return fail(err, r->path, "cannot open attribute '%s'", attr);
    return KN_OK;
}

kn_status kn_h5r_attr_text(const kn_h5r *r, const char *obj, const char *attr, char **out,
                           kn_error *err)
{
    *out = NULL;
    hid_t a;
    KN_CHECK(open_attr(r, obj, attr, &a, err));
    kn_status rc = KN_OK;
    hid_t ty = H5Aget_type(a), mt = H5I_INVALID_HID;
    if (ty < 0 || H5Tget_class(ty) != H5T_STRING) {
        rc = fail(err, r->path, "attribute '%s' is not text", attr);
        goto done;
    }
    mt = H5Tcopy(ty);
    if (H5Tis_variable_str(ty) > 0) {
        char *tmp = NULL;
        if (H5Aread(a, mt, &tmp) < 0) {
            rc = fail(err, r->path, "cannot read attribute '%s'", attr);
            goto done;
        }
        *out = strdup(tmp ? tmp : "");
        H5free_memory(tmp);
    } else {
        size_t w = H5Tget_size(ty);
        char *tmp = calloc(1, w + 1);
        if (!tmp || H5Aread(a, mt, tmp) < 0) {
            free(tmp);
            rc = fail(err, r->path, "cannot read attribute '%s'", attr);
            goto done;
        }
        *out = tmp;
    }
    if (!*out)
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
done:
    if (mt >= 0)
        H5Tclose(mt);
    if (ty >= 0)
        H5Tclose(ty);
    H5Aclose(a);
    return rc;
}

kn_status kn_h5r_attr_double(const kn_h5r *r, const char *obj, const char *attr, double *out,
                             kn_error *err)
{
    hid_t a;
    KN_CHECK(open_attr(r, obj, attr, &a, err));
    kn_status rc = KN_OK;
    if (H5Aread(a, H5T_NATIVE_DOUBLE, out) < 0)
        rc = fail(err, r->path, "cannot read attribute '%s' as a number", attr);
    H5Aclose(a);
    return rc;
}

kn_status kn_h5r_scenario_keys(const kn_h5r *r, char ***keys, size_t *n, kn_error *err)
{
    *keys = NULL;
    *n = 0;
    char *coords;
    KN_CHECK(kn_h5r_attr_text(r, "n_runs_ok", "coordinates", &coords, err));
    size_t cap = 8, k = 0;
    char **res = malloc(cap * sizeof *res);
    kn_status rc = res ? KN_OK : kn_error_set(err, KN_ENOMEM, "out of memory");
    char *save = NULL;
    for (char *tok = strtok_r(coords, " ", &save); tok && rc == KN_OK;
         tok = strtok_r(NULL, " ", &save)) {
        if (!strcmp(tok, "scenario_name") || !strcmp(tok, "name"))
            continue;
        if (k == cap) {
            char **nr = realloc(res, 2 * cap * sizeof *nr);
            if (!nr) {
                rc = kn_error_set(err, KN_ENOMEM, "out of memory");
                break;
            }
            res = nr;
            cap *= 2;
        }
        if (!(res[k] = strdup(tok)))
            rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        else
            k++;
    }
    free(coords);
    if (rc != KN_OK) {
        kn_h5r_free_strings(res, k);
        return rc;
    }
    *keys = res;
    *n = k;
    return KN_OK;
}

/* ---- the study at a glance ------------------------------------------------------------ */

void kn_h5r_study_free(kn_h5r_study *s)
{
    if (!s)
        return;
    free(s->kind);
    kn_h5r_free_strings(s->scen_name, s->n_scen);
    free(s->warmup_days);
    free(s->days);
    free(s->period_end);
    free(s->run_scenario);
    free(s->run_ok);
    memset(s, 0, sizeof *s);
}

static kn_status vector(const kn_h5r *r, const char *name, size_t want, double **out, kn_error *err)
{
    size_t rows, cols;
    KN_CHECK(kn_h5r_doubles(r, name, out, &rows, &cols, err));
    if (rows != want || cols != 1) {
        free(*out);
        *out = NULL;
        return fail(err, r->path, "dataset '%s' has %zu x %zu values, expected %zu", name, rows, cols,
                    want);
    }
    return KN_OK;
}

kn_status kn_h5r_study_load(const kn_h5r *r, kn_h5r_study *s, kn_error *err)
{
    memset(s, 0, sizeof *s);
    kn_status rc;
    double *scen = NULL, *status = NULL, *ret = NULL;
    s->n_scen = kn_h5r_dim(r, "scenario");
    s->n_run = kn_h5r_dim(r, "run");
    s->n_period = kn_h5r_dim(r, "period");
    if ((rc = kn_h5r_attr_text(r, "/", "kind", &s->kind, err)) != KN_OK)
        goto fail;
    s->level = 0.95;
    if (kn_h5r_attr_double(r, "/", "confidence_level", &s->level, NULL) != KN_OK ||
        !(s->level > 0.0 && s->level < 1.0))
        s->level = 0.95;
    size_t n;
    if ((rc = kn_h5r_strings(r, "scenario_name", &s->scen_name, &n, err)) != KN_OK)
        goto fail;
    if (n != s->n_scen) {
        kn_h5r_free_strings(s->scen_name, n);
        s->scen_name = NULL;
        rc = fail(err, r->path, "dataset 'scenario_name' has %zu values, expected %zu", n, s->n_scen);
        goto fail;
    }
    if ((rc = vector(r, "run.warmup_days", s->n_scen, &s->warmup_days, err)) != KN_OK ||
        (rc = vector(r, "run.days", s->n_scen, &s->days, err)) != KN_OK ||
        (rc = vector(r, "run_scenario", s->n_run, &scen, err)) != KN_OK ||
        (rc = vector(r, "status", s->n_run, &status, err)) != KN_OK)
        goto fail;
    if (s->n_period) {
        if ((rc = vector(r, "period", s->n_period, &s->period_end, err)) != KN_OK)
            goto fail;
    }
    s->run_scenario = malloc((s->n_run ? s->n_run : 1) * sizeof *s->run_scenario);
    s->run_ok = malloc((s->n_run ? s->n_run : 1) * sizeof *s->run_ok);
    if (!s->run_scenario || !s->run_ok) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < s->n_run; i++) {
        if (!(scen[i] >= 0.0 && scen[i] < (double)s->n_scen)) {
            rc = fail(err, r->path, "run %zu: run_scenario %g is not a scenario of the file", i,
                      scen[i]);
            goto fail;
        }
        s->run_scenario[i] = (int)scen[i];
        s->run_ok[i] = status[i] == 0.0;
    }
    if (kn_h5r_exists(r, "retention") &&
        kn_h5r_doubles(r, "retention", &ret, &n, NULL, NULL) == KN_OK) {
        for (size_t i = 0; i < n && i < s->n_run; i++)
            if (s->run_ok[i] && !isnan(ret[i]))
                s->organisation = 1;
    }
    free(ret);
    free(scen);
    free(status);
    return KN_OK;
fail:
    free(ret);
    free(scen);
    free(status);
    kn_h5r_study_free(s);
    return rc;
}
