#!/usr/bin/env bash
# bench/run.sh - time koning's engine against the hand-written reference M/M/c simulator.
#
# Runs BUILD/ref_mmc and BUILD/bench_engine alternately for R rounds on the same M/M/c
# model (same flags and seed in each round), reads "customers_per_second" from the one
# JSON line each prints, and prints a table with both throughputs and the ratio
# koning/reference per round, then the medians.
#
# Usage: bench/run.sh [BUILD] [--rounds R] [--customers N] [--seed S] [--experiments]
#   BUILD        build directory holding ref_mmc and bench_engine (default: build)
#   --rounds R   number of rounds (default 5)
#   --customers N  customers that must depart per run (default 1000000)
#   --seed S     seed of round 1; round i uses S+i-1 (default 1)
#   --experiments  also run BUILD/sg_kernel in its three modes (sleep, timer, kernel)
#                in every round: what SimGrid costs per event (build it with
#                cmake -DKONING_BENCH_EXPERIMENTS=ON; see bench/README.md)
# The model is M/M/10 with lambda=9.5/min, mu=1/min (the binaries' defaults, given
# explicitly here so both always run the same model).
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

die() {
  printf 'run.sh: %s\n' "$*" >&2
  exit 2
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

build=build
build_set=0
rounds=5
customers=1000000
seed=1
lambda=9.5
mu=1
servers=10
experiments=0

while (($# > 0)); do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --experiments)
      experiments=1
      shift
      ;;
    --rounds | --customers | --seed)
      (($# >= 2)) || die "$1 needs a value"
      is_uint "$2" || die "$1 needs a non-negative integer, got '$2'"
      case $1 in
        --rounds) rounds=$2 ;;
        --customers) customers=$2 ;;
        --seed) seed=$2 ;;
      esac
      shift 2
      ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *)
      ((build_set == 0)) || die "more than one build directory given ('$build', '$1')"
      build=$1
      build_set=1
      shift
      ;;
  esac
done
((10#$rounds >= 1)) || die "--rounds must be at least 1"
((10#$customers >= 1)) || die "--customers must be at least 1"

ref="$build/ref_mmc"
kon="$build/bench_engine"
missing=0
exps=()
((experiments)) && exps=("$build/sg_kernel")
for exe in "$ref" "$kon" "${exps[@]}"; do
  if [[ ! -x $exe ]]; then
    printf 'run.sh: %s is missing or not executable\n' "$exe" >&2
    missing=1
  fi
done
if ((missing)); then
  printf 'run.sh: build first, e.g.: cmake -S . -B %s && cmake --build %s --target ref_mmc bench_engine\n' \
    "$build" "$build" >&2
  exit 1
fi
command -v python3 >/dev/null || die "python3 is needed to read the JSON output"

# run_one EXE EXPECTED_SIMULATOR SEED -> prints customers_per_second
run_one() {
  local exe=$1 expect=$2 s=$3 out
  shift 3
  if ! out=$("$exe" --lambda "$lambda" --mu "$mu" --servers "$servers" \
    --customers "$customers" --seed "$s" "$@"); then
    printf 'run.sh: %s failed (seed %s)\n' "$exe" "$s" >&2
    exit 1
  fi
  # The last stdout line that is a JSON object is the result.
  if ! python3 -c '
import json, sys
exe, expect, customers, text = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rec = None
for line in text.splitlines():
    line = line.strip()
    if line.startswith("{"):
        try:
            rec = json.loads(line)
        except ValueError:
            pass
if not isinstance(rec, dict) or "customers_per_second" not in rec:
    sys.exit(f"run.sh: no JSON line with customers_per_second in the output of {exe}")
sim, n = rec.get("simulator"), rec.get("customers")
if sim != expect:
    print(f"run.sh: warning: {exe} reports simulator {sim!r}, expected {expect!r}",
          file=sys.stderr)
# koning simulates a Poisson horizon: its count is within a few sd of N, not exactly N
if not isinstance(n, int) or abs(n - customers) > 0.01 * customers + 10:
    print(f"run.sh: warning: {exe} reports customers={n!r}, expected {customers}",
          file=sys.stderr)
cps = float(rec["customers_per_second"])
if not cps > 0:
    sys.exit(f"run.sh: {exe} reports customers_per_second={cps}")
print(repr(cps))
' "$exe" "$expect" "$((10#$customers))" "$out"; then
    exit 1
  fi
}

median() {
  python3 -c 'import statistics, sys; print(repr(statistics.median(map(float, sys.argv[1:]))))' "$@"
}

row() {
  printf '%-6s %-21.3e %-18.3e %.3f\n' "$1" "$2" "$3" "$4"
}

printf '# M/M/%s lambda=%s mu=%s customers=%s rounds=%s build=%s\n' \
  "$servers" "$lambda" "$mu" "$((10#$customers))" "$((10#$rounds))" "$build"
printf '%-6s %-21s %-18s %s\n' round reference_cust_per_s koning_cust_per_s ratio

ref_all=()
sleep_all=()
timer_all=()
kernel_all=()
exp_ref=()
kon_all=()
ratio_all=()
for ((i = 1; i <= 10#$rounds; i++)); do
  s=$((10#$seed + i - 1))
  r=$(run_one "$ref" heap-reference "$s")
  k=$(run_one "$kon" koning-simgrid "$s")
  q=$(python3 -c 'import sys; print(repr(float(sys.argv[2]) / float(sys.argv[1])))' "$r" "$k")
  if ((experiments)); then
    sleep_all+=("$(run_one "$build/sg_kernel" sg-sleep "$s" --mode sleep)")
    timer_all+=("$(run_one "$build/sg_kernel" sg-timer "$s" --mode timer)")
    kernel_all+=("$(run_one "$build/sg_kernel" sg-kernel "$s" --mode kernel)")
    exp_ref+=("$r")
  fi
  ref_all+=("$r")
  kon_all+=("$k")
  ratio_all+=("$q")
  row "$i" "$r" "$k" "$q"
done
row median "$(median "${ref_all[@]}")" "$(median "${kon_all[@]}")" "$(median "${ratio_all[@]}")"

if ((experiments)); then
  ratio_of_medians() {
    python3 -c 'import statistics, sys
ref = statistics.median(map(float, sys.argv[2].split()))
x = statistics.median(map(float, sys.argv[1].split()))
print(f"{x:<18.3e} {x / ref:.3f}")' "$1" "$2"
  }
  printf '\n# experiments (bench/sg_kernel.cpp): the same design, other ways to wait in SimGrid\n'
  printf '%-30s %-18s %s\n' variant median_cust_per_s ratio_to_reference_median
  printf '%-30s %s\n' "sleep_until in actors (C++)" "$(ratio_of_medians "${sleep_all[*]}" "${exp_ref[*]}")"
  printf '%-30s %s\n' "kernel timer + suspend/resume" "$(ratio_of_medians "${timer_all[*]}" "${exp_ref[*]}")"
  printf '%-30s %s\n' "kernel timers, no actors" "$(ratio_of_medians "${kernel_all[*]}" "${exp_ref[*]}")"
fi
