/* erlang.c - the exact oracle for the M/M/n (Erlang-C) and M/M/n+M (Erlang-A) queues.
 *
 * `koning validate` and the unit tests compare the simulator's long-run figures with
 * the numbers computed here, so this file must be right to many digits for every input
 * a scenario can produce (hundreds of servers, patience of days). Two independent
 * computations are offered:
 *
 *   kn_erlang_a           closed formulas of Garnett, Mandelbaum & Reiman (2002),
 *                         Erlang-B by recursion and A(x, y) = x e^y y^-x gamma(x, y)
 *                         from the series of the lower incomplete gamma function;
 *   kn_erlang_birth_death the stationary law of the birth-death chain, summed directly.
 *
 * Everything that can overflow is carried in logarithms or in a mantissa with a
 * separate power-of-two exponent, and differences of nearly equal numbers are avoided
 * by rewriting them as sums of positive terms (see kn_erlang_a_series). Functions
 * return KN_OK or KN_EINVAL with a message; `out` is written only on success.
 */
#include "koning/erlang.h"

#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

/* A series or chain is truncated once a bound on its remaining (relative) tail is below
 * this; it is stricter than the 1e-15 promised in erlang.h. */
#define KN_ERLANG_TAIL_TOL 1e-17
/* Hard cap on the number of chain states / series terms visited. */
#define KN_ERLANG_MAX_TERMS 10000000LL
/* Mantissas above 2^KN_ERLANG_RESCALE_BITS are scaled down exactly by that power of 2. */
#define KN_ERLANG_RESCALE_BITS 600
#define KN_ERLANG_RESCALE_AT 0x1p600
/* log 2 (M_LN2 is POSIX, not C17). */
#define KN_LN2 0.693147180559945309417232121458176568

/* ---- shared helpers ---------------------------------------------------------------- */

/* 1 / (1 + e^r) without overflow for any finite or infinite r. */
static double kn_inv_1p_exp(double r)
{
    if (r > 0.0) {
        double e = exp(-r);
        return e / (1.0 + e);
    }
    return 1.0 / (1.0 + exp(r));
}

/* log(1 + e^z) without overflow. */
static double kn_log1p_exp(double z)
{
    if (z > 0.0)
        return z + log1p(exp(-z));
    return log1p(exp(z));
}

static kn_status kn_erlang_check(double lambda, double mu, double theta, int n,
                                 const kn_erlang *out, kn_error *err)
{
    if (!out)
        return kn_error_set(err, KN_EINVAL, "erlang: out must not be NULL");
    if (!isfinite(lambda) || !(lambda > 0.0))
        return kn_error_set(err, KN_EINVAL, "erlang: lambda must be > 0 and finite, got %g",
                            lambda);
    if (!isfinite(mu) || !(mu > 0.0))
        return kn_error_set(err, KN_EINVAL, "erlang: mu must be > 0 and finite, got %g", mu);
    if (!isfinite(theta) || !(theta >= 0.0))
        return kn_error_set(err, KN_EINVAL, "erlang: theta must be >= 0 and finite, got %g",
                            theta);
    if (n < 1)
        return kn_error_set(err, KN_EINVAL, "erlang: n must be >= 1, got %d", n);
    double a = lambda / mu;
    if (!isfinite(a) || !(a > 0.0))
        return kn_error_set(err, KN_EINVAL,
                            "erlang: offered load lambda/mu = %g/%g is not a positive finite "
                            "number",
                            lambda, mu);
    double nmu = (double)n * mu;
    if (!isfinite(nmu))
        return kn_error_set(err, KN_EINVAL, "erlang: n*mu = %d*%g overflows", n, mu);
    if (theta == 0.0 && !(lambda < nmu))
        return kn_error_set(err, KN_EINVAL,
                            "erlang: theta = 0 (Erlang-C, nobody abandons) has no steady state "
                            "unless lambda < n*mu, got lambda = %g >= n*mu = %d*%g = %g",
                            lambda, n, mu, nmu);
    return KN_OK;
}

/* log((1 - B) / B) for the Erlang-B probability B = B(a, n), n >= 1, a > 0.
 * With G_k = 1/B_k - 1 the recursion 1/B_k = 1 + (k/a)/B_{k-1} becomes
 * G_k = (k/a)(1 + G_{k-1}), G_0 = 0: positive terms only, carried in logs, so neither
 * B underflowing (a << n) nor 1 - B cancelling (a >> n) loses digits. */
static double kn_erlang_b_log_odds(double a, int n)
{
    double log_a = log(a);
    double lg = -log_a; /* log G_1 = log(1/a) */
    for (int k = 2; k <= n; k++)
        lg = log((double)k) - log_a + kn_log1p_exp(lg);
    return lg;
}

/* ---- closed formulas ----------------------------------------------------------------- */

/* A(x, y) = x e^y y^-x gamma(x, y) and the conditional abandonment probability
 * P(abandon | wait > 0) = 1/(rho A) + 1 - 1/rho, rho = y/x.
 *
 * The series gamma(x, y) = y^x e^-y sum_k y^k / (x (x+1) ... (x+k)) gives
 *     A = sum_{k>=0} t_k,   t_0 = 1,  t_k = t_{k-1} y / (x + k).
 * Writing A - 1 = sum_k t_k y/(x+k+1) and rho A = sum_k t_k y/x yields
 *     1 + A (rho - 1) = rho sum_k t_k (k+1)/(x+k+1),
 * so P(abandon | wait > 0) = S / A with S = sum_k t_k (k+1)/(x+k+1): a weighted mean of
 * the abandonment probabilities (k+1)/(x+k+1) of an arrival finding k in queue (t_k is
 * proportional to the stationary probability of n + k in system). This form has no
 * cancellation, which the textbook form suffers badly when theta is small
 * (A (1 - rho) -> 1). Its complement P(served | wait > 0) = R / A with
 * R = sum_k t_k x/(x+k+1) is summed separately, so 1 - P(abandon) is accurate too when
 * nearly everyone abandons.
 *
 * The terms rise while k < y - x and fall afterwards; summing outwards from the mode
 * k* = max(0, floor(y - x)) with t_{k*} factored out keeps every term <= 1, and the
 * falling tails are cut with a geometric bound. log t_{k*} = k* log y - log (x+1)_{k*}.
 */
typedef struct kn_erlang_a_sums {
    double log_a;         /* log A(x, y) */
    double p_ab_cond;     /* S / A = P(abandon | wait > 0) */
    double p_served_cond; /* R / A = P(served | wait > 0) */
} kn_erlang_a_sums;

static kn_status kn_erlang_a_series(double x, double y, kn_erlang_a_sums *out,
                                    kn_error *err)
{
    double kstar = (y > x) ? floor(y - x) : 0.0;
    double log_t_star = 0.0;
    if (kstar > 0.0) {
        gsl_sf_result lp;
        gsl_error_handler_t *old = gsl_set_error_handler_off();
        int st = gsl_sf_lnpoch_e(x + 1.0, kstar, &lp);
        gsl_set_error_handler(old);
        if (st != GSL_SUCCESS || !isfinite(lp.val))
            return kn_error_set(err, KN_EINVAL,
                                "erlang: log Pochhammer (%g)_%g failed: %s", x + 1.0, kstar,
                                gsl_strerror(st));
        log_t_star = kstar * log(y) - lp.val;
    }

    long long terms = 1;
    double sum_a = 1.0;                               /* A / t_{k*} */
    double sum_s = (kstar + 1.0) / (x + kstar + 1.0); /* S / t_{k*} */
    double sum_r = x / (x + kstar + 1.0);             /* R / t_{k*} */

    /* Forward from the mode: ratios y/(x+k) < 1 and falling, so the tail after term k is
     * at most u r / (1 - r) with r = y/(x+k+1); that also bounds the tails of S and R
     * (their weights are < 1), so it is compared with the smaller of the two. (r < 1 is
     * re-checked in case rounding of y - x put k* one below the true mode.) */
    double u = 1.0;
    for (double k = kstar + 1.0;; k += 1.0) {
        u *= y / (x + k);
        sum_a += u;
        sum_s += u * (k + 1.0) / (x + k + 1.0);
        sum_r += u * x / (x + k + 1.0);
        if (++terms > KN_ERLANG_MAX_TERMS)
            goto too_long;
        double r = y / (x + k + 1.0);
        if (u == 0.0 ||
            (r < 1.0 && u * r / (1.0 - r) <= KN_ERLANG_TAIL_TOL * fmin(sum_s, sum_r)))
            break;
    }
    /* Backward from the mode down to k = 0: ratio t_{k-1}/t_k = (x+k)/y, falling as k
     * falls; once below 1 the remaining terms are bounded geometrically. */
    u = 1.0;
    for (double k = kstar; k > 0.0; k -= 1.0) {
        u *= (x + k) / y;
        sum_a += u;
        sum_s += u * k / (x + k); /* term k-1: weight ((k-1)+1)/(x+(k-1)+1) */
        sum_r += u * x / (x + k);
        if (++terms > KN_ERLANG_MAX_TERMS)
            goto too_long;
        double r = (x + k - 1.0) / y;
        if (u == 0.0 ||
            (r < 1.0 && u * r / (1.0 - r) <= KN_ERLANG_TAIL_TOL * fmin(sum_s, sum_r)))
            break;
    }
    out->log_a = log_t_star + log(sum_a);
    out->p_ab_cond = sum_s / sum_a;
    out->p_served_cond = sum_r / sum_a;
    return KN_OK;

too_long:
    return kn_error_set(err, KN_EINVAL,
                        "erlang: the series for A(x = n*mu/theta = %g, y = lambda/theta = %g) "
                        "needs more than %lld terms; theta is too small for this load",
                        x, y, KN_ERLANG_MAX_TERMS);
}

double kn_erlang_b(double a, int n)
{
    if (!isfinite(a) || !(a >= 0.0) || n < 0)
        return NAN;
    double b = 1.0;
    for (int k = 1; k <= n; k++)
        b = a * b / ((double)k + a * b);
    return b;
}

kn_status kn_erlang_a(double lambda, double mu, double theta, int n, kn_erlang *out,
                      kn_error *err)
{
    KN_CHECK(kn_erlang_check(lambda, mu, theta, n, out, err));
    double nmu = (double)n * mu;
    double log_odds_b = kn_erlang_b_log_odds(lambda / mu, n); /* log((1-E)/E) */
    kn_erlang r;

    if (theta == 0.0) {
        /* Erlang-C: P(wait>0) = E / (1 - rho (1 - E)) = 1 / (1 + (1 - rho)(1 - E)/E). */
        double one_minus_rho = (nmu - lambda) / nmu;
        r.p_wait = kn_inv_1p_exp(log(one_minus_rho) + log_odds_b);
        r.p_abandon = 0.0;
        r.mean_wait = r.p_wait / (nmu - lambda);
        r.utilization = lambda / nmu;
        r.served_rate = lambda;
    } else {
        /* Erlang-A at x = n mu / theta, y = lambda / theta:
         * P(wait>0) = A E / (1 + (A-1) E) = 1 / (1 + (1-E)/(E A)). */
        double x = nmu / theta, y = lambda / theta;
        if (!isfinite(x) || !isfinite(y))
            return kn_error_set(err, KN_EINVAL,
                                "erlang: theta = %g is too small for n*mu = %g and lambda = %g "
                                "(n*mu/theta overflows)",
                                theta, nmu, lambda);
        kn_erlang_a_sums s = {0.0, 0.0, 0.0};
        KN_CHECK(kn_erlang_a_series(x, y, &s, err));
        r.p_wait = kn_inv_1p_exp(log_odds_b - s.log_a);
        double p_no_wait = kn_inv_1p_exp(s.log_a - log_odds_b);
        r.p_abandon = r.p_wait * s.p_ab_cond;
        r.mean_wait = r.p_abandon / theta;
        /* 1 - P(abandon), summed from positive parts rather than by subtraction. */
        r.served_rate = lambda * (p_no_wait + r.p_wait * s.p_served_cond);
        /* Busy servers = served_rate / mu <= n; only rounding can push it above 1. */
        r.utilization = fmin(1.0, r.served_rate / nmu);
    }
    r.mean_queue = lambda * r.mean_wait;
    *out = r;
    return KN_OK;
}

/* ---- birth-death chain ----------------------------------------------------------------
 *
 * Birth rate lambda in every state; death rate k mu for k <= n and n mu + (k-n) theta
 * above n. Weights are anchored at state n (w_n = 1) and the chain is summed in two
 * pieces, each with an exact power-of-two scale so that nothing overflows:
 *   lower  L = sum_{k<n} w_k,  w_{k-1} = w_k k mu / lambda        (walking down from n)
 *   upper  U = sum_{k>=n} w_k, w_{k+1} = w_k lambda / d_{k+1}      (walking up from n)
 * Then P(N >= n) = U / (L + U) = 1 / (1 + e^(log L - log U)) and the conditional means
 * (queue length given N >= n, busy servers given N < n) are ratios of sums sharing one
 * scale, so every figure keeps its relative accuracy even when it is 1e-200.
 */

typedef struct kn_bd_part {
    double log_mass; /* log of the piece's total weight relative to w_n */
    double mean;     /* lower: E[N | N < n]; upper: E[N - n | N >= n] */
} kn_bd_part;

static kn_status kn_bd_too_long(kn_error *err, double lambda, double mu, double theta, int n)
{
    return kn_error_set(err, KN_EINVAL,
                        "erlang: birth-death chain for lambda = %g, mu = %g, theta = %g, n = %d "
                        "needs more than %lld states before its tail is negligible",
                        lambda, mu, theta, n, KN_ERLANG_MAX_TERMS);
}

static kn_status kn_bd_lower(double lambda, double mu, int n, long long *states,
                             kn_bd_part *part, kn_error *err)
{
    double v = 1.0, sum = 0.0, sum_k = 0.0;
    long exp2 = 0;
    for (int k = n; k >= 1; k--) {
        v *= (double)k * mu / lambda; /* now w_{k-1} */
        sum += v;
        sum_k += (double)(k - 1) * v;
        if (++*states > KN_ERLANG_MAX_TERMS)
            return kn_bd_too_long(err, lambda, mu, 0.0, n);
        if (v > KN_ERLANG_RESCALE_AT) {
            v = ldexp(v, -KN_ERLANG_RESCALE_BITS);
            sum = ldexp(sum, -KN_ERLANG_RESCALE_BITS);
            sum_k = ldexp(sum_k, -KN_ERLANG_RESCALE_BITS);
            exp2 += KN_ERLANG_RESCALE_BITS;
        }
        /* Remaining weights w_j, j < k-1: ratios (j+1) mu / lambda <= r = (k-1) mu/lambda.
         * The k-weighted tail is bounded by the same relative amount. */
        double r = (double)(k - 1) * mu / lambda;
        if (v == 0.0 || (r < 1.0 && v * r / (1.0 - r) <= KN_ERLANG_TAIL_TOL * sum))
            break;
    }
    part->log_mass = log(sum) + (double)exp2 * KN_LN2;
    part->mean = sum_k / sum;
    return KN_OK;
}

static kn_status kn_bd_upper(double lambda, double mu, double theta, int n,
                             long long *states, kn_bd_part *part, kn_error *err)
{
    double nmu = (double)n * mu;
    if (theta == 0.0) {
        /* Geometric tail w_{n+j} = rho^j: U = 1/(1-rho), E[N-n | N>=n] = rho/(1-rho). */
        double rho = lambda / nmu, one_minus_rho = (nmu - lambda) / nmu;
        part->log_mass = -log(one_minus_rho);
        part->mean = rho / one_minus_rho;
        return KN_OK;
    }
    double u = 1.0, sum = 1.0, sum_q = 0.0;
    long exp2 = 0;
    ++*states;
    for (long long j = 1;; j++) {
        u *= lambda / (nmu + (double)j * theta); /* w_{n+j} */
        sum += u;
        sum_q += (double)j * u;
        if (++*states > KN_ERLANG_MAX_TERMS)
            return kn_bd_too_long(err, lambda, mu, theta, n);
        if (u > KN_ERLANG_RESCALE_AT) {
            u = ldexp(u, -KN_ERLANG_RESCALE_BITS);
            sum = ldexp(sum, -KN_ERLANG_RESCALE_BITS);
            sum_q = ldexp(sum_q, -KN_ERLANG_RESCALE_BITS);
            exp2 += KN_ERLANG_RESCALE_BITS;
        }
        /* Remaining w_{n+j+i} <= u r^i with r = lambda / d_{n+j+1} once r < 1, so
         * tail mass <= u r/(1-r) and tail of sum (j+i) w <= u (j r/(1-r) + r/(1-r)^2). */
        double r = lambda / (nmu + (double)(j + 1) * theta);
        if (u == 0.0)
            break;
        if (r < 1.0) {
            double g = r / (1.0 - r);
            double tail = u * g;
            double tail_q = u * ((double)j * g + g / (1.0 - r));
            if (tail <= KN_ERLANG_TAIL_TOL * sum && tail_q <= KN_ERLANG_TAIL_TOL * sum_q)
                break;
        }
    }
    part->log_mass = log(sum) + (double)exp2 * KN_LN2;
    part->mean = sum_q / sum;
    return KN_OK;
}

kn_status kn_erlang_birth_death(double lambda, double mu, double theta, int n,
                                kn_erlang *out, kn_error *err)
{
    KN_CHECK(kn_erlang_check(lambda, mu, theta, n, out, err));
    long long states = 0;
    kn_bd_part lo = {0.0, 0.0}, up = {0.0, 0.0};
    KN_CHECK(kn_bd_lower(lambda, mu, n, &states, &lo, err));
    KN_CHECK(kn_bd_upper(lambda, mu, theta, n, &states, &up, err));

    double d = lo.log_mass - up.log_mass;
    double p_upper = kn_inv_1p_exp(d);  /* P(N >= n): an arrival waits (PASTA) */
    double p_lower = kn_inv_1p_exp(-d); /* P(N < n) */
    double mean_queue = up.mean * p_upper;
    double busy = lo.mean * p_lower + (double)n * p_upper; /* E[min(N, n)] */

    kn_erlang r;
    r.p_wait = p_upper;
    r.mean_queue = mean_queue;
    r.mean_wait = mean_queue / lambda;          /* Little */
    r.p_abandon = theta * mean_queue / lambda;  /* abandonment flow / arrival flow */
    r.utilization = fmin(1.0, busy / (double)n);
    r.served_rate = mu * busy; /* flow balance: departures by service = mu E[busy] */
    *out = r;
    return KN_OK;
}
