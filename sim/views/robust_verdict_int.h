/* robust_verdict_int.h - what the files of the robust verdict share (robust_verdict.c,
 * robust_gaps.c, robust_text.c); private to sim/views. */
#ifndef KONING_ROBUST_VERDICT_INT_H
#define KONING_ROBUST_VERDICT_INT_H

#include "robust_verdict.h"

/* The gaps of a loaded verdict (the study's pairs from the file, else each policy
 * against each metric's most frequent winner): their values world by world, shares,
 * sensitivity (Sobol or Morris, by the design), PRIM boxes; then the two most
 * influential magnitudes of each metric (map_x, map_y). */
kn_status kn_rb_gaps(kn_rb_verdict *rb, kn_h5r *r, kn_error *err);

#endif
