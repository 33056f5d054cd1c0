/* validate.h - `koning validate`: the simulator against exact M/M/n and M/M/n+M figures. */
#ifndef KONING_VALIDATE_H
#define KONING_VALIDATE_H

#include <stdint.h>
#include <stdio.h>
#include "koning/error.h"

typedef struct kn_validate_opts {
    int jobs;           /* parallel replications */
    int replications;   /* per case (default 20) */
    double scale;       /* multiplies every case's run length (default 1) */
    double level;       /* confidence level of the check (default 0.99) */
    uint64_t seed;      /* master seed (default 1) */
    int json;           /* 1: one JSON object instead of the table */
} kn_validate_opts;

/* Run the built-in cases, print the comparison to `out`. Returns the number of failed
 * checks (0 = all pass), or -1 with err set if a case could not be run. */
int kn_validate(FILE *out, const kn_validate_opts *opts, kn_error *err);

#endif
