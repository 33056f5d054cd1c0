#!/usr/bin/env bash
# For several M/M/n+M (and M/M/n) settings, the exact Erlang-A values lie inside the
# 99 % confidence interval of `koning run --format json` with 20 replications.
source "$(dirname "$0")/lib.sh" "$@"

# lambda/min  mean_service_min  mean_patience_min(0 = none)  servers  days
cases=(
  "10   1    2    10  4"
  "2    4    3     9  12"
  "25   0.5  1    12  1.5"
  "0.5  10   20    6  40"
  "4    2    0    10  8"
)
for c in "${cases[@]}"; do
  read -r lam svc pat n days <<<"$c"
  f="$TMP/case.yaml"
  {
    echo "name: case $lam $svc $pat $n"
    echo "run: {days: $days, warmup_days: $(python3 -c "print($days/10)"), replications: 20, seed: 3}"
    echo "arrivals: {per_hour: $(python3 -c "print($lam*60)")}"
    echo "service: {distribution: exponential, mean_minutes: $svc}"
    [ "$pat" != 0 ] && echo "patience: {distribution: exponential, mean_minutes: $pat}"
    echo "staff: {employees: $n}"
  } >"$f"
  theta=$(python3 -c "print(0 if $pat == 0 else 1/$pat)")
  mu=$(python3 -c "print(1/$svc)")
  "$KONING" erlang --lambda "$lam" --mu "$mu" --theta "$theta" --servers "$n" --format json >"$TMP/exact.json" \
    || { bad "erlang $c"; continue; }
  "$KONING" run "$f" --level 0.99 --format json --no-output >"$TMP/sim.json" 2>"$TMP/err" || { bad "run $c: $(cat "$TMP/err")"; continue; }
  python3 - "$TMP/exact.json" "$TMP/sim.json" <<'PY' && ok "case [$c] inside 99% CI" || bad "case [$c]"
import json, sys
ex = json.load(open(sys.argv[1])); sim = json.load(open(sys.argv[2]))["metrics"]
bad = []
for k in ["p_wait", "p_abandon", "mean_wait_minutes", "utilization"]:
    e, s = ex[k], sim[k]
    inside = s["ci_low"] <= e <= s["ci_high"]
    print(f"  {k:18s} exact {e:.6f}  sim {s['mean']:.6f}  99% CI [{s['ci_low']:.6f}, {s['ci_high']:.6f}]  {'ok' if inside else 'OUTSIDE'}")
    if not inside: bad.append(k)
sys.exit(1 if bad else 0)
PY
done
finish
