/* h5probe.c - reading a file koning did not write, before trusting HDF5 with it.
 *
 * HDF5 1.10 trusts the bytes of a file: a damaged or crafted one can crash it (a NULL
 * or wild pointer in its metadata cache, its heaps or its B-trees: the fuzz target
 * tests/fuzz/fuzz_results.c finds such files within seconds), make it loop, or make it
 * allocate without end. So before koning's readers (h5read.c, h5csv.c) open a results
 * file, a forked child opens it and reads all of it: every object header, every
 * attribute and every dataset, in blocks. Only if the child comes back is the file
 * opened for real; a child that crashes, or takes more than KN_PROBE_SECONDS, makes
 * the file "damaged", an error like any other (exit 2), and koning survives it. The
 * cost is one fork and one more read of the file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <hdf5.h>
#include "h5out_int.h"

#define KN_PROBE_SECONDS 60
#define PROBE_BLOCK_BYTES (16u << 20)   /* a dataset is read at most this much at a time */
#define PROBE_MAX_BYTES (1ull << 28)    /* and at most this much in all (256 MiB) */

/* Read data of type t and space s (all of it, or the selection in s) and free it. */
static void read_and_drop(hid_t obj, int is_attr, hid_t t, hid_t ms, hid_t fs, size_t bytes)
{
    void *buf = calloc(1, bytes ? bytes : 1);
    if (!buf)
        return;
    herr_t r = is_attr ? H5Aread(obj, t, buf) : H5Dread(obj, t, ms, fs, H5P_DEFAULT, buf);
    if (r >= 0 && (H5Tdetect_class(t, H5T_VLEN) > 0 || H5Tis_variable_str(t) > 0))
        H5Dvlen_reclaim(t, is_attr ? fs : ms, H5P_DEFAULT, buf);
    free(buf);
}

static herr_t probe_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)info;
    (void)data;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    hid_t t = a >= 0 ? H5Aget_type(a) : H5I_INVALID_HID, s = a >= 0 ? H5Aget_space(a) : H5I_INVALID_HID;
    hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    size_t size = t >= 0 ? H5Tget_size(t) : 0;
    if (n >= 0 && size > 0 && (unsigned long long)n * size <= PROBE_BLOCK_BYTES)
        read_and_drop(a, 1, t, H5S_ALL, s, (size_t)n * size);
    kn_h5i_close_id(&s);
    kn_h5i_close_id(&t);
    kn_h5i_close_id(&a);
    return 0;
}

/* Every row of a dataset, a block of rows at a time. */
static void probe_dataset(hid_t d)
{
    hid_t t = H5Dget_type(d), fs = H5Dget_space(d), ms = H5I_INVALID_HID;
    hsize_t dims[H5S_MAX_RANK], start[H5S_MAX_RANK] = {0}, count[H5S_MAX_RANK];
    int rank = fs >= 0 ? H5Sget_simple_extent_dims(fs, dims, NULL) : -1;
    size_t size = t >= 0 ? H5Tget_size(t) : 0;
    if (rank < 0 || size == 0)
        goto done;
    if (rank == 0) {
        read_and_drop(d, 0, t, H5S_ALL, H5S_ALL, size);
        goto done;
    }
    unsigned long long row = size, total = 0;
    for (int k = 1; k < rank; k++) {
        row *= dims[k];
        count[k] = dims[k];
    }
    if (row == 0 || row > PROBE_BLOCK_BYTES)
        goto done;
    hsize_t per = PROBE_BLOCK_BYTES / row;
    for (hsize_t r0 = 0; r0 < dims[0] && total < PROBE_MAX_BYTES; r0 += per) {
        start[0] = r0;
        count[0] = dims[0] - r0 < per ? dims[0] - r0 : per;
        if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            (ms = H5Screate_simple(rank, count, NULL)) < 0)
            break;
        read_and_drop(d, 0, t, ms, fs, (size_t)(count[0] * row));
        kn_h5i_close_id(&ms);
        total += count[0] * row;
    }
done:
    kn_h5i_close_id(&ms);
    kn_h5i_close_id(&fs);
    kn_h5i_close_id(&t);
}

static herr_t probe_object(hid_t root, const char *name, const H5O_info_t *info, void *data)
{
    (void)data;
    hid_t o = H5Oopen(root, name, H5P_DEFAULT);
    if (o < 0)
        return 0;
    H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, probe_attr, NULL);
    if (info->type == H5O_TYPE_DATASET)
        probe_dataset(o);
    H5Oclose(o);
    return 0;
}

/* In the child: read the whole file; exit 0 (whatever HDF5 said) if nothing crashed. */
static void probe_child(const char *path)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t fapl = kn_h5i_make_fapl(0);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, fapl >= 0 ? fapl : H5P_DEFAULT);
    if (f >= 0) {
        H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_NATIVE, probe_object, NULL, H5O_INFO_BASIC);
        H5Fclose(f);
    }
    _exit(0);
}

kn_status kn_h5i_probe(const char *path, kn_error *err)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return KN_OK; /* no probe, no harm: the reader still checks what it reads */
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        probe_child(path);
    }
    int status = 0;
    struct timespec nap = {0, 5 * 1000 * 1000}, t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t got;
    while ((got = waitpid(pid, &status, WNOHANG)) == 0) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - t0.tv_sec >= KN_PROBE_SECONDS)
            break;
        nanosleep(&nap, NULL);
    }
    if (got == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return kn_error_set(err, KN_EIO, "%s: damaged: reading it with HDF5 did not end in %d s",
                            path, KN_PROBE_SECONDS);
    }
    int sig = got > 0 && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
        return KN_OK; /* stopped with us (Ctrl-C): not the file's fault */
    if (sig)
        return kn_error_set(err, KN_EIO, "%s: damaged: reading it crashed the HDF5 library "
                            "(signal %d, %s); not a file koning can read", path, sig,
                            strsignal(sig));
    if (got > 0 && WIFEXITED(status) && WEXITSTATUS(status) != 0) /* a sanitizer's report */
        return kn_error_set(err, KN_EIO, "%s: damaged: reading it failed inside the HDF5 library "
                            "(exit status %d); not a file koning can read", path,
                            WEXITSTATUS(status));
    return KN_OK;
}
