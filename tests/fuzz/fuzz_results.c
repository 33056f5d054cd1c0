/* fuzz_results.c - libFuzzer target: the results-file reader (sim/files/h5read.c) on any
 * bytes, written to a temporary file and opened as koning's readers open it: open, the
 * study at a glance, the scenario keys, the attributes and a few datasets. Any file
 * must be an error with a message or read; never a crash in koning's code. Seeds:
 * tests/fuzz/results/ (small results files and HDF5 files that are not). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "h5read.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[96];

static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *td = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/koning-fuzz-XXXXXX.h5",
             td && *td && strlen(td) < 60 ? td : "/tmp");
    int fd = mkstemps(path, 3);
    if (fd < 0)
        abort();
    close(fd);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    kn_h5r *r = NULL;
    kn_error err = {0};
    if (kn_h5r_open(&r, path, &err) != KN_OK) {
        if (r || !err.msg[0])
            abort();
        return 0;
    }
    kn_h5r_study st;
    if (kn_h5r_study_load(r, &st, &err) == KN_OK) {
        if (st.n_run && st.n_period) {
            double *rows = malloc(st.n_period * sizeof *rows);
            if (rows)
                kn_h5r_rows(r, "p_wait_by_period", 0, 1, rows, &err);
            free(rows);
        }
        kn_h5r_study_free(&st);
    }
    char **keys = NULL, **names = NULL, *text = NULL;
    size_t nk = 0, nn = 0, rows = 0, cols = 0;
    if (kn_h5r_scenario_keys(r, &keys, &nk, &err) == KN_OK)
        kn_h5r_free_strings(keys, nk);
    if (kn_h5r_strings(r, "scenario_yaml", &names, &nn, &err) == KN_OK)
        kn_h5r_free_strings(names, nn);
    if (kn_h5r_attr_text(r, "/", "kind", &text, &err) == KN_OK)
        free(text);
    double *v = NULL, level;
    if (kn_h5r_doubles(r, "arrivals.profile", &v, &rows, &cols, &err) == KN_OK)
        free(v);
    kn_h5r_attr_double(r, "/", "confidence_level", &level, &err);
    kn_h5r_dim(r, "period");
    kn_h5r_close(r);
    return 0;
}
