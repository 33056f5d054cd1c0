#!/usr/bin/env bash
# `koning run` on the shipped call-centre scenario: the JSON has the documented shape
# and sensible values; the table names every metric.
source "$(dirname "$0")/lib.sh" "$@"
sc="$SRC/scenarios/call-centre.yaml"

if "$KONING" run "$sc" --set run.days=3 --set run.warmup_days=0.5 --replications 5 \
     --format json --no-output >"$TMP/out.json" 2>"$TMP/err"; then ok "run --format json"; else bad "run failed: $(cat "$TMP/err")"; fi

python3 - "$TMP/out.json" <<'PY' && ok "JSON shape and values" || bad "JSON check"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scenario"] == "call centre", d["scenario"]
assert d["replications"] == 5
m = d["metrics"]
for k in ["p_wait", "p_abandon", "mean_wait_minutes", "utilization", "served_per_hour"]:
    v = m[k]
    assert v["ci_low"] <= v["mean"] <= v["ci_high"], (k, v)
assert 0 < m["p_abandon"]["mean"] < m["p_wait"]["mean"] < 1
assert 0.8 < m["utilization"]["mean"] < 1
# 600 arrivals/h, a few abandon: served a bit below
assert 500 < m["served_per_hour"]["mean"] < 600
assert abs(m["arrivals_per_hour"]["mean"] - 600) < 20
PY

"$KONING" run "$sc" --set run.days=2 --set run.warmup_days=0.5 --replications 3 --no-output >"$TMP/out.txt" 2>&1
for k in p_wait p_abandon mean_wait_minutes utilization served_per_hour "scenario: call centre"; do
  grep -q "$k" "$TMP/out.txt" && ok "table has $k" || bad "table lacks $k"
done
"$KONING" run --help | grep -q -- "--set" && ok "run --help" || bad "run --help"

# validate: with far too little data the intervals are too wide to mean anything, and
# validate says so with exit 1; JSON output parses
"$KONING" validate --scale 0.002 --replications 3 >"$TMP/v.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "FAIL" "$TMP/v.txt" && ok "validate exits 1 on a failed check" || bad "validate exit $rc"
"$KONING" validate --scale 0.05 --format json >"$TMP/v.json" 2>/dev/null
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["checks"]) == 20 and d["failures"] == sum(not c["pass"] for c in d["checks"])
' "$TMP/v.json" && ok "validate --format json" || bad "validate json"
"$KONING" erlang --lambda 10 --mu 1 --theta 0.5 --servers 10 | grep -q "p_wait *0.61965" \
  && ok "erlang: published Erlang-A value" || bad "erlang"
expect_fail 2 "mu" -- "$KONING" erlang --lambda 10 --mu -1 --servers 10
finish
