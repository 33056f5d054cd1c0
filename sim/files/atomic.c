/* atomic.c - writing a file that appears whole or not at all; see atomic.h. */
#define _GNU_SOURCE /* O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomic.h"

static kn_status fail(kn_afile *a, int e, kn_error *err)
{
    kn_status rc = kn_error_set(err, KN_EIO, "%s: cannot write: %s", a->dest, strerror(e ? e : EIO));
    kn_afile_discard(a);
    return rc;
}

kn_status kn_afile_open(kn_afile *a, const char *dest, kn_error *err)
{
    memset(a, 0, sizeof *a);
    size_t n = strlen(dest) + 32;
    char *dir = strdup(dest);
    a->dest = strdup(dest);
    a->tmp = malloc(n);
    if (!dir || !a->dest || !a->tmp) {
        free(dir);
        kn_afile_discard(a);
        return kn_error_set(err, KN_ENOMEM, "%s: out of memory", dest);
    }
    mode_t mask = umask(0);
    umask(mask);
    int fd = open(dirname(dir), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666 & ~mask);
    free(dir);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        snprintf(a->tmp, n, "%s.tmp-XXXXXX", dest); /* no O_TMPFILE here */
        if ((fd = mkostemp(a->tmp, O_CLOEXEC)) >= 0) {
            a->named = 1;
            if (fchmod(fd, 0666 & ~mask) != 0) {
                int e = errno;
                close(fd);
                return fail(a, e, err);
            }
        }
    }
    if (fd < 0 || !(a->f = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return fail(a, e, err);
    }
    return KN_OK;
}

kn_status kn_afile_finish(kn_afile *a, kn_error *err)
{
    errno = 0;
    if (fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0)
        return fail(a, errno, err);
    return KN_OK;
}

kn_status kn_afile_commit(kn_afile *a, kn_error *err)
{
    if (!a->named) {
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(a->f));
        snprintf(a->tmp, strlen(a->dest) + 32, "%s.tmp-%ld", a->dest, (long)getpid());
        unlink(a->tmp); /* left by a koning of the same pid killed at this very step */
        if (linkat(AT_FDCWD, proc, AT_FDCWD, a->tmp, AT_SYMLINK_FOLLOW) != 0)
            return fail(a, errno, err);
        a->named = 1;
    }
    if (rename(a->tmp, a->dest) != 0)
        return fail(a, errno, err);
    a->named = 0;
    fclose(a->f);
    a->f = NULL;
    /* make the rename durable (best effort: the rename itself is atomic) */
    char *dir = strdup(a->dest);
    int dfd = dir ? open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
    kn_afile_discard(a);
    return KN_OK;
}

void kn_afile_discard(kn_afile *a)
{
    if (!a)
        return;
    if (a->f)
        fclose(a->f);
    if (a->named && a->tmp)
        unlink(a->tmp);
    free(a->dest);
    free(a->tmp);
    memset(a, 0, sizeof *a);
}
