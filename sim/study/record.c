/* record.c - packing and unpacking run records (see record.h for the layout). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "record.h"

typedef struct writer {
    unsigned char *p;
} writer;

static void put(writer *w, const void *src, size_t n)
{
    memcpy(w->p, src, n);
    w->p += n;
}

typedef struct reader {
    const unsigned char *p, *end;
    int bad;
} reader;

static void get(reader *r, void *dst, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, r->p, n);
    r->p += n;
}

kn_status kn_record_pack(const kn_run_record *rec, unsigned char **buf, size_t *len,
                         kn_error *err)
{
    const kn_rep_result *res = &rec->result;
    uint32_t n_metrics = KN_METRIC_COUNT, n_series = KN_SERIES_COUNT;
    uint32_t n_periods = res->series ? res->n_periods : 0;
    size_t elen = strnlen(rec->error, KN_ERROR_MSG_MAX - 1);
    size_t nser = (size_t)n_series * n_periods;
    size_t total = 4 + 4 + 8 + 4 + 8 + 8 + 4 + 8 + 8 + 8 + 4 + 4 + 4 + 4 + elen +
                   8 * (size_t)n_metrics + 8 * nser + 4;
    if (total > KN_RECORD_MAX)
        return kn_error_set(err, KN_EINVAL, "run %llu: record of %zu bytes is too large",
                            (unsigned long long)rec->run, total);
    unsigned char *b = malloc(total);
    if (!b)
        return kn_error_set(err, KN_ENOMEM, "out of memory for a run record");
    writer w = {b};
    uint32_t magic = KN_RECORD_MAGIC, tl = (uint32_t)total, el = (uint32_t)elen;
    put(&w, &magic, 4);
    put(&w, &tl, 4);
    put(&w, &rec->run, 8);
    put(&w, &rec->scenario, 4);
    put(&w, &rec->replication, 8);
    put(&w, &rec->seed, 8);
    put(&w, &rec->status, 4);
    put(&w, &res->customers, 8);
    put(&w, &res->wall_seconds, 8);
    put(&w, &res->kernel_events, 8);
    put(&w, &n_metrics, 4);
    put(&w, &n_series, 4);
    put(&w, &n_periods, 4);
    put(&w, &el, 4);
    put(&w, rec->error, elen);
    put(&w, res->values, 8 * (size_t)n_metrics);
    if (nser)
        put(&w, res->series, 8 * nser);
    uint32_t crc = (uint32_t)crc32(0L, b, (uInt)(total - 4));
    put(&w, &crc, 4);
    *buf = b;
    *len = total;
    return KN_OK;
}

size_t kn_record_length(const unsigned char *head)
{
    uint32_t magic, tl;
    memcpy(&magic, head, 4);
    memcpy(&tl, head + 4, 4);
    if (magic != KN_RECORD_MAGIC || tl < KN_RECORD_HEADER || tl > KN_RECORD_MAX)
        return 0;
    return tl;
}

kn_status kn_record_unpack(const unsigned char *buf, size_t len, kn_run_record *rec,
                           kn_error *err)
{
    memset(rec, 0, sizeof *rec);
    if (len < KN_RECORD_HEADER + 4 || kn_record_length(buf) != len)
        return kn_error_set(err, KN_EIO, "run record: bad length");
    uint32_t crc;
    memcpy(&crc, buf + len - 4, 4);
    if (crc != (uint32_t)crc32(0L, buf, (uInt)(len - 4)))
        return kn_error_set(err, KN_EIO, "run record: checksum mismatch (truncated or corrupted)");
    reader r = {buf + 8, buf + len - 4, 0};
    uint32_t n_metrics, n_series, n_periods, el;
    kn_rep_result *res = &rec->result;
    get(&r, &rec->run, 8);
    get(&r, &rec->scenario, 4);
    get(&r, &rec->replication, 8);
    get(&r, &rec->seed, 8);
    get(&r, &rec->status, 4);
    get(&r, &res->customers, 8);
    get(&r, &res->wall_seconds, 8);
    get(&r, &res->kernel_events, 8);
    get(&r, &n_metrics, 4);
    get(&r, &n_series, 4);
    get(&r, &n_periods, 4);
    get(&r, &el, 4);
    if (r.bad || n_metrics != KN_METRIC_COUNT || n_series != KN_SERIES_COUNT ||
        el >= KN_ERROR_MSG_MAX)
        return kn_error_set(err, KN_EIO, "run record: written by another version of koning");
    get(&r, rec->error, el);
    rec->error[el] = '\0';
    get(&r, res->values, 8 * (size_t)n_metrics);
    res->replication = rec->replication;
    res->n_periods = n_periods;
    size_t nser = (size_t)n_series * n_periods;
    if (nser && !r.bad) {
        if ((size_t)(r.end - r.p) != 8 * nser)
            return kn_error_set(err, KN_EIO, "run record: bad series length");
        res->series = malloc(8 * nser);
        if (!res->series)
            return kn_error_set(err, KN_ENOMEM, "out of memory for a run record");
        get(&r, res->series, 8 * nser);
    }
    if (r.bad || r.p != r.end) {
        kn_rep_result_clear(res);
        return kn_error_set(err, KN_EIO, "run record: malformed");
    }
    return KN_OK;
}
