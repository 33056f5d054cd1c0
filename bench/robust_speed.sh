#!/usr/bin/env bash
# bench/robust_speed.sh [BUILD] [--worlds W] [--replications R] [--jobs J] [--keep DIR]
# [--no-perf] - what does a robust study cost, and what dominates?
#
# Runs a fraction of the headline study (scenarios/robust/headline.yaml: 7 policies, a
# Latin hypercube over every range of scenarios/uncertainty.yaml) with W worlds (default
# 10) and R replications (default 5) on J simulations at once (default 2), under perf
# (sampling every process of the study, the forked runs too) unless --no-perf. Then:
#   - the study's wall and CPU time, per run, and projected linearly to 256 worlds;
#   - the runs' own wall time (the file's wall_seconds: simulation) against the study's;
#   - the verdict alone (`koning robust OUT.h5 --json`: reading the file and the analysis)
#     and the charts alone (`--plot`), each timed on its own;
#   - perf's CPU samples by shared object: SimGrid and koning (simulation), libhdf5
#     (file writing and reading), the kernel (fork, pipes, page faults), libc.
# --keep DIR keeps the results file (DIR/robust.h5), its verdict and charts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=build
worlds=10
reps=5
jobs=2
keep=
perf=1
while (($#)); do
  case $1 in
    --worlds) worlds=$2; shift 2 ;;
    --replications) reps=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --no-perf) perf=0; shift ;;
    -*) echo "robust_speed.sh: unknown option $1" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
koning="$build/koning"
[ -x "$koning" ] || { echo "robust_speed.sh: $koning missing: build first (.ci/setup)" >&2; exit 1; }
command -v perf >/dev/null || perf=0
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  out=$(cd "$keep" && pwd)
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
rm -f "$out"/robust.h5 "$out"/robust.h5.journal "$out"/robust.h5.tmp
study="$src/scenarios/robust/headline.yaml"
runs=$((7 * worlds * reps))
echo "# robust_speed.sh: headline study, 7 policies x $worlds worlds x $reps replications = $runs runs, --jobs $jobs"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

now() { date +%s.%N; }
cmd=("$koning" robust "$study" --worlds "$worlds" --replications "$reps" --jobs "$jobs" --quiet
     -o "$out/robust.h5")
t0=$(now)
if [ "$perf" = 1 ]; then
  perf record -q -F 199 -o "$out/perf.data" -- /usr/bin/time -f '%U %S %M' -o "$out/time.txt" \
    "${cmd[@]}" >"$out/verdict.txt" 2>"$out/study.err"
else
  /usr/bin/time -f '%U %S %M' -o "$out/time.txt" "${cmd[@]}" >"$out/verdict.txt" 2>"$out/study.err"
fi
t1=$(now)
tail -1 "$out/study.err"
read -r user sys rss <"$out/time.txt"
"$koning" robust "$out/robust.h5" --json >"$out/verdict.json"
t2=$(now)
rm -rf "$out/plots"
"$koning" robust "$out/robust.h5" --plot "$out/plots" >/dev/null
t3=$(now)
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 - "$out/robust.h5" "$t0" "$t1" "$t2" "$t3" "$user" "$sys" "$rss" "$worlds" "$reps" "$jobs" <<'P'
import sys
import h5py
import numpy as np
path = sys.argv[1]
t0, t1, t2, t3, user, sys_t = map(float, sys.argv[2:8])
rss_kb, worlds, reps, jobs = int(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10]), int(sys.argv[11])
f = h5py.File(path, "r")
wall = f["wall_seconds"][:]
n = len(wall)
study = t1 - t0
cpu = user + sys_t
print(f"study (simulate, journal, results file, verdict): {study:8.1f} s wall, "
      f"{cpu:8.1f} s CPU (user {user:.1f}, sys {sys_t:.1f}), max RSS {rss_kb / 1024:.0f} MB")
print(f"runs: {n}, failed: {int((f['status'][:] != 0).sum())}")
print(f"per run: {study / n:6.3f} s of study wall, {cpu / n:6.3f} s CPU; "
      f"a run's own wall time: median {np.median(wall):.3f} s, mean {wall.mean():.3f} s")
print(f"simulation share: the runs' wall times sum to {wall.sum():.1f} s = "
      f"{wall.sum() / (study * jobs):.0%} of {jobs} x study wall")
print(f"verdict again from the file (read + analysis): {t2 - t1:6.2f} s")
print(f"charts (--plot, gnuplot): {t3 - t2:6.2f} s")
full = 7 * 256 * 5
print(f"projection to 7 x 256 x 5 = {full} runs at {jobs} jobs: "
      f"{study / n * full / 3600:.2f} h (linear in runs; analysis and charts extra)")
P
if [ "$perf" = 1 ]; then
  echo "# CPU samples by shared object (perf, 199 Hz, every process of the study):"
  perf report -q -i "$out/perf.data" --sort dso --stdio 2>/dev/null | awk 'NF && $1+0 >= 0.5' | head -12
fi
