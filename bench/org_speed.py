#!/usr/bin/python3
"""org_speed.py BUILD [--rounds R] [--repeat K] [--baseline-commit C] [--quick]

The organisation model's speed, measured in one run against the hand-written heap
simulator (bench/ref_mmc.c), so that the ratios mean something on a shared, noisy
machine. Every round runs, alternately:

  - the reference: BUILD/ref_mmc, M/M/10 at rho = 0.95, 10^6 customers: microseconds
    per customer;
  - BUILD/bench_org on scenarios/organisation.yaml, one replication, no warm-up: the cost
    per visit (wall time of the whole run / visits) at customer bases of 10^4, 10^5 and
    10^6 (two simulated years), and at horizons of 1, 2, 4 and 8 years (base 10^4);
    the kernel events per visit;
  - with --baseline-commit C: `koning run organisation.yaml --jobs 1` of this build and of
    commit C (built once into BUILD/baseline-C), the whole process timed: visits per
    second of each, and their ratio (the speed-up since C). Both run commit C's
    scenarios/organisation.yaml (the old binary cannot read the keys added since; the new
    one runs it with today's mechanisms at their defaults, so it does more per visit); a
    third column gives this build on today's organisation.yaml.

Each measurement is taken K times in a row (--repeat, default 3) and the fastest kept:
on a shared virtual machine a run is now and then slowed down whole (1.5-3x), and the
fastest of a few is what the code costs. It prints one row per round and the medians. Figures are ratios within a round (cost
at a base of 10^6 over the cost at 10^4, at 8 years over 1 year, koning over the
reference, this build over commit C); absolute times move by tens of per cent between
runs on a shared machine. --quick: one round, two replications (a smoke test).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
ORG = os.path.join(SRC, "scenarios", "organisation.yaml")
BASES = (10_000, 100_000, 1_000_000)
YEARS = (1, 2, 4, 8)


def die(msg):
    sys.exit(f"org_speed: {msg}")


def last_json(out, what):
    for line in reversed(out.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    die(f"no JSON line in the output of {what}")


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        die(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()[-400:]}")
    return p.stdout


REPEAT = 3


def fastest(measure, key):
    """The result of measure() with the smallest key, of REPEAT tries."""
    return min((measure() for _ in range(REPEAT)), key=key)


def reference(build):
    def once():
        d = last_json(run([os.path.join(build, "ref_mmc"), "--customers", "1000000"]), "ref_mmc")
        return 1e6 / d["customers_per_second"]  # microseconds per customer
    return fastest(once, lambda us: us)


def org(build, base, years):
    def once():
        d = last_json(run([os.path.join(build, "bench_org"), ORG, "--base", str(base),
                           "--years", str(years)]), "bench_org")
        return d["us_per_visit"], d["events_per_visit"]
    return fastest(once, lambda r: r[0])


def koning_run(exe, reps, scenario=ORG):
    """Visits per second of `koning run SCENARIO --jobs 1`, the process timed (the fastest
    of REPEAT)."""
    import h5py  # noqa: E402  (Debian's python3-h5py; only this part needs it)

    def once():
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "o.h5")
            t0 = time.monotonic()
            run([exe, "run", scenario, "--jobs", "1", "--replications", str(reps),
                 "--set", "run.warmup_days=0", "-o", out])
            dt = time.monotonic() - t0
            with h5py.File(out, "r") as f:
                return float(f["customers"][:].sum()) / dt
    return fastest(once, lambda v: -v)


def baseline_binary(build, commit):
    """BUILD/baseline-C/build/koning, built once from commit C in a git worktree."""
    root = os.path.join(os.path.abspath(build), f"baseline-{commit}")
    exe = os.path.join(root, "build", "koning")
    if os.path.exists(exe):
        return exe
    src = os.path.join(root, "src")
    if not os.path.isdir(src):
        run(["git", "-C", SRC, "worktree", "add", "--detach", src, commit])
    run(["cmake", "-S", src, "-B", os.path.join(root, "build"), "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
         "-DBUILD_TESTING=OFF"])
    run(["cmake", "--build", os.path.join(root, "build"), "--target", "koning", "-j", "2"])
    return exe


def main():
    global REPEAT
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else 2
    build, rounds, commit, reps = args[0], 5, None, 4
    i = 1
    while i < len(args):
        if args[i] == "--rounds" and i + 1 < len(args):
            rounds = int(args[i + 1])
            i += 2
        elif args[i] == "--baseline-commit" and i + 1 < len(args):
            commit = args[i + 1]
            i += 2
        elif args[i] == "--repeat" and i + 1 < len(args):
            REPEAT = int(args[i + 1])
            if REPEAT < 1:
                die("--repeat needs a positive count")
            i += 2
        elif args[i] == "--quick":
            rounds, reps, REPEAT = 1, 2, 1
            i += 1
        else:
            die(f"unknown argument '{args[i]}' (try --help)")
    for exe in ("ref_mmc", "bench_org", "koning"):
        if not os.access(os.path.join(build, exe), os.X_OK):
            die(f"{build}/{exe} is missing: cmake --build {build}")
    old = baseline_binary(build, commit) if commit else None

    cols = ([f"base_{b:.0e}" for b in BASES] + [f"years_{y}" for y in YEARS] +
            ["ref", "events_per_visit", "base_1e6/1e4", "years_8/1", "koning/ref"])
    if old:
        cols += ["visits_per_s", f"visits_per_s_{commit[:7]}", "speedup", "visits_per_s_today"]
        old_org = os.path.join(os.path.dirname(os.path.dirname(old)), "src", "scenarios",
                               "organisation.yaml")
    print("# cost per visit (microseconds, whole run / visits) of the organisation model; "
          "ref = microseconds per customer of the heap simulator")
    print(" ".join(f"{c:>14}" for c in ["round"] + cols))
    rows = []
    for r in range(rounds):
        row = {}
        row["ref"] = reference(build)
        for b in BASES:
            row[f"base_{b:.0e}"], ev = org(build, b, 2)
            if b == BASES[0]:
                row["events_per_visit"] = ev
        for y in YEARS:
            row[f"years_{y}"] = org(build, BASES[0], y)[0]
        row["base_1e6/1e4"] = row["base_1e+06"] / row["base_1e+04"]
        row["years_8/1"] = row["years_8"] / row["years_1"]
        row["koning/ref"] = row["base_1e+04"] / row["ref"]
        if old:
            new_v = koning_run(os.path.join(build, "koning"), reps, old_org)
            old_v = koning_run(old, reps, old_org)
            row["visits_per_s"], row[f"visits_per_s_{commit[:7]}"] = new_v, old_v
            row["speedup"] = new_v / old_v
            row["visits_per_s_today"] = koning_run(os.path.join(build, "koning"), reps)
        rows.append(row)
        print(" ".join([f"{r + 1:>14}"] + [f"{row[c]:>14.4g}" for c in cols]), flush=True)
    print(" ".join([f"{'median':>14}"] + [f"{statistics.median(x[c] for x in rows):>14.4g}"
                                          for c in cols]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
