/* fuzz_scenario.c - libFuzzer target: the scenario reader (kn_scenario_load_string) on
 * any bytes. It must answer KN_OK or an error with a message, never crash, hang or leak;
 * an accepted scenario must pass the checks and read back from its own YAML. Seeds:
 * tests/data/good, tests/data/bad, scenarios/ (docs/failure-modes.md#fuzzing). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario_yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kn_scenario sc;
    kn_error err = {0};
    kn_status rc = kn_scenario_load_string(&sc, (const char *)data, size, "fuzz.yaml", &err);
    if (rc != KN_OK) {
        if (!err.msg[0] || err.code != rc)
            abort(); /* every error says what is wrong */
        return 0;
    }
    if (kn_scenario_check(&sc, &err) != KN_OK)
        abort(); /* what the reader accepts, the checks accept */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return 0;
    rc = kn_scenario_write_yaml(&sc, f, &err);
    fclose(f);
    kn_scenario back;
    if (rc == KN_OK && kn_scenario_load_string(&back, text, len, "fuzz.yaml", &err) != KN_OK)
        abort(); /* the written YAML reads back */
    free(text);
    return 0;
}
