/* fuzz_sweep.c - libFuzzer target: the sweep reader (kn_sweep_load) on any bytes,
 * written to a sweep file in a temporary directory that holds the base scenarios the
 * seeds name (base.yaml, ../base.yaml, ../call-centre.yaml, ../organisation.yaml). A
 * loaded sweep's points must all build and pass the checks. Seeds: tests/data/sweeps,
 * scenarios/sweeps. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sweep.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], path[128];

static const char scenario[] =
    "name: sweep base\n"
    "run: {days: 2, warmup_days: 1, replications: 3, seed: 42}\n"
    "arrivals: {per_hour: 600}\n"
    "service: {distribution: exponential, mean_minutes: 1.0}\n"
    "patience: {distribution: exponential, mean_minutes: 2.0}\n"
    "staff: {employees: 11}\n";

static void put(const char *name, const char *text, size_t len)
{
    char p[160];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
        abort();
}

static void cleanup(void)
{
    static const char *const files[] = {"s/fuzz.yaml", "s/base.yaml", "base.yaml",
                                        "call-centre.yaml", "organisation.yaml", "s", ""};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        remove(p);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *td = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/koning-fuzz-XXXXXX", td && *td && strlen(td) < 40 ? td : "/tmp");
    if (!mkdtemp(dir))
        abort();
    char sub[80];
    snprintf(sub, sizeof sub, "%s/s", dir);
    if (mkdir(sub, 0700) != 0)
        abort();
    put("s/base.yaml", scenario, sizeof scenario - 1);
    put("base.yaml", scenario, sizeof scenario - 1);
    put("call-centre.yaml", scenario, sizeof scenario - 1);
    put("organisation.yaml", scenario, sizeof scenario - 1);
    snprintf(path, sizeof path, "%s/s/fuzz.yaml", dir);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    put("s/fuzz.yaml", (const char *)data, size);
    kn_sweep *sw = NULL;
    kn_error err = {0};
    /* grids up to 20,000 points: a million-point grid is valid, and checking each of its
     * points takes minutes under the fuzzer's instrumentation (cli_big_sweep times
     * large grids in the real build) */
    kn_sweep_opts opts = {0};
    opts.max_points = 20000;
    kn_status rc = kn_sweep_load_opts(&sw, path, &opts, &err);
    if (rc != KN_OK) {
        if (sw || !err.msg[0])
            abort(); /* a failed load gives nothing and says why */
        return 0;
    }
    size_t n = kn_sweep_points(sw);
    for (size_t i = 0; i < n && i < 64; i++) { /* the first points, and the last */
        kn_scenario sc;
        char buf[64];
        if (kn_sweep_scenario(sw, i, &sc, &err) != KN_OK ||
            kn_sweep_scenario(sw, n - 1 - i, &sc, &err) != KN_OK)
            abort(); /* load checked every point */
        for (size_t k = 0; k < kn_sweep_keys(sw); k++)
            if (!kn_sweep_value(sw, i, k, buf, sizeof buf))
                abort();
    }
    kn_sweep_free(sw);
    return 0;
}
