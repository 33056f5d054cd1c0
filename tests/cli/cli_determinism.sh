#!/usr/bin/env bash
# Same seed -> byte-identical JSON whatever --jobs; another seed -> other numbers.
source "$(dirname "$0")/lib.sh" "$@"
sc="$SRC/scenarios/call-centre.yaml"
common=(--set run.days=2 --set run.warmup_days=0.5 --replications 6 --format json --no-output)
"$KONING" run "$sc" "${common[@]}" --jobs 1 >"$TMP/j1.json" || bad "jobs 1"
"$KONING" run "$sc" "${common[@]}" --jobs 2 >"$TMP/j2.json" || bad "jobs 2"
"$KONING" run "$sc" "${common[@]}" --jobs 5 >"$TMP/j5.json" || bad "jobs 5"
cmp -s "$TMP/j1.json" "$TMP/j2.json" && ok "jobs 1 == jobs 2" || bad "jobs 1 != jobs 2"
cmp -s "$TMP/j1.json" "$TMP/j5.json" && ok "jobs 1 == jobs 5" || bad "jobs 1 != jobs 5"
"$KONING" run "$sc" "${common[@]}" --seed 2 >"$TMP/s2.json" || bad "seed 2"
cmp -s "$TMP/j1.json" "$TMP/s2.json" && bad "seed 2 gave the same numbers" || ok "seed changes numbers"
finish
