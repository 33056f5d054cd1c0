/* test_journal.c - run records as bytes and the journal of a study: exact round trip,
 * corruption and truncation detected, a record torn by a kill dropped on resume, a
 * journal of another study refused, replay in canonical run order. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "journal.h"
#include "record.h"

static kn_run_record make(uint64_t run, uint32_t periods, int failed)
{
    kn_run_record r;
    memset(&r, 0, sizeof r);
    r.run = run;
    r.scenario = (uint32_t)(run % 3);
    r.replication = run / 3;
    r.seed = 42;
    r.result.customers = 1000 + run;
    r.result.wall_seconds = 0.5;
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        r.result.values[m] = failed ? NAN : (double)run + m / 10.0;
    if (failed) {
        r.status = KN_ESIM;
        snprintf(r.error, sizeof r.error, "simulation process killed by signal 9 (Killed)");
    } else {
        r.result.n_periods = periods;
        r.result.series = malloc(sizeof(double) * KN_SERIES_COUNT * periods);
        for (uint32_t i = 0; i < KN_SERIES_COUNT * periods; i++)
            r.result.series[i] = run * 1000.0 + i + 0.25;
    }
    return r;
}

static void test_pack_round_trip(void **state)
{
    (void)state;
    for (int failed = 0; failed < 2; failed++) {
        kn_run_record a = make(7, 5, failed), b;
        unsigned char *buf;
        size_t len;
        assert_int_equal(kn_record_pack(&a, &buf, &len, NULL), KN_OK);
        assert_int_equal(kn_record_length(buf), len);
        assert_int_equal(kn_record_unpack(buf, len, &b, NULL), KN_OK);
        assert_true(b.run == 7 && b.scenario == a.scenario && b.replication == a.replication);
        assert_int_equal(b.status, a.status);
        assert_string_equal(b.error, a.error);
        assert_memory_equal(b.result.values, a.result.values, sizeof a.result.values);
        assert_int_equal(b.result.n_periods, a.result.n_periods);
        if (!failed)
            assert_memory_equal(b.result.series, a.result.series,
                                sizeof(double) * KN_SERIES_COUNT * 5);
        else
            assert_null(b.result.series);
        kn_rep_result_clear(&a.result);
        kn_rep_result_clear(&b.result);
        free(buf);
    }
}

static void test_corruption_detected(void **state)
{
    (void)state;
    kn_run_record a = make(3, 4, 0), b;
    unsigned char *buf;
    size_t len;
    kn_error err = {0};
    assert_int_equal(kn_record_pack(&a, &buf, &len, NULL), KN_OK);
    buf[len / 2] ^= 0x10; /* one flipped bit */
    assert_int_equal(kn_record_unpack(buf, len, &b, &err), KN_EIO);
    assert_non_null(strstr(err.msg, "checksum"));
    buf[len / 2] ^= 0x10;
    assert_int_equal(kn_record_unpack(buf, len - 9, &b, &err), KN_EIO); /* truncated */
    assert_int_equal(kn_record_length((const unsigned char *)"garbage!garbage!"), 0);
    kn_rep_result_clear(&a.result);
    free(buf);
}

static char dir[] = "/tmp/kn-journal-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

typedef struct seen {
    uint64_t runs[64];
    size_t n;
} seen;

static kn_status remember(void *user, const kn_run_record *rec, kn_error *err)
{
    (void)err;
    seen *s = user;
    s->runs[s->n++] = rec->run;
    if (rec->status == KN_OK)
        assert_true(rec->result.series[0] == rec->run * 1000.0 + 0.25);
    return KN_OK;
}

static void test_journal_resume_and_replay(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/a.h5.journal", dir);
    kn_journal j;
    kn_error err = {0};
    assert_int_equal(kn_journal_create(&j, path, 0xabc, 10, &err), KN_OK);
    uint64_t order[] = {5, 0, 9, 2};
    for (size_t i = 0; i < 4; i++) {
        kn_run_record r = make(order[i], 3, order[i] == 9);
        assert_int_equal(kn_journal_append(&j, &r, &err), KN_OK);
        assert_int_equal(kn_journal_append(&j, &r, &err), KN_OK); /* twice: ignored */
        kn_rep_result_clear(&r.result);
    }
    assert_true(j.n_done == 4);
    kn_journal_close(&j, 0);

    /* a second create refuses: the study was interrupted */
    assert_int_equal(kn_journal_create(&j, path, 0xabc, 10, &err), KN_EIO);
    assert_non_null(strstr(err.msg, "--resume"));
    kn_journal_close(&j, 0);

    /* simulate a kill in the middle of writing a record: append half a record */
    kn_run_record torn = make(7, 3, 0);
    unsigned char *buf;
    size_t len;
    assert_int_equal(kn_record_pack(&torn, &buf, &len, NULL), KN_OK);
    FILE *f = fopen(path, "ab");
    fwrite(buf, 1, len / 2, f);
    fclose(f);
    free(buf);
    kn_rep_result_clear(&torn.result);

    /* another study's fingerprint is refused */
    assert_int_equal(kn_journal_resume(&j, path, 0xdef, 10, &err), KN_EIO);
    assert_non_null(strstr(err.msg, "different study"));
    kn_journal_close(&j, 0);

    assert_int_equal(kn_journal_resume(&j, path, 0xabc, 10, &err), KN_OK);
    assert_true(j.n_done == 4);
    assert_true(kn_journal_has(&j, 5) && kn_journal_has(&j, 9) && !kn_journal_has(&j, 7));
    kn_run_record r = make(7, 3, 0);
    assert_int_equal(kn_journal_append(&j, &r, &err), KN_OK); /* after the dropped tail */
    kn_rep_result_clear(&r.result);
    seen s = {{0}, 0};
    assert_int_equal(kn_journal_replay(&j, remember, &s, &err), KN_OK);
    uint64_t want[] = {0, 2, 5, 7, 9};
    assert_int_equal(s.n, 5);
    assert_memory_equal(s.runs, want, sizeof want);
    kn_journal_close(&j, 1);
    assert_int_equal(access(path, F_OK), -1); /* removed */
    assert_int_equal(kn_journal_resume(&j, path, 0xabc, 10, &err), KN_EIO);
    assert_non_null(strstr(err.msg, "nothing to resume"));
    kn_journal_close(&j, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_round_trip),
        cmocka_unit_test(test_corruption_detected),
        cmocka_unit_test(test_journal_resume_and_replay),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
