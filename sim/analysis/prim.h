/* prim.h - scenario discovery: which region of the input space holds the cases of
 * interest (y = 1: a policy fails, or loses to another), found by the Patient Rule
 * Induction Method (Friedman & Fisher 1999, Statistics and Computing 9(2)) as used for
 * robust decision making (Bryant & Lempert 2010, Technological Forecasting & Social
 * Change 77(1)).
 *
 * Peeling: starting from the box of the given bounds, each step removes a fraction alpha
 * of the points in the box from one side of one dimension (points below the alpha
 * quantile of that dimension, or above the 1 - alpha quantile, at least one point), the
 * side and dimension chosen to maximise the mean of y in what remains (ties: the larger
 * box, then the lower dimension, low side first). A new limit is the value of the
 * outermost point kept, and the box is closed (lo <= x <= hi). Peeling stops when no peel
 * leaves at least min_support n points. Every box of the way is kept: its limits, support
 * (share of all points inside), coverage (share of all y = 1 inside) and density (mean y
 * inside).
 *
 * The chosen box: the highest density among the boxes of coverage >= min_coverage (ties:
 * the earlier, larger box). Box 0 has coverage 1, so there is always one.
 *
 * Restrictions and their significance: a dimension is restricted in a box when a limit
 * differs from the initial bound. The quasi-p-value of a restriction (Bryant & Lempert
 * 2010) is P(X >= ones in the box), X ~ Binomial(points in the box, density of the box
 * with the restriction lifted): the chance of a box this dense if the restriction did
 * not matter. The last peels of a trajectory are often noise (a peel that happens to
 * raise the density a little), so the final box is the chosen box trimmed: while some
 * limit (one side of one dimension) has a quasi-p-value above max_quasi_p, the least
 * significant is put back to its initial bound. The final box's coverage and density are
 * recomputed; max_quasi_p = 1 keeps the chosen box as it is. No pasting step is done.
 */
#ifndef KONING_PRIM_H
#define KONING_PRIM_H

#include <stddef.h>
#include "koning/error.h"

typedef struct kn_prim_options {
    double alpha;        /* peeling fraction in (0, 0.5), default 0.05 */
    double min_support;  /* smallest box, as a share of the points, in (0, 1], default 0.05 */
    double min_coverage; /* the chosen box covers at least this share of y = 1, default 0.5 */
    double max_quasi_p;  /* trimming: limits less significant than this go, default 0.05 */
} kn_prim_options;

/* The final (chosen and trimmed) box, for kn_prim_box_at, kn_prim_restricted and
 * kn_prim_quasi_p. */
#define KN_PRIM_FINAL ((size_t)-1)

/* Fill o with the defaults above. */
void kn_prim_defaults(kn_prim_options *o);

/* A peeling trajectory (opaque; kn_prim_destroy frees it). */
typedef struct kn_prim kn_prim;

/* One box of a trajectory. lo and hi (k values each) belong to the kn_prim and live as
 * long as it does. */
typedef struct kn_prim_box {
    const double *lo, *hi;
    size_t count;     /* points inside */
    size_t ones;      /* points with y = 1 inside */
    double support;   /* count / n */
    double coverage;  /* ones / all points with y = 1 */
    double density;   /* ones / count */
} kn_prim_box;

/* Peel the n points x (n x k, row-major; x[i * k + j] within [lo[j], hi[j]]) with labels y
 * (n ints, nonzero = a case of interest) under opt (NULL = defaults). On KN_OK *out is a
 * new trajectory the caller destroys. KN_EINVAL when a value is outside its bounds or not
 * finite, when no y is 1, or an option is out of range; KN_ENOMEM. x, y, lo, hi stay the
 * caller's and are not kept. */
kn_status kn_prim_run(const double *x, size_t n, size_t k, const double *lo, const double *hi,
                      const int *y, const kn_prim_options *opt, kn_prim **out, kn_error *err);

/* Free a trajectory; NULL is a no-op. */
void kn_prim_destroy(kn_prim *p);

/* Boxes on the peeling trajectory (>= 1; box 0 is the initial box). */
size_t kn_prim_boxes(const kn_prim *p);

/* Index on the trajectory of the chosen box (before trimming). */
size_t kn_prim_chosen(const kn_prim *p);

/* Box b (< kn_prim_boxes(p), or KN_PRIM_FINAL) of the trajectory. */
kn_prim_box kn_prim_box_at(const kn_prim *p, size_t b);

/* 1 when box b (or KN_PRIM_FINAL) restricts dimension j (a limit inside the initial
 * bounds), else 0. */
int kn_prim_restricted(const kn_prim *p, size_t b, size_t j);

/* Quasi-p-value of box b's (or KN_PRIM_FINAL's) restriction on dimension j, both its limits
 * lifted together (Bryant & Lempert's definition); NaN when j is not restricted. */
double kn_prim_quasi_p(const kn_prim *p, size_t b, size_t j);

#endif
