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
  python3 "$SRC/tests/python/inside_ci.py" "$TMP/exact.json" "$TMP/sim.json" && ok "case [$c] inside 99% CI" || bad "case [$c]"
done
finish
