#!/usr/bin/env bash
# The organisation model from the command line: the presets run and report the
# documented metrics; impossible mixes are refused; with a 100 % polite base and every
# behavioural effect off, the organisation reduces to the validated M/M/n+M queue.
source "$(dirname "$0")/lib.sh" "$@"

# ---- every preset runs (short) and reports the metrics scripts rely on -------------
for p in organisation customer-always-right employees-first investigate-first \
         king-while-behaving best-customers-first fire-bad-customers; do
  f="$SRC/scenarios/$p.yaml"
  "$KONING" run "$f" --replications 2 --jobs 2 --set run.days=120 --format json --no-output \
    >"$TMP/$p.json" 2>"$TMP/err" || { bad "run $p: $(cat "$TMP/err")"; continue; }
  python3 - "$TMP/$p.json" <<'PY' && ok "preset $p: metrics present and in range" || bad "preset $p"
import json, math, sys
m = json.load(open(sys.argv[1]))["metrics"]
need = ["retention", "service_quality", "staff_turnover", "mean_morale", "mean_exhaustion",
        "burnout_share", "abusive_contacts_per_employee_day", "exploitative_claims_per_week",
        "compensation_cost", "profit"]
for k in need:
    v = m[k]["mean"]
    assert v is not None and math.isfinite(v), k
for k in ["retention", "service_quality", "mean_morale", "mean_exhaustion", "burnout_share",
          "first_contact_resolution", "satisfaction"]:
    assert 0 <= m[k]["mean"] <= 1, (k, m[k]["mean"])
assert m["staff_turnover"]["mean"] >= 0 and m["compensation_cost"]["mean"] >= 0
PY
  grep -q '^# .*[0-9]\{4\}\|Selfridge\|Branson\|Fader\|Ferriss\|brief' "$f" \
    && ok "preset $p names its source" || bad "preset $p: no source in its comments"
done

# ---- bad input ---------------------------------------------------------------------
org="$SRC/scenarios/organisation.yaml"
expect_fail 2 "customers.mix.exploitative" "must be <= 1" "0.7 + 0.4" -- \
  "$KONING" run "$org" --set customers.mix.rude=0.7 --set customers.mix.exploitative=0.4 --no-output
expect_fail 2 "customers.mix.rude" "must be <= 1" -- \
  "$KONING" run "$org" --set customers.mix.rude=1.5 --no-output
expect_fail 2 "policy.investigate" -- "$KONING" run "$org" --set policy.investigate=-0.1 --no-output
expect_fail 2 "staff.days_per_week" -- "$KONING" run "$org" --set staff.days_per_week=8 --no-output
printf 'name: x\nrun: {days: 10}\narrivals: {per_hour: 5}\nservice: {mean_minutes: 5}\nstaff: {employees: 2}\ncustomers: {base: 100, mix: {rude: 0.8, exploitative: 0.3}}\n' >"$TMP/mix.yaml"
expect_fail 2 "mix.yaml:6:" "customers.mix.exploitative" -- "$KONING" run "$TMP/mix.yaml" --no-output
# a queue-model scenario shows no organisation rows in its table
"$KONING" run "$SRC/scenarios/call-centre.yaml" --set run.days=1 --set run.warmup_days=0.1 \
  --replications 2 --no-output >"$TMP/q.txt" 2>&1
grep -q "p_wait" "$TMP/q.txt" && ! grep -q "retention" "$TMP/q.txt" \
  && ok "queue model: table without organisation metrics" || bad "queue table: $(cat "$TMP/q.txt")"

# ---- reduction to M/M/n+M: 100 % polite, behaviour off ----------------------------
# lambda/min  mean_service_min  mean_patience_min(0 = none)  servers  days  warm-up days
cases=(
  "10   1    2    10  4   1"
  "2    4    3     9  12  2"
  "0.5  10   20    6  40  4"
  "4    2    0    10  8   1"
)
for c in "${cases[@]}"; do
  read -r lam svc pat n days warm <<<"$c"
  f="$TMP/red.yaml"
  {
    echo "name: reduced $lam $svc $pat $n"
    echo "run: {days: $days, warmup_days: $warm, replications: 20, seed: 5}"
    echo "arrivals: {per_hour: $(python3 -c "print($lam*60)")}"
    echo "service: {distribution: exponential, mean_minutes: $svc}"
    [ "$pat" != 0 ] && echo "patience: {distribution: exponential, mean_minutes: $pat}"
    echo "staff: {employees: $n, days_per_week: 5}"
    echo "customers: {base: 2000, mix: {rude: 0, exploitative: 0}}"
    echo "behaviour: {effects: 0}"
  } >"$f"
  theta=$(python3 -c "print(0 if $pat == 0 else 1/$pat)")
  mu=$(python3 -c "print(1/$svc)")
  "$KONING" erlang --lambda "$lam" --mu "$mu" --theta "$theta" --servers "$n" --format json >"$TMP/exact.json" \
    || { bad "erlang $c"; continue; }
  "$KONING" run "$f" --level 0.99 --jobs 2 --format json --no-output >"$TMP/sim.json" 2>"$TMP/err" \
    || { bad "run $c: $(cat "$TMP/err")"; continue; }
  python3 "$SRC/tests/python/inside_ci.py" "$TMP/exact.json" "$TMP/sim.json" --frozen && ok "reduced organisation [$c] inside 99% CI" || bad "reduced organisation [$c]"
done
finish
