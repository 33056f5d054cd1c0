/* scenario_yaml.h - scenario files (YAML, docs/scenarios.md): read, override, write.
 *
 * A file is checked strictly against the key table of koning/scenario.h: an unknown
 * key, a wrong type, a value out of range or a broken rule across keys is an error
 * naming file, line, column and key. `--set path.to.key=value` overrides any key after
 * the file is read. Every key has a documented default or is required; nothing is
 * silently replaced.
 */
#ifndef KONING_SCENARIO_YAML_H
#define KONING_SCENARIO_YAML_H

#include <stddef.h>
#include <stdio.h>
#include "koning/error.h"
#include "koning/scenario.h"

/* Read and validate a scenario file. On error returns KN_EIO (missing/unreadable
 * file) or KN_ESCENARIO with err->msg "FILE:LINE:COL: key 'a.b': reason". */
kn_status kn_scenario_load(kn_scenario *sc, const char *path, kn_error *err);

/* Same from text in memory; `origin` is the name used in messages. */
kn_status kn_scenario_load_string(kn_scenario *sc, const char *text, size_t len,
                                  const char *origin, kn_error *err);

/* Apply one override "a.b.c=value" (value parsed as a YAML scalar or flow sequence).
 * Errors say "--set a.b.c=value: key 'a.b.c': reason". Re-run kn_scenario_check after. */
kn_status kn_scenario_set(kn_scenario *sc, const char *assignment, kn_error *err);

/* Write the fully resolved scenario as YAML that kn_scenario_load reads back to an
 * identical kn_scenario (except `file`). */
kn_status kn_scenario_write_yaml(const kn_scenario *sc, FILE *out, kn_error *err);

#endif
