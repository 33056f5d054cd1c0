#!/usr/bin/env bash
# compare runs scenarios on common random numbers: the paired interval of a difference
# is narrower than the unpaired one; a scenario against itself differs by exactly 0.
source "$(dirname "$0")/lib.sh" "$@"
sc="$SRC/scenarios/call-centre.yaml"
sed 's/employees: 10/employees: 11/; s/name: call centre/name: one more employee/' "$sc" >"$TMP/b.yaml"
common=(--set run.days=4 --set run.warmup_days=0.5 --replications 10 -o "$TMP/c.h5")
"$KONING" compare "$sc" "$TMP/b.yaml" "${common[@]}" --format json >"$TMP/c.json" 2>"$TMP/err" \
  && ok "compare" || bad "compare: $(cat "$TMP/err")"
python3 - "$TMP/c.json" <<'PY' && ok "paired CI narrower, effect in the right direction" || bad "compare JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert [s["scenario"] for s in d["scenarios"]] == ["call centre", "one more employee"]
diff = d["differences"][0]["metrics"]
for k in ["p_wait", "mean_wait_minutes", "p_abandon"]:
    m = diff[k]
    pw = m["paired"]["ci_high"] - m["paired"]["ci_low"]
    uw = m["unpaired"]["ci_high"] - m["unpaired"]["ci_low"]
    print(k, m["mean"], "paired width", pw, "unpaired width", uw)
    assert pw < uw, k
    assert m["paired"]["ci_high"] < 0, k  # one more employee: less waiting, surely
PY
"$KONING" compare "$sc" "$TMP/b.yaml" --set run.days=2 --set run.warmup_days=0.5 --replications 4 \
  --no-output >"$TMP/c.txt" 2>&1 && grep -q "difference one more employee - call centre" "$TMP/c.txt" \
  && ok "table output" || bad "table output: $(cat "$TMP/c.txt")"
sed 's/name: call centre/name: same again/' "$sc" >"$TMP/same.yaml"
"$KONING" compare "$sc" "$TMP/same.yaml" --set run.days=2 --set run.warmup_days=0.5 --replications 4 \
  --no-output --format json >"$TMP/s.json" 2>/dev/null
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["differences"][0]["metrics"]
assert all(v["mean"] is None or (v["mean"] == 0 and v["paired"]["ci_low"] == 0 == v["paired"]["ci_high"]) for v in d.values())
' "$TMP/s.json" && ok "identical scenarios: difference exactly 0 (same customers)" || bad "self-difference"
expect_fail 2 "two scenario files" -- "$KONING" compare "$sc"
expect_fail 2 "named" -- "$KONING" compare "$sc" "$sc" --no-output
finish
