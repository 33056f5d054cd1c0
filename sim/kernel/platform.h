/* platform.h - the simulated platform koning runs its actors on. */
#ifndef KONING_PLATFORM_H
#define KONING_PLATFORM_H

#include "koning/error.h"

/* Name of the single host every actor of a desk lives on. */
#define KN_PLATFORM_HOST "desk"

/* Load koning's platform into the (already initialised) SimGrid engine. SimGrid's C
 * API cannot build a platform in code, so the XML text is handed over through an
 * anonymous in-memory file (memfd): nothing is written to disk. */
kn_status kn_platform_load(kn_error *err);

#endif
