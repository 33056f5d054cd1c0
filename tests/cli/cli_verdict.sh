#!/usr/bin/env bash
# cli_verdict.sh - the verdict of `koning compare` (and `koning demo`): recomputed from the
# results file by tests/python/check_verdict.py (the MSER-5 window, drifts, winners, CIs,
# paired leads, best sets by subset selection, the status quo and payback weeks, the lever
# attribution adding up); a scenario and its identical copy; a lever that does nothing;
# `koning verdict` on a file; and the error paths.
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3

out=$TMP/v.txt
if "$KONING" compare "$SRC/scenarios/organisation.yaml" "$SRC/scenarios/customer-always-right.yaml" \
     "$SRC/scenarios/employees-first.yaml" --replications 4 --set run.days=400 --brief \
     --from "$SRC/scenarios/organisation.yaml" --switch-after 60 \
     -o "$TMP/v.h5" --jobs 2 >"$out" 2>"$TMP/v.err"; then
  ok "compare --brief --from ran"
else
  bad "compare --brief --from failed: $(cat "$TMP/v.err")"
fi
cat "$out"
if $PY "$SRC/tests/python/check_verdict.py" "$KONING" "$TMP/v.h5" "$out"; then ok "verdict recomputed from the file"
else bad "verdict does not match the file"; fi
"$KONING" verdict "$TMP/v.h5" >"$TMP/again.txt" 2>&1
sed -n '/^Verdict/,$p' "$out" | cmp -s - "$TMP/again.txt" \
  && ok "koning verdict FILE prints the same verdict again" || bad "koning verdict differs: $(diff <(sed -n '/^Verdict/,$p' "$out") "$TMP/again.txt")"

# A status quo, its identical copy and a policy that differs in one lever that acts
# (end_abusive_contact) and one that does nothing (root_cause_cost while root_cause is 0):
# the copy is in every best set the status quo is in and needs no payback; the
# attribution is exact (Shapley over 4 combinations) and gives the idle lever exactly 0.
S=$SRC/scenarios/organisation.yaml
sed 's/^name: .*/name: status-quo/' "$S" >"$TMP/sq.yaml"
sed 's/^name: .*/name: twin/' "$S" >"$TMP/twin.yaml"
sed -e 's/^name: .*/name: ender/' -e 's/^  end_abusive_contact: .*/  end_abusive_contact: 1/' \
    -e 's/^  root_cause: .*/&\n  root_cause_cost: 999/' "$S" >"$TMP/ender.yaml"
"$KONING" compare "$TMP/sq.yaml" "$TMP/twin.yaml" "$TMP/ender.yaml" --from "$TMP/sq.yaml" \
  --switch-after 60 --set run.days=300 --replications 4 --brief -o "$TMP/t.h5" --jobs 2 \
  >"$TMP/t.txt" 2>"$TMP/t.err" || bad "compare with a twin failed: $(cat "$TMP/t.err")"
[ -f "$TMP/t-why.h5" ] && ok "the lever combinations are in t-why.h5" || bad "no t-why.h5"
$PY "$SRC/tests/python/check_verdict.py" "$KONING" "$TMP/t.h5" "$TMP/t.txt" >"$TMP/t.check" \
  && ok "twin study: verdict recomputed" || bad "twin study: $(grep FAIL "$TMP/t.check")"
"$KONING" verdict "$TMP/t.h5" --json >"$TMP/t.json" || bad "verdict --json failed"
$PY - "$TMP/t.json" <<'PYEOF' && ok "twin in the same best sets, payback never needed; idle lever 0, Shapley exact" || bad "twin/idle-lever checks"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["status_quo"] == "status-quo", j["status_quo"]
for m in j["metrics"]:
    sets = {m["best"], *m["cannot_be_told_apart"]}
    assert ("status-quo" in sets) == ("twin" in sets), m
tw = [s for s in j["scenarios"] if s["name"] == "twin"][0]
assert tw["payback"] == "never needed" and tw["payback_week"] is None, tw
w = j["why"]
assert w["method"] == "shapley" and w["combinations"] == 4, w
for m in w["metrics"]:
    parts = {l["lever"]: l["part"] for l in m["levers"]}
    assert set(parts) == {"policy.end_abusive_contact", "policy.root_cause_cost"}, parts
    assert parts["policy.root_cause_cost"] == 0.0, parts
    assert abs(parts["policy.end_abusive_contact"] - m["gap"]) <= 1e-9 * max(1, abs(m["gap"])), m
    assert m["interactions"] == 0.0
PYEOF
grep -q "^scenario  *retention  *service_quality  *staff_turnover  *profit" "$out" \
  && ok "brief table has the headline columns" || bad "brief table header"
[ "$(grep -c '\[' "$out")" -ge 3 ] && ok "brief rows with intervals" || bad "brief rows"

# the full tables end with the same verdict
"$KONING" compare "$SRC/scenarios/organisation.yaml" "$SRC/scenarios/employees-first.yaml" \
  --from "$SRC/scenarios/organisation.yaml" --switch-after 30 \
  --replications 3 --set run.days=100 -o "$TMP/f.h5" --jobs 2 >"$TMP/f.txt" 2>&1
grep -q "^difference employees-first - organisation" "$TMP/f.txt" && grep -q "^Verdict" "$TMP/f.txt" \
  && ok "full tables, then the verdict" || bad "full compare output lacks tables or verdict"

# no verdict for one scenario, nor for the queue model
"$KONING" run "$SRC/scenarios/organisation.yaml" --replications 2 --set run.days=60 -o "$TMP/r.h5" \
  --jobs 2 >"$TMP/r.txt" 2>&1
! grep -q "^Verdict" "$TMP/r.txt" && ok "run: no verdict" || bad "run printed a verdict"
sed 's/^name: .*/name: other desk/' "$SRC/scenarios/call-centre.yaml" >"$TMP/cc2.yaml"
"$KONING" compare "$SRC/scenarios/call-centre.yaml" "$TMP/cc2.yaml" --replications 2 \
  --set run.days=0.2 --set run.warmup_days=0.05 --set run.period_days=0.1 --brief -o "$TMP/q.h5" --jobs 2 >"$TMP/q.txt" 2>&1
grep -q "p_wait" "$TMP/q.txt" && ! grep -q "^Verdict" "$TMP/q.txt" \
  && ok "queue model: brief table, no verdict" || bad "queue model brief: $(cat "$TMP/q.txt")"

# error paths
expect_fail 2 "--plot" "--no-output" -- "$KONING" compare "$SRC/scenarios/organisation.yaml" \
  "$SRC/scenarios/employees-first.yaml" --no-output --plot "$TMP/p"
expect_fail 2 "--brief" "table format" -- "$KONING" compare "$SRC/scenarios/organisation.yaml" \
  "$SRC/scenarios/employees-first.yaml" --format json --brief -o "$TMP/j.h5"
expect_fail 2 "$TMP/none/organisation.yaml" "--scenarios" -- "$KONING" demo --scenarios "$TMP/none" \
  -o "$TMP/d"
expect_fail 2 "unexpected argument" -- "$KONING" demo extra
$PY "$SRC/tests/python/check_verdict.py" "$KONING" "$TMP/t.h5" --payback=complaints:lower >"$TMP/t2.check" \
  && ok "payback on complaints (lower is better) recomputed" || bad "payback on complaints: $(grep FAIL "$TMP/t2.check")"
expect_fail 2 "'nonsense' is not a series" -- "$KONING" verdict "$TMP/t.h5" --payback nonsense
expect_fail 2 ":lower or :higher" -- "$KONING" verdict "$TMP/t.h5" --payback profit:up
expect_fail 2 "one scenario only" -- "$KONING" verdict "$TMP/r.h5"
expect_fail 2 "not an organisation-model study" -- "$KONING" verdict "$TMP/q.h5"
expect_fail 2 "$TMP/missing.h5" -- "$KONING" verdict "$TMP/missing.h5"
expect_fail 2 "usage: koning verdict" -- "$KONING" verdict
finish
