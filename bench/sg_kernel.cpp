/* sg_kernel.cpp - an experiment, not part of koning: what limits a SimGrid-based
 * M/M/c engine? The same workload and the same "free server pulls the next customer"
 * design as koning's engine, with three ways of waiting until a service ends:
 *
 *   --mode sleep   an actor per server calls sleep_until (what koning does, via the C API)
 *   --mode timer   an actor per server suspends itself; a kernel timer resumes it
 *   --mode kernel  no actors: each service end is a kernel timer whose callback takes
 *                  the next customer (SimGrid's clock and timer heap, nothing else)
 *
 * Kernel timers (simgrid/kernel/Timer.hpp) exist only in C++, which is why koning, a C
 * project using SimGrid's C API, cannot use them; this file is built only with
 * -DKONING_BENCH_EXPERIMENTS=ON. Output: one JSON line like bench/ref_mmc.c.
 */
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace sg4 = simgrid::s4u;

namespace {
uint64_t rng_state[4];
uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
uint64_t next_u64()
{
    uint64_t* s = rng_state;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}
double uniform() { return (double(next_u64() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }

double lambda = 9.5, mu = 1.0;
long servers = 10, customers = 1000000, taken = 0;
double last_arrival = 0.0, wait_sum = 0.0;
long waited = 0;
std::string mode = "sleep";

/* A server free at `now` takes the next customer; returns the end of that service. */
double take(double now)
{
    taken++;
    last_arrival += -std::log(uniform()) / lambda;
    double start = last_arrival > now ? last_arrival : now;
    if (start > last_arrival) {
        wait_sum += start - last_arrival;
        waited++;
    }
    return start - std::log(uniform()) / mu;
}

void wait_until(double t)
{
    if (mode == "sleep") {
        sg4::this_actor::sleep_until(t);
        return;
    }
    sg4::Actor* self = sg4::Actor::self();
    simgrid::kernel::timer::Timer::set(t, [self] { self->resume(); });
    self->suspend();
}

void server()
{
    double now = 0.0;
    while (taken < customers) {
        double end = take(now);
        wait_until(end);
        now = end;
    }
}

void kernel_step(double now)
{
    if (taken >= customers)
        return;
    double end = take(now);
    simgrid::kernel::timer::Timer::set(end, [end] { kernel_step(end); });
}
} // namespace

int main(int argc, char** argv)
{
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char* f = argv[i];
        const char* v = argv[i + 1];
        if (!std::strcmp(f, "--lambda")) lambda = std::atof(v);
        else if (!std::strcmp(f, "--mu")) mu = std::atof(v);
        else if (!std::strcmp(f, "--servers")) servers = std::atol(v);
        else if (!std::strcmp(f, "--customers")) customers = std::atol(v);
        else if (!std::strcmp(f, "--seed")) seed = std::strtoull(v, nullptr, 10);
        else if (!std::strcmp(f, "--mode")) mode = v;
        else {
            std::fprintf(stderr, "sg_kernel: unknown option %s\n", f);
            return 2;
        }
    }
    if (mode != "sleep" && mode != "timer" && mode != "kernel") {
        std::fprintf(stderr, "sg_kernel: --mode is sleep, timer or kernel\n");
        return 2;
    }
    uint64_t z = seed;
    for (auto& s : rng_state) { /* splitmix64 */
        z += 0x9e3779b97f4a7c15ULL;
        uint64_t x = z;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        s = x ^ (x >> 31);
    }
    int sg_argc = 1;
    char arg0[] = "sg_kernel";
    char* sg_argv[] = {arg0, nullptr};
    sg4::Engine e(&sg_argc, sg_argv);
    xbt_log_control_set("root.thres:critical");
    auto* zone = sg4::create_full_zone("z");
    auto* host = zone->create_host("h", 1.0);
    zone->seal();
    if (mode == "kernel")
        sg4::Actor::create("boot", host, [] {
            for (long i = 0; i < servers; i++)
                kernel_step(0.0);
        });
    else
        for (long i = 0; i < servers; i++)
            sg4::Actor::create("server", host, server);
    auto t0 = std::chrono::steady_clock::now();
    e.run();
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("{\"simulator\":\"sg-%s\",\"customers\":%ld,\"seconds\":%.6f,\"customers_per_second\":%.1f,"
                "\"p_wait\":%.6f,\"mean_wait\":%.6f}\n",
                mode.c_str(), taken, dt, taken / dt, double(waited) / taken, wait_sum / taken);
    return 0;
}
