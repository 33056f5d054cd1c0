/* h5csv.c - kn_h5_export_csv (h5out.h): a results file's tables as CSV.
 *
 * PREFIX_scenarios.csv (one row per scenario), PREFIX_runs.csv (one row per run) and
 * PREFIX_series.csv (long format: one row per run and period). The columns are the
 * file's datasets found by their dimension scales, so a dataset added to the writer
 * is exported with no change here. The run table is read in blocks of rows. The three
 * CSVs are written as unnamed files (atomic.h) and put in place only when all three
 * are complete: a failure (a full disk) or a kill leaves none of them behind.
 *
 * Text cells that a spreadsheet would run as a formula (starting with = + - @, a tab or
 * a carriage return: OWASP's "CSV injection") are written with a ' in front, so a
 * scenario named =HYPERLINK(...) shows as text.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include "atomic.h"
#include "h5out_int.h"

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
        kn_h5i_close_id(&c->mtype);
    kn_h5i_close_id(&c->did);
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
        if ((c->mtype = kn_h5i_vlen_utf8()) < 0)
            goto done;
        break;
    default:
        goto done;
    }
    c->name = strdup(name);
    c->buf = calloc(rows_per_block * (width ? width : 1), sizeof *c->buf);
    ok = c->name && c->buf;
done:
    kn_h5i_close_id(&t);
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
    kn_h5i_close_id(&ms);
    kn_h5i_close_id(&fs);
    return ok;
}

/* RFC 4180: quote a field holding a comma, quote, CR or LF (or edge spaces, or a
 * semicolon, the separator of spreadsheets in many locales). A field that would start a
 * formula gets a ' in front (OWASP). */
static void csv_text(FILE *f, const char *s)
{
    size_t n = strlen(s);
    int formula = n && strchr("=+-@\t\r", s[0]);
    if (!strpbrk(s, ",\";\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
        if (formula)
            fputc('\'', f);
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
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
    kn_h5i_close_id(&sp);
    *rank = r;
    *dim1 = r >= 2 ? dims[1] : 0;
    return r >= 1 ? dims[0] : 0;
}

/* The CSVs of one export, each written where it will be (atomic.h) and put in place
 * only when all three are complete. */
enum { CSV_SCENARIOS, CSV_RUNS, CSV_SERIES, CSV_N };
static const char *const csv_what[CSV_N] = {"scenarios", "runs", "series"};

typedef struct csv_out {
    const char *prefix;
    kn_afile file[CSV_N];
} csv_out;

static kn_status csv_open(csv_out *o, int which, FILE **f, kn_error *err)
{
    size_t n = strlen(o->prefix) + strlen(csv_what[which]) + 8;
    char *dest = malloc(n);
    if (!dest)
        return kn_error_set(err, KN_ENOMEM, "%s: out of memory", o->prefix);
    snprintf(dest, n, "%s_%s.csv", o->prefix, csv_what[which]);
    kn_status rc = kn_afile_open(&o->file[which], dest, err);
    free(dest);
    *f = o->file[which].f;
    return rc;
}

/* After a CSV is written: if everything so far went well (rc == KN_OK), check that all
 * of it reached the disk. Returns the status. */
static kn_status csv_close(csv_out *o, int which, kn_status rc, kn_error *err)
{
    return rc == KN_OK ? kn_afile_finish(&o->file[which], err) : rc;
}

/* Put every CSV in place if all went well (rc == KN_OK), else drop them all. */
static kn_status csv_commit(csv_out *o, kn_status rc, kn_error *err)
{
    for (int i = 0; i < CSV_N && rc == KN_OK; i++)
        if ((rc = kn_afile_commit(&o->file[i], err)) != KN_OK)
            for (int k = 0; k < i; k++) { /* all or nothing */
                char done[KN_PATH_MAX + 32];
                snprintf(done, sizeof done, "%s_%s.csv", o->prefix, csv_what[k]);
                unlink(done);
            }
    for (int i = 0; i < CSV_N; i++)
        kn_afile_discard(&o->file[i]);
    return rc;
}

#define EXPORT_BLOCK 4096

typedef struct exporter {
    const char *h5path;
    csv_out out;
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
    FILE *f;
    KN_CHECK(csv_open(&x->out, CSV_SCENARIOS, &f, err));
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
    return csv_close(&x->out, CSV_SCENARIOS, KN_OK, err);
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
    FILE *f;
    kn_status rc = KN_OK;
    KN_CHECK(csv_open(&x->out, CSV_RUNS, &f, err));
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
            rc = kn_h5i_fail(err, x->h5path, "cannot read dataset 'run'");
            break;
        }
        for (size_t i = 0; i < x->runs.n && rc == KN_OK; i++)
            if (!col_read(&x->runs.c[i], r0, nb))
                rc = kn_h5i_fail(err, x->h5path, "cannot read dataset '%s'", x->runs.c[i].name);
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
    return csv_close(&x->out, CSV_RUNS, rc, err);
}

static kn_status export_series(exporter *x, size_t block, kn_error *err)
{
    FILE *f;
    kn_status rc = KN_OK;
    KN_CHECK(csv_open(&x->out, CSV_SERIES, &f, err));
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
            rc = kn_h5i_fail(err, x->h5path, "cannot read the run table");
            break;
        }
        for (size_t i = 0; i < x->series.n && rc == KN_OK; i++)
            if (!col_read(&x->series.c[i], r0, nb))
                rc = kn_h5i_fail(err, x->h5path, "cannot read dataset '%s'", x->series.c[i].name);
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
    return csv_close(&x->out, CSV_SERIES, rc, err);
}

static kn_status open_dim(exporter *x, const char *name, hid_t *out, hsize_t *len, kn_error *err)
{
    int rank;
    hsize_t d1;
    if ((*out = H5Dopen2(x->file, name, H5P_DEFAULT)) < 0)
        return kn_h5i_fail(err, x->h5path, "not a koning results file: no dimension '%s'", name);
    *len = ds_len(*out, &rank, &d1);
    if (rank != 1)
        return kn_h5i_fail(err, x->h5path,
                           "not a koning results file: '%s' is not one-dimensional", name);
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
        return kn_h5i_fail(err, x->h5path, "dataset '%s': unsupported type", name);
    }
    cs->n++;
    return KN_OK;
}

kn_status kn_h5_export_csv(const char *h5path, const char *prefix, kn_error *err)
{
    if (!h5path || !prefix)
        return kn_error_set(err, KN_EINVAL, "kn_h5_export_csv: missing argument");
    kn_h5i_quiet q = kn_h5i_quiet_begin();
    exporter x;
    memset(&x, 0, sizeof x);
    x.h5path = h5path;
    x.file = x.dscen = x.drun = x.dper = H5I_INVALID_HID;
    names nm = {NULL, 0, 0};
    hid_t did = H5I_INVALID_HID, fapl = H5I_INVALID_HID;
    kn_status rc = KN_OK;
    size_t series_block = 1;

    x.out.prefix = prefix;
    if ((rc = kn_h5i_check_input(h5path, err)) != KN_OK)
        goto done;
    if ((fapl = kn_h5i_make_fapl(0)) < 0) {
        rc = kn_h5i_fail(err, h5path, "cannot set up HDF5 file properties");
        goto done;
    }
    if ((x.file = H5Fopen(h5path, H5F_ACC_RDONLY, fapl)) < 0) {
        rc = kn_h5i_fail(err, h5path, "cannot open as an HDF5 file");
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
    if (x.n_per && !kn_h5i_read_all(x.dper, H5T_NATIVE_DOUBLE, x.period_end)) {
        rc = kn_h5i_fail(err, h5path, "cannot read dataset 'period'");
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
        rc = kn_h5i_fail(err, h5path, "cannot read dataset 'scenario'");
        goto done;
    }
    x.have_scen_index = 1;
    d2 = H5Dopen2(x.file, "run", H5P_DEFAULT);
    if (d2 < 0 || !col_init(&x.run_index, d2, "run", 0, EXPORT_BLOCK)) {
        if (d2 >= 0)
            col_free(&x.run_index);
        rc = kn_h5i_fail(err, h5path, "cannot read dataset 'run'");
        goto done;
    }
    x.have_run_index = 1;

    /* every dataset of the root group, in creation order (name order if not tracked) */
    if (H5Literate(x.file, H5_INDEX_CRT_ORDER, H5_ITER_INC, NULL, collect_name, &nm) < 0) {
        for (size_t i = 0; i < nm.n; i++)
            free(nm.v[i]);
        nm.n = 0;
        if (H5Literate(x.file, H5_INDEX_NAME, H5_ITER_INC, NULL, collect_name, &nm) < 0) {
            rc = kn_h5i_fail(err, h5path, "cannot list the datasets");
            goto done;
        }
    }
    for (size_t i = 0; i < nm.n && rc == KN_OK; i++) {
        if ((did = H5Oopen(x.file, nm.v[i], H5P_DEFAULT)) < 0) {
            rc = kn_h5i_fail(err, h5path, "cannot open '%s'", nm.v[i]);
            break;
        }
        if (H5Iget_type(did) != H5I_DATASET || H5DSis_scale(did) > 0 ||
            strcmp(nm.v[i], "scenario_yaml") == 0) {
            kn_h5i_close_id(&did);
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
        kn_h5i_close_id(&did);
    }
    if (rc != KN_OK)
        goto done;

    /* the scenario table is small: read it whole */
    if (x.n_scen && !col_read(&x.scen_index, 0, x.n_scen)) {
        rc = kn_h5i_fail(err, h5path, "cannot read dataset 'scenario'");
        goto done;
    }
    for (size_t i = 0; i < x.scen.n && rc == KN_OK; i++)
        if (x.n_scen && !col_read(&x.scen.c[i], 0, x.n_scen))
            rc = kn_h5i_fail(err, h5path, "cannot read dataset '%s'", x.scen.c[i].name);
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
    rc = csv_commit(&x.out, rc, err);
    kn_h5i_close_id(&did);
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
    kn_h5i_close_id(&x.dper);
    kn_h5i_close_id(&x.drun);
    kn_h5i_close_id(&x.dscen);
    kn_h5i_close_id(&x.file);
    kn_h5i_close_id(&fapl);
    kn_h5i_quiet_end(q);
    return rc;
}
