/* prim.c - PRIM peeling trajectory, the chosen box, its trimming and Bryant & Lempert's
 * quasi-p-values (prim.h). The points inside the current box are kept as a compacted
 * index list; each candidate peel sorts that box's values of one dimension and counts
 * what would remain. Densities are compared as cross products of counts, so equal
 * densities are equal. */
#include <stdlib.h>
#include <string.h>
#include "prim.h"
#include "analysis_internal.h"

struct kn_prim {
    size_t n, k, ones_total;
    size_t nbox, cap, chosen; /* boxes 0 .. nbox-1 peeled, slot nbox the final box */
    double *lo, *hi;          /* cap x k */
    double *qp;               /* cap x k */
    size_t *count, *ones;     /* cap */
};

void kn_prim_defaults(kn_prim_options *o)
{
    o->alpha = 0.05;
    o->min_support = 0.05;
    o->min_coverage = 0.5;
    o->max_quasi_p = 0.05;
}

void kn_prim_destroy(kn_prim *p)
{
    if (!p)
        return;
    free(p->lo);
    free(p->hi);
    free(p->qp);
    free(p->count);
    free(p->ones);
    free(p);
}

/* Room for one more box; 0 when memory runs out. */
static int grow(kn_prim *p)
{
    if (p->nbox < p->cap)
        return 1;
    size_t cap = p->cap ? 2 * p->cap : 64, k = p->k;
    double *lo = realloc(p->lo, cap * k * sizeof *lo);
    if (lo)
        p->lo = lo;
    double *hi = realloc(p->hi, cap * k * sizeof *hi);
    if (hi)
        p->hi = hi;
    double *qp = realloc(p->qp, cap * k * sizeof *qp);
    if (qp)
        p->qp = qp;
    size_t *count = realloc(p->count, cap * sizeof *count);
    if (count)
        p->count = count;
    size_t *ones = realloc(p->ones, cap * sizeof *ones);
    if (ones)
        p->ones = ones;
    if (!lo || !hi || !qp || !count || !ones)
        return 0;
    p->cap = cap;
    return 1;
}

/* Is density a/na greater than b/nb? (cross products: exact for counts below 2^53) */
static int denser(size_t a, size_t na, size_t b, size_t nb)
{
    return (double)a * (double)nb > (double)b * (double)na;
}

/* P(X >= s) for X ~ Binomial(N, q), summed in log space. */
static double binomial_upper(size_t s, size_t N, double q)
{
    if (s == 0 || q >= 1.0)
        return 1.0;
    if (q <= 0.0)
        return 0.0;
    double c = lgamma((double)N + 1.0), lq = log(q), l1q = log1p(-q), top = -INFINITY;
    for (size_t x = s; x <= N; x++) {
        double lt = c - lgamma((double)x + 1.0) - lgamma((double)(N - x) + 1.0) +
                    (double)x * lq + (double)(N - x) * l1q;
        top = fmax(top, lt);
    }
    double sum = 0.0;
    for (size_t x = s; x <= N; x++)
        sum += exp(c - lgamma((double)x + 1.0) - lgamma((double)(N - x) + 1.0) +
                   (double)x * lq + (double)(N - x) * l1q - top);
    return fmin(1.0, exp(top) * sum);
}

typedef struct peel {
    size_t dim, count, ones;
    int high;     /* 0: the low side, 1: the high side */
    double limit; /* the new limit */
} peel;

/* The best peel of the box holding the m points in idx; found = 0 when none leaves at
 * least min_count points. vals is scratch for m doubles. */
static peel best_peel(const double *x, const int *y, size_t k, const size_t *idx, size_t m,
                      double alpha, size_t min_count, double *vals, int *found)
{
    peel best = {0, 0, 0, 0, 0.0};
    *found = 0;
    size_t cut = (size_t)floor(alpha * (double)m);
    cut = cut < 1 ? 1 : cut;
    if (cut >= m)
        return best;
    for (size_t j = 0; j < k; j++) {
        for (size_t i = 0; i < m; i++)
            vals[i] = x[idx[i] * k + j];
        qsort(vals, m, sizeof *vals, kn_cmp_double);
        for (int high = 0; high <= 1; high++) {
            double limit = high ? vals[m - 1 - cut] : vals[cut];
            if (limit == (high ? vals[m - 1] : vals[0]))
                continue; /* ties at the edge: this peel would remove nothing */
            size_t count = 0, ones = 0;
            for (size_t i = 0; i < m; i++) {
                double v = x[idx[i] * k + j];
                if (high ? v <= limit : v >= limit) {
                    count++;
                    ones += y[idx[i]] != 0;
                }
            }
            if (count < min_count)
                continue;
            if (!*found || denser(ones, count, best.ones, best.count) ||
                (!denser(best.ones, best.count, ones, count) && count > best.count)) {
                best = (peel){j, count, ones, high, limit};
                *found = 1;
            }
        }
    }
    return best;
}

/* Points (and ones) inside the box lo, hi, ignoring dimension skip (k: none). */
static void count_in(const kn_prim *p, const double *x, const int *y, const double *lo,
                     const double *hi, size_t skip, size_t *count, size_t *ones)
{
    *count = *ones = 0;
    for (size_t i = 0; i < p->n; i++) {
        size_t j = 0;
        for (; j < p->k; j++)
            if (j != skip && (x[i * p->k + j] < lo[j] || x[i * p->k + j] > hi[j]))
                break;
        if (j == p->k) {
            (*count)++;
            *ones += y[i] != 0;
        }
    }
}

/* Quasi-p-value of box b's density against the box with dimension j (k: nothing) lifted
 * and, when side >= 0, only that side (0 low, 1 high) of it. */
static double quasi_p(kn_prim *p, const double *x, const int *y, size_t b, size_t j, int side)
{
    size_t k = p->k, c, s;
    double *lo = p->lo + b * k, *hi = p->hi + b * k;
    if (side < 0) {
        count_in(p, x, y, lo, hi, j, &c, &s);
    } else {
        double *lim = side ? &hi[j] : &lo[j], keep = *lim;
        *lim = side ? p->hi[j] : p->lo[j];
        count_in(p, x, y, lo, hi, k, &c, &s);
        *lim = keep;
    }
    return binomial_upper(p->ones[b], p->count[b], (double)s / (double)c);
}

/* The final box, in slot nbox: the chosen box with every limit whose quasi-p-value exceeds
 * max_qp put back to its initial bound, the least significant first, one at a time. */
static void trim(kn_prim *p, const double *x, const int *y, double max_qp)
{
    size_t k = p->k, f = p->nbox, c = p->chosen;
    double *lo = p->lo + f * k, *hi = p->hi + f * k;
    memcpy(lo, p->lo + c * k, k * sizeof *lo);
    memcpy(hi, p->hi + c * k, k * sizeof *hi);
    p->count[f] = p->count[c];
    p->ones[f] = p->ones[c];
    for (;;) {
        double worst = -1.0;
        size_t wj = k;
        int wside = 0;
        for (size_t j = 0; j < k; j++)
            for (int side = 0; side <= 1; side++) {
                if (side ? hi[j] == p->hi[j] : lo[j] == p->lo[j])
                    continue;
                double q = quasi_p(p, x, y, f, j, side);
                if (q > worst) {
                    worst = q;
                    wj = j;
                    wside = side;
                }
            }
        if (wj == k || worst <= max_qp)
            return;
        if (wside)
            hi[wj] = p->hi[wj];
        else
            lo[wj] = p->lo[wj];
        count_in(p, x, y, lo, hi, k, &p->count[f], &p->ones[f]);
    }
}

static kn_status check_run(const double *x, size_t n, size_t k, const double *lo,
                           const double *hi, const int *y, const kn_prim_options *o,
                           size_t *ones, kn_error *err)
{
    if (n < 2 || k < 1)
        return kn_error_set(err, KN_EINVAL, "PRIM needs n >= 2 points and k >= 1 inputs");
    if (!(o->alpha > 0.0 && o->alpha < 0.5) || !(o->min_support > 0.0 && o->min_support <= 1.0) ||
        !(o->min_coverage >= 0.0 && o->min_coverage <= 1.0) || !(o->max_quasi_p >= 0.0))
        return kn_error_set(err, KN_EINVAL, "PRIM options: alpha %g must be in (0, 0.5), "
                            "min_support %g in (0, 1], min_coverage %g in [0, 1], max_quasi_p "
                            "%g >= 0", o->alpha, o->min_support, o->min_coverage, o->max_quasi_p);
    for (size_t j = 0; j < k; j++)
        if (!(isfinite(lo[j]) && isfinite(hi[j]) && lo[j] <= hi[j]))
            return kn_error_set(err, KN_EINVAL, "PRIM: bounds of input %zu are [%g, %g]", j,
                                lo[j], hi[j]);
    *ones = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < k; j++) {
            double v = x[i * k + j];
            if (!(v >= lo[j] && v <= hi[j]))
                return kn_error_set(err, KN_EINVAL, "PRIM: point %zu, input %zu is %g, outside "
                                    "[%g, %g]", i, j, v, lo[j], hi[j]);
        }
        *ones += y[i] != 0;
    }
    if (*ones == 0)
        return kn_error_set(err, KN_EINVAL, "PRIM: no point has y = 1, nothing to discover");
    return KN_OK;
}

kn_status kn_prim_run(const double *x, size_t n, size_t k, const double *lo, const double *hi,
                      const int *y, const kn_prim_options *opt, kn_prim **out, kn_error *err)
{
    kn_prim_options o;
    if (opt)
        o = *opt;
    else
        kn_prim_defaults(&o);
    size_t ones_total = 0;
    KN_CHECK(check_run(x, n, k, lo, hi, y, &o, &ones_total, err));
    kn_prim *p = calloc(1, sizeof *p);
    size_t *idx = malloc(n * sizeof *idx);
    double *vals = malloc(n * sizeof *vals);
    if (p) {
        p->n = n;
        p->k = k;
    }
    if (!p || !idx || !vals || !grow(p)) {
        kn_prim_destroy(p);
        free(idx);
        free(vals);
        return kn_error_set(err, KN_ENOMEM, "PRIM: no memory for %zu points", n);
    }
    p->ones_total = ones_total;
    memcpy(p->lo, lo, k * sizeof *lo);
    memcpy(p->hi, hi, k * sizeof *hi);
    p->count[0] = n;
    p->ones[0] = ones_total;
    p->nbox = 1;
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    size_t m = n, min_count = (size_t)ceil(o.min_support * (double)n);
    for (;;) {
        int found;
        peel pe = best_peel(x, y, k, idx, m, o.alpha, min_count, vals, &found);
        if (!found)
            break;
        if (!grow(p)) {
            kn_prim_destroy(p);
            free(idx);
            free(vals);
            return kn_error_set(err, KN_ENOMEM, "PRIM: no memory for the trajectory");
        }
        size_t b = p->nbox++;
        memcpy(p->lo + b * k, p->lo + (b - 1) * k, k * sizeof *lo);
        memcpy(p->hi + b * k, p->hi + (b - 1) * k, k * sizeof *hi);
        (pe.high ? p->hi : p->lo)[b * k + pe.dim] = pe.limit;
        p->count[b] = pe.count;
        p->ones[b] = pe.ones;
        size_t kept = 0;
        for (size_t i = 0; i < m; i++) {
            double v = x[idx[i] * k + pe.dim];
            if (pe.high ? v <= pe.limit : v >= pe.limit)
                idx[kept++] = idx[i];
        }
        m = kept;
    }
    free(idx);
    free(vals);
    if (!grow(p)) { /* the slot of the final box */
        kn_prim_destroy(p);
        return kn_error_set(err, KN_ENOMEM, "PRIM: no memory for the trajectory");
    }
    p->chosen = 0;
    for (size_t b = 1; b < p->nbox; b++)
        if ((double)p->ones[b] >= o.min_coverage * (double)ones_total &&
            denser(p->ones[b], p->count[b], p->ones[p->chosen], p->count[p->chosen]))
            p->chosen = b;
    trim(p, x, y, o.max_quasi_p);
    for (size_t b = 0; b <= p->nbox; b++)
        for (size_t j = 0; j < k; j++)
            p->qp[b * k + j] = kn_prim_restricted(p, b, j) ? quasi_p(p, x, y, b, j, -1) : NAN;
    *out = p;
    return KN_OK;
}

size_t kn_prim_boxes(const kn_prim *p)
{
    return p->nbox;
}

size_t kn_prim_chosen(const kn_prim *p)
{
    return p->chosen;
}

/* The slot of box b: KN_PRIM_FINAL is the one after the trajectory. */
static size_t slot(const kn_prim *p, size_t b)
{
    return b == KN_PRIM_FINAL ? p->nbox : b;
}

kn_prim_box kn_prim_box_at(const kn_prim *p, size_t b)
{
    b = slot(p, b);
    kn_prim_box box = {p->lo + b * p->k, p->hi + b * p->k, p->count[b], p->ones[b],
                       (double)p->count[b] / (double)p->n,
                       (double)p->ones[b] / (double)p->ones_total,
                       (double)p->ones[b] / (double)p->count[b]};
    return box;
}

int kn_prim_restricted(const kn_prim *p, size_t b, size_t j)
{
    b = slot(p, b);
    return p->lo[b * p->k + j] > p->lo[j] || p->hi[b * p->k + j] < p->hi[j];
}

double kn_prim_quasi_p(const kn_prim *p, size_t b, size_t j)
{
    b = slot(p, b);
    return p->qp[b * p->k + j];
}
