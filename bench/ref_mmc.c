/*
 * ref_mmc.c - hand-written reference M/M/c simulator for benchmarking koning.
 *
 * This program is the yardstick against which koning's SimGrid-based engine
 * (bench/bench_engine.c) is timed by bench/run.sh.  It is deliberately what a
 * competent engineer would write in an afternoon for one fixed model: a
 * general event-list simulator with an array-based binary min-heap (ordered
 * by time, ties broken by a sequence number so runs are deterministic), two
 * event kinds (ARRIVAL and DEPARTURE of a given server), a growable FIFO ring
 * buffer of waiting customers, c identical servers, xoshiro256** seeded
 * through splitmix64, and exponential variates by inversion.  It runs until
 * exactly N customers have departed, times only the simulation loop with
 * CLOCK_MONOTONIC, and reports P(wait > 0), the mean wait in queue and the
 * server utilisation so that the work is real and can be checked against the
 * Erlang-C formula.  It depends only on libc and libm (no SimGrid).
 *
 * Usage: ref_mmc [--lambda 9.5] [--mu 1] [--servers 10] [--customers 1000000]
 *                [--seed 1]
 * Rates are per minute.  Output: one JSON line on stdout.  Exit 2 on bad
 * arguments.
 */
#define _POSIX_C_SOURCE 199309L

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- random numbers: xoshiro256** seeded by splitmix64 --------------------------- */

typedef struct {
  uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed) {
  uint64_t sm = seed;
  for (int i = 0; i < 4; i++)
    r->s[i] = splitmix64(&sm);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(rng_t *r) {
  uint64_t *s = r->s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* Uniform on the open interval (0,1): 53 random bits, offset by half a step. */
static inline double rng_uniform_open(rng_t *r) {
  return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* Exponential with the given rate, by inversion. */
static inline double rng_exp(rng_t *r, double rate) { return -log(rng_uniform_open(r)) / rate; }

/* ---- event list: array-based binary min-heap ------------------------------------- */

enum event_kind { EV_ARRIVAL, EV_DEPARTURE };

typedef struct {
  double time;
  uint64_t seq; /* insertion order; breaks ties in time deterministically */
  int kind;     /* enum event_kind */
  int server;   /* for EV_DEPARTURE: which server becomes free */
} event_t;

typedef struct {
  event_t *a;
  size_t n, cap;
  uint64_t next_seq;
} heap_t;

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) {
    fprintf(stderr, "ref_mmc: out of memory\n");
    exit(1);
  }
  return q;
}

static inline bool ev_before(const event_t *x, const event_t *y) {
  return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

static void heap_push(heap_t *h, double time, int kind, int server) {
  if (h->n == h->cap) {
    h->cap = h->cap ? 2 * h->cap : 64;
    h->a = xrealloc(h->a, h->cap * sizeof *h->a);
  }
  event_t e = {.time = time, .seq = h->next_seq++, .kind = kind, .server = server};
  size_t i = h->n++;
  while (i > 0) { /* sift up: move parents down into the hole */
    size_t p = (i - 1) / 2;
    if (!ev_before(&e, &h->a[p]))
      break;
    h->a[i] = h->a[p];
    i = p;
  }
  h->a[i] = e;
}

/* Removes and returns the earliest event; the heap must not be empty. */
static event_t heap_pop(heap_t *h) {
  event_t top = h->a[0];
  event_t last = h->a[--h->n];
  size_t n = h->n, i = 0;
  for (;;) { /* sift down: move the smaller child up into the hole */
    size_t c = 2 * i + 1;
    if (c >= n)
      break;
    if (c + 1 < n && ev_before(&h->a[c + 1], &h->a[c]))
      c++;
    if (!ev_before(&h->a[c], &last))
      break;
    h->a[i] = h->a[c];
    i = c;
  }
  if (n > 0)
    h->a[i] = last;
  return top;
}

/* ---- FIFO of waiting customers: growable ring buffer of arrival times ----------- */

typedef struct {
  double *buf;
  size_t head, len, cap; /* cap is a power of two */
} fifo_t;

static void fifo_push(fifo_t *q, double t) {
  if (q->len == q->cap) {
    size_t ncap = q->cap ? 2 * q->cap : 1024;
    double *nb = xrealloc(NULL, ncap * sizeof *nb);
    for (size_t i = 0; i < q->len; i++)
      nb[i] = q->buf[(q->head + i) & (q->cap - 1)];
    free(q->buf);
    q->buf = nb;
    q->head = 0;
    q->cap = ncap;
  }
  q->buf[(q->head + q->len) & (q->cap - 1)] = t;
  q->len++;
}

static double fifo_pop(fifo_t *q) {
  double t = q->buf[q->head];
  q->head = (q->head + 1) & (q->cap - 1);
  q->len--;
  return t;
}

/* ---- argument parsing ------------------------------------------------------------ */

static void usage(FILE *f) {
  fprintf(f, "usage: ref_mmc [--lambda RATE] [--mu RATE] [--servers C] [--customers N] "
             "[--seed S]\n"
             "  defaults: --lambda 9.5 --mu 1 --servers 10 --customers 1000000 --seed 1\n"
             "  rates are per minute; prints one JSON line on stdout\n");
}

static void bad_arg(const char *opt, const char *val, const char *why) {
  fprintf(stderr, "ref_mmc: bad value '%s' for %s: %s\n", val, opt, why);
  usage(stderr);
  exit(2);
}

static double parse_rate(const char *opt, const char *s) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
    bad_arg(opt, s, "not a finite number");
  if (!(v > 0.0))
    bad_arg(opt, s, "must be > 0");
  return v;
}

static uint64_t parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max) {
  char *end;
  errno = 0;
  if (*s == '-' || *s == '+' || *s == ' ' || *s == '\0')
    bad_arg(opt, s, "not a non-negative integer");
  unsigned long long v = strtoull(s, &end, 10);
  if (*end != '\0' || errno == ERANGE)
    bad_arg(opt, s, "not a non-negative integer");
  if (v < min || v > max)
    bad_arg(opt, s, "out of range");
  return (uint64_t)v;
}

/* ---- main ------------------------------------------------------------------------ */

int main(int argc, char **argv) {
  double lambda = 9.5, mu = 1.0;
  int servers = 10;
  uint64_t customers = 1000000, seed = 1;

  for (int i = 1; i < argc; i++) {
    const char *opt = argv[i];
    if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
      usage(stdout);
      return 0;
    }
    if (strcmp(opt, "--lambda") && strcmp(opt, "--mu") && strcmp(opt, "--servers") &&
        strcmp(opt, "--customers") && strcmp(opt, "--seed")) {
      fprintf(stderr, "ref_mmc: unknown argument '%s'\n", opt);
      usage(stderr);
      return 2;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "ref_mmc: %s needs a value\n", opt);
      usage(stderr);
      return 2;
    }
    const char *val = argv[++i];
    if (!strcmp(opt, "--lambda"))
      lambda = parse_rate(opt, val);
    else if (!strcmp(opt, "--mu"))
      mu = parse_rate(opt, val);
    else if (!strcmp(opt, "--servers"))
      servers = (int)parse_u64(opt, val, 1, 1000000);
    else if (!strcmp(opt, "--customers"))
      customers = parse_u64(opt, val, 1, UINT64_MAX);
    else
      seed = parse_u64(opt, val, 0, UINT64_MAX);
  }
  if (lambda >= servers * mu)
    fprintf(stderr,
            "ref_mmc: warning: lambda (%g) >= servers*mu (%g): the queue is unstable and "
            "grows without bound\n",
            lambda, servers * mu);

  /* ---- start-up (not timed) ---- */
  rng_t rng;
  rng_seed(&rng, seed);
  heap_t ev = {0};
  fifo_t queue = {0};
  int *free_srv = xrealloc(NULL, (size_t)servers * sizeof *free_srv); /* stack of idle ids */
  double *srv_wait = xrealloc(NULL, (size_t)servers * sizeof *srv_wait); /* wait of customer
                                                                            in service */
  int n_free = servers;
  for (int s = 0; s < servers; s++)
    free_srv[s] = servers - 1 - s; /* server 0 is taken first */

  uint64_t departed = 0, waited = 0;
  double sum_wait = 0.0, busy_area = 0.0, now = 0.0, last = 0.0;

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);

  /* ---- simulation loop (timed) ---- */
  heap_push(&ev, rng_exp(&rng, lambda), EV_ARRIVAL, -1);
  while (departed < customers) {
    event_t e = heap_pop(&ev);
    now = e.time;
    busy_area += (double)(servers - n_free) * (now - last);
    last = now;

    if (e.kind == EV_ARRIVAL) {
      if (n_free > 0) {
        int s = free_srv[--n_free];
        srv_wait[s] = 0.0;
        heap_push(&ev, now + rng_exp(&rng, mu), EV_DEPARTURE, s);
      } else {
        fifo_push(&queue, now);
      }
      heap_push(&ev, now + rng_exp(&rng, lambda), EV_ARRIVAL, -1);
    } else { /* EV_DEPARTURE: account for the leaving customer, then refill the server */
      int s = e.server;
      double w = srv_wait[s];
      departed++;
      sum_wait += w;
      if (w > 0.0)
        waited++;
      if (queue.len > 0) {
        srv_wait[s] = now - fifo_pop(&queue);
        heap_push(&ev, now + rng_exp(&rng, mu), EV_DEPARTURE, s);
      } else {
        free_srv[n_free++] = s;
      }
    }
  }

  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);

  double p_wait = (double)waited / (double)customers;
  double mean_wait = sum_wait / (double)customers;
  double utilization = now > 0.0 ? busy_area / ((double)servers * now) : 0.0;
  printf("{\"simulator\":\"heap-reference\",\"customers\":%llu,\"seconds\":%.6f,"
         "\"customers_per_second\":%.1f,\"p_wait\":%.6f,\"mean_wait\":%.6f,"
         "\"utilization\":%.6f}\n",
         (unsigned long long)customers, seconds,
         seconds > 0.0 ? (double)customers / seconds : 0.0, p_wait, mean_wait, utilization);

  free(ev.a);
  free(queue.buf);
  free(free_srv);
  free(srv_wait);
  return 0;
}
