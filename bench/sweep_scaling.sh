#!/usr/bin/env bash
# bench/sweep_scaling.sh [BUILD] [--rounds R] - does a sweep scale with --jobs?
#
# Runs the same sweep of 240 runs (40 points x 6 replications of the call centre,
# 2 simulated days each) with --jobs 1 and --jobs 2, alternately for R rounds (default
# 3), prints wall time of each and the speed-up jobs1/jobs2 per round and the median,
# and checks that both give identical results (tests/python/same_results.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=${1:-build}
[[ $build == --* ]] && build=build
rounds=3
while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    *) shift ;;
  esac
done
koning="$build/koning"
[ -x "$koning" ] || { echo "sweep_scaling.sh: $koning missing: build first (.ci/setup)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/sweep.yaml" <<Y
base: $src/scenarios/call-centre.yaml
replications: 6
vary:
  run.days: [2]
  run.warmup_days: [0.25]
  staff.employees: [9, 10, 11, 12, 13]
  arrivals.per_hour: {from: 450, to: 625, step: 25}
Y
n=$(( 5 * 8 * 6 ))
echo "# sweep of $n runs (call centre, 2 days each), --jobs 1 vs --jobs 2, $(nproc) cores"
printf '%-6s %-10s %-10s %s\n' round jobs1_s jobs2_s speedup
speedups=()
for ((i = 1; i <= rounds; i++)); do
  rm -f "$tmp"/j*.h5*
  t0=$(date +%s.%N); "$koning" sweep "$tmp/sweep.yaml" -o "$tmp/j1.h5" --jobs 1 --quiet 2>/dev/null; t1=$(date +%s.%N)
  "$koning" sweep "$tmp/sweep.yaml" -o "$tmp/j2.h5" --jobs 2 --quiet 2>/dev/null; t2=$(date +%s.%N)
  a=$(echo "$t1 - $t0" | bc -l); b=$(echo "$t2 - $t1" | bc -l); s=$(echo "$a / $b" | bc -l)
  speedups+=("$s")
  printf '%-6s %-10.2f %-10.2f %.2f\n' "$i" "$a" "$b" "$s"
  /usr/bin/python3 "$src/tests/python/same_results.py" "$tmp/j1.h5" "$tmp/j2.h5" >/dev/null \
    || { echo "sweep_scaling.sh: results differ between --jobs 1 and --jobs 2" >&2; exit 1; }
done
median=$(printf '%s\n' "${speedups[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
printf 'median speed-up %.2f (results identical in every round)\n' "$median"
