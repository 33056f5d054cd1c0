#!/usr/bin/env bash
# koning run writes an HDF5 results file that h5py, pandas and xarray read with no glue
# and that reproduces the printed summary; export writes CSV; an unwritable output
# path fails before anything is simulated.
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3
sc="$SRC/scenarios/call-centre.yaml"
common=(--set run.days=3 --set run.warmup_days=0.5 --replications 6)

"$KONING" run "$sc" "${common[@]}" -o "$TMP/r.h5" --format json >"$TMP/r.json" 2>"$TMP/err" \
  && ok "run -o" || bad "run -o: $(cat "$TMP/err")"
[ -s "$TMP/r.h5" ] && ok "file written" || bad "no file"
[ ! -e "$TMP/r.h5.journal" ] && ok "journal removed after completion" || bad "journal left behind"
"$PY" "$SRC/tests/python/check_results.py" "$TMP/r.h5" "$TMP/r.json" >"$TMP/py.txt" 2>&1 \
  && ok "python (h5py, pandas, xarray) reproduces the summary" || bad "python check: $(cat "$TMP/py.txt")"
h5dump -H "$TMP/r.h5" >/dev/null 2>&1 && ok "h5dump reads it" || bad "h5dump"

"$KONING" export "$TMP/r.h5" --format csv -o "$TMP/csv" 2>/dev/null && ok "export" || bad "export"
runs=$(($(wc -l <"$TMP/csv_runs.csv") - 1))
[ "$runs" -eq 6 ] && ok "runs.csv has 6 rows" || bad "runs.csv has $runs rows"
head -1 "$TMP/csv_runs.csv" | grep -q "p_wait" && ok "runs.csv header" || bad "runs.csv header"

# unwritable output: fails at once, nothing simulated (well under a second)
start=$(date +%s%N)
expect_fail 2 "no-such-dir" -- "$KONING" run "$sc" -o "$TMP/no-such-dir/x.h5"
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt 1500 ] && ok "failed before simulating ($ms ms)" || bad "took $ms ms"
expect_fail 2 "nope.h5" -- "$KONING" export "$TMP/nope.h5" --format csv -o "$TMP/x"
expect_fail 2 "csv" -- "$KONING" export "$TMP/r.h5" --format xlsx

# default output: results/NAME.h5 in the working directory
(cd "$TMP" && "$KONING" run "$sc" "${common[@]}" >/dev/null 2>&1) && [ -s "$TMP/results/call-centre.h5" ] \
  && ok "default results/call-centre.h5" || bad "default output"
finish
