/* scenario_yaml_int.h - what the scenario reader (scenario_yaml.c) and writer
 * (scenario_yaml_write.c) share. Not installed.
 */
#ifndef KONING_SCENARIO_YAML_INT_H
#define KONING_SCENARIO_YAML_INT_H

#include "koning/scenario.h"

#define KN_KEY_MAX 256              /* longest dotted key path handled */
#define KN_NPARAMS kn_param_count() /* <= KN_PARAM_MAX */

#endif
