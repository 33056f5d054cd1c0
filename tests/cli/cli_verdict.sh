#!/usr/bin/env bash
# cli_verdict.sh - the verdict of `koning compare` (and `koning demo`): recomputed from the
# results file by tests/python/check_verdict.py (winners, CIs, paired leads, the exact
# decompositions behind the "why" sentence), and its error paths.
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3

out=$TMP/v.txt
if "$KONING" compare "$SRC/scenarios/organisation.yaml" "$SRC/scenarios/customer-always-right.yaml" \
     "$SRC/scenarios/employees-first.yaml" --replications 4 --set run.days=150 --brief \
     -o "$TMP/v.h5" --jobs 2 >"$out" 2>"$TMP/v.err"; then
  ok "compare --brief ran"
else
  bad "compare --brief failed: $(cat "$TMP/v.err")"
fi
cat "$out"
if $PY "$SRC/tests/python/check_verdict.py" "$TMP/v.h5" "$out"; then ok "verdict recomputed from the file"
else bad "verdict does not match the file"; fi
grep -q "^scenario  *retention  *service_quality  *staff_turnover  *profit" "$out" \
  && ok "brief table has the headline columns" || bad "brief table header"
[ "$(grep -c '\[' "$out")" -ge 3 ] && ok "brief rows with intervals" || bad "brief rows"

# the full tables end with the same verdict
"$KONING" compare "$SRC/scenarios/organisation.yaml" "$SRC/scenarios/employees-first.yaml" \
  --replications 3 --set run.days=100 -o "$TMP/f.h5" --jobs 2 >"$TMP/f.txt" 2>&1
grep -q "^difference employees-first - organisation" "$TMP/f.txt" && grep -q "^Why: " "$TMP/f.txt" \
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
finish
