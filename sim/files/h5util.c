/* h5util.c - the HDF5 helpers that the results writer (h5out.c, h5tables.c), the
 * CSV export (h5csv.c) and the reader (h5read.c) share; declared in h5out_int.h.
 *
 * Setting the library up, silencing HDF5's own error printing (while keeping the
 * system's reason for a failed read or write), the one-line error naming the file,
 * closing any handle, the variable-length UTF-8 string type, fixed-length text and
 * float64 attributes, the file access properties, and creating a dataset with its units
 * and long_name attributes.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include "h5out_int.h"

#define DEFLATE_LEVEL 4

/* HDF5 1.10 cannot close a file whose flush failed (a full disk): H5Fclose fails and
 * leaves the file half destroyed, and the library's exit handler, closing it again,
 * crashes. So koning asks HDF5 not to install that handler (it must be the first HDF5
 * call of the process): every file koning opens it also closes, and one that could not
 * be closed is abandoned (h5out.c), never touched again. */
void kn_h5i_init(void)
{
    static int done;
    if (!done)
        H5dont_atexit();
    done = 1;
}

kn_status kn_h5i_check_input(const char *path, kn_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return kn_error_set(err, KN_EIO, "%s: cannot open: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return kn_error_set(err, KN_EIO, "%s: cannot open: is a directory", path);
    if (!S_ISREG(st.st_mode))
        return kn_error_set(err, KN_EIO, "%s: cannot open: not a regular file (a FIFO, device "
                            "or socket cannot hold a results file)", path);
    return kn_h5i_probe(path, err);
}

/* The system's reason (errno) of the first failed read or write since the last
 * kn_h5i_fail, taken from HDF5's error stack ("... errno = 28, error message = ..."),
 * 0 if none. */
static int sys_errno;

static herr_t find_errno(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    const char *at = e->desc ? strstr(e->desc, "errno = ") : NULL;
    if (at && !*(int *)data)
        *(int *)data = (int)strtol(at + 8, NULL, 10);
    return 0;
}

static herr_t keep_errno(hid_t stack, void *data)
{
    (void)data;
    int e = 0;
    H5Ewalk2(stack, H5E_WALK_DOWNWARD, find_errno, &e);
    if (e > 0 && !sys_errno)
        sys_errno = e;
    return 0;
}

/* Silence HDF5's automatic error printing (but keep the system's reason of a failure);
 * kn_h5i_quiet_end restores what was there. */
kn_h5i_quiet kn_h5i_quiet_begin(void)
{
    kn_h5i_quiet q = {NULL, NULL};
    kn_h5i_init();
    H5Eget_auto2(H5E_DEFAULT, &q.func, &q.data);
    H5Eset_auto2(H5E_DEFAULT, keep_errno, NULL);
    sys_errno = 0;
    return q;
}

void kn_h5i_quiet_end(kn_h5i_quiet q)
{
    H5Eset_auto2(H5E_DEFAULT, q.func, q.data);
}

kn_status kn_h5i_fail(kn_error *err, const char *path, const char *fmt, ...)
{
    char what[KN_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    int e = sys_errno;
    sys_errno = 0;
    return kn_error_set(err, KN_EIO, "%s: %s%s%s", path, what, e ? ": " : "", e ? strerror(e) : "");
}

void kn_h5i_close_id(hid_t *id)
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
hid_t kn_h5i_vlen_utf8(void)
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
int kn_h5i_attr_text(hid_t obj, const char *name, const char *value)
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
    kn_h5i_close_id(&a);
    kn_h5i_close_id(&s);
    kn_h5i_close_id(&t);
    return ok;
}

int kn_h5i_attr_double(hid_t obj, const char *name, double value)
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
    kn_h5i_close_id(&a);
    kn_h5i_close_id(&s);
    return ok;
}

/* File access properties: the HDF5 1.8 file format (netCDF-4 reads it; dense storage for
 * attributes over 64 KiB) when writing, and file locking that gives way on file systems
 * without locks (NFS, Lustre) instead of failing. */
hid_t kn_h5i_make_fapl(int writing)
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

/* A dataset as d says, with its units and long_name attributes. */
hid_t kn_h5i_ds_create(hid_t file, const kn_h5i_dsspec *d)
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
    if (!kn_h5i_attr_text(did, "units", d->units) ||
        !kn_h5i_attr_text(did, "long_name", d->long_name))
        goto done;
    ret = did;
    did = H5I_INVALID_HID;
done:
    kn_h5i_close_id(&did);
    kn_h5i_close_id(&dcpl);
    kn_h5i_close_id(&sp);
    return ret;
}

/* Attach dimension scale `scale` to dimension idx of did. (No H5DSset_label: netCDF
 * readers would show the DIMENSION_LABELS attribute as a user attribute.) */
int kn_h5i_attach(hid_t did, hid_t scale, unsigned idx)
{
    return H5DSattach_scale(did, scale, idx) >= 0;
}

int kn_h5i_write_rows(hid_t did, hid_t mtype, hsize_t row0, hsize_t nrows, hsize_t width,
                      const void *data)
{
    hsize_t size[2] = {row0 + nrows, width};
    return H5Dset_extent(did, size) >= 0 && kn_h5i_write_block(did, mtype, row0, nrows, width, data);
}

int kn_h5i_write_block(hid_t did, hid_t mtype, hsize_t row0, hsize_t nrows, hsize_t width,
                       const void *data)
{
    int ok = 0;
    int rank = width ? 2 : 1;
    hsize_t start[2] = {row0, 0}, count[2] = {nrows, width};
    hid_t fs = H5I_INVALID_HID, ms = H5I_INVALID_HID;
    if ((fs = H5Dget_space(did)) < 0 ||
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0)
        goto done;
    if ((ms = H5Screate_simple(rank, count, NULL)) < 0)
        goto done;
    if (H5Dwrite(did, mtype, ms, fs, H5P_DEFAULT, data) < 0)
        goto done;
    ok = 1;
done:
    kn_h5i_close_id(&ms);
    kn_h5i_close_id(&fs);
    return ok;
}

int kn_h5i_read_all(hid_t did, hid_t mtype, void *buf)
{
    return H5Dread(did, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0;
}
