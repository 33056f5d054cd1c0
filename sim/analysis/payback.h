/* payback.h - when a switch of policy pays for itself. d[r][w] is the cumulative paired
 * difference (new policy minus status quo, same random numbers) of replication r up to
 * and including week w; weeks are counted from 0, the first simulated week, so a switch
 * costing 100 a week for weeks 0..9 and gaining 20 a week after is at -1000 after week 9,
 * back to 0 after week 59 and positive from week 60.
 *
 * The mean curve has a Student-t band per week (kn_summarize over the replications, R - 1
 * degrees of freedom). The payback week is the first week from which the mean stays > 0
 * to the end of the horizon; its interval is [first week from which the upper band stays
 * > 0, first week from which the lower band stays > 0] (the upper band crosses first).
 * Cases: every difference exactly 0 (the two policies are the same here): no payback
 * needed; the mean > 0 from week 0: paid back at once (week 0); the mean not > 0 in the
 * last week: not within the horizon.
 */
#ifndef KONING_PAYBACK_H
#define KONING_PAYBACK_H

#include <stddef.h>
#include "koning/error.h"

typedef enum kn_payback_case {
    KN_PAYBACK_NEVER_NEEDED = 0, /* all differences exactly 0 */
    KN_PAYBACK_AT_ONCE = 1,      /* the mean is > 0 from week 0 on: week 0 */
    KN_PAYBACK_WITHIN = 2,       /* the mean stays > 0 from week `week` > 0 on */
    KN_PAYBACK_NOT_WITHIN = 3    /* the mean is not > 0 in the last week */
} kn_payback_case;

/* A week that is not reached within the horizon. */
#define KN_PAYBACK_NONE ((size_t)-1)

typedef struct kn_payback {
    kn_payback_case kase;
    size_t week;              /* payback week, or KN_PAYBACK_NONE */
    size_t week_lo, week_hi;  /* its interval from the bands, each possibly KN_PAYBACK_NONE */
} kn_payback;

/* Payback of R >= 2 replications over W >= 1 weeks: d[r * stride + w], stride >= W, all
 * finite. mean, lo, hi (W doubles each, the caller's; any may be NULL) get the mean curve
 * and its band at `level` in (0, 1). Returns KN_OK, or KN_EINVAL with a message. */
kn_status kn_payback_estimate(const double *d, size_t R, size_t W, size_t stride, double level,
                              double *mean, double *lo, double *hi, kn_payback *out,
                              kn_error *err);

#endif
