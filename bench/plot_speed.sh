#!/usr/bin/env bash
# bench/plot_speed.sh [BUILD] - does `koning plot` stay fast on a large results file?
#
# Makes two organisation-model comparison files (organisation vs employees-first, 60
# simulated days per run): one with 1,000 runs (500 replications of each scenario) and
# one with 20 runs (10 each), then times `koning plot` on each (all charts, PNG + SVG +
# PDF), best of 3, with the default 40 faint runs per scenario (the large file draws 40
# per scenario, the small one its 10) and with --max-runs 10 (both draw the same lines,
# so the difference is the reading), and prints the seconds and the ratios. The plotter
# reads the time series in blocks, one pass per series, so the time goes into gnuplot's
# drawing, not into the reading.
# Making the 1,000-run file takes about 35 s on 2 cores (--jobs: all cores).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=${1:-build}
koning="$build/koning"
[ -x "$koning" ] || { echo "plot_speed.sh: $koning missing: build first" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "plot_speed.sh: gnuplot not on PATH" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jobs=$(nproc)

make_file() { # NAME REPLICATIONS
  local t0 t1
  t0=$(date +%s.%N)
  "$koning" compare "$src/scenarios/organisation.yaml" "$src/scenarios/employees-first.yaml" \
    --replications "$2" --set run.days=60 --jobs "$jobs" -o "$tmp/$1.h5" >/dev/null 2>&1
  t1=$(date +%s.%N)
  printf '# made %s.h5: %d runs in %.1f s (--jobs %d)\n' "$1" $((2 * $2)) "$(echo "$t1 - $t0" | bc)" "$jobs"
}

best_of_3() { # NAME [OPTIONS] -> seconds
  local best="" t0 t1 d name=$1
  shift
  for _ in 1 2 3; do
    rm -rf "$tmp/$name-plots"
    t0=$(date +%s.%N)
    "$koning" plot "$tmp/$name.h5" --quiet "$@"
    t1=$(date +%s.%N)
    d=$(echo "$t1 - $t0" | bc)
    if [ -z "$best" ] || [ "$(echo "$d < $best" | bc)" -eq 1 ]; then best=$d; fi
  done
  echo "$best"
}

make_file big 500
make_file small 10
big=$(best_of_3 big)
small=$(best_of_3 small)
charts=$(ls "$tmp/big-plots" | grep -c '\.gp$')
# with --max-runs 10 both files draw the same lines: the difference is the reading
big10=$(best_of_3 big --max-runs 10)
small10=$(best_of_3 small --max-runs 10)
echo "# koning plot, all $charts charts in png, svg and pdf, best of 3, $(nproc) cores"
printf '%-10s %6s %16s %16s\n' file runs "default_s" "max_runs_10_s"
printf '%-10s %6d %16.2f %16.2f\n' big 1000 "$big" "$big10" small 20 "$small" "$small10"
printf 'ratio big/small: %.2f (default: 40 faint runs per scenario for big, 10 for small), %.2f (--max-runs 10)\n' \
  "$(echo "$big / $small" | bc -l)" "$(echo "$big10 / $small10" | bc -l)"
