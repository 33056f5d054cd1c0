/* fuzz_set.c - libFuzzer target: `--set KEY=VALUE` (kn_scenario_set) on any bytes,
 * applied to a valid scenario, then the checks. Never a crash, a hang or a leak; a
 * failed override leaves the scenario as it was. Seeds: tests/fuzz/set/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "scenario_yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
    "name: fuzz\n"
    "run: {days: 30, warmup_days: 2, replications: 4, seed: 1}\n"
    "arrivals: {per_hour: 600}\n"
    "service: {distribution: lognormal, mean_minutes: 1.0, cv: 0.5}\n"
    "patience: {distribution: exponential, mean_minutes: 2.0}\n"
    "staff: {employees: 10}\n"
    "customers: {base: 1000}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static kn_scenario sc;
    static int loaded;
    kn_error err = {0};
    if (!loaded && kn_scenario_load_string(&sc, base, sizeof base - 1, "base.yaml", &err) != KN_OK)
        abort();
    loaded = 1;
    char *a = malloc(size + 1);
    if (!a)
        return 0;
    memcpy(a, data, size);
    a[size] = '\0';
    kn_scenario s = sc;
    kn_status rc = kn_scenario_set(&s, a, &err);
    if (rc != KN_OK && (!err.msg[0] || memcmp(&s, &sc, sizeof s) != 0))
        abort(); /* an error says why and changes nothing */
    if (rc == KN_OK)
        kn_scenario_check(&s, &err);
    free(a);
    return 0;
}
