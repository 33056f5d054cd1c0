#!/usr/bin/env bash
# A sweep of 100,000 points (well within the documented 1,000,000) starts in seconds,
# in little memory, with a results file the size of what has run: the points are built
# when their runs start, and the file lists the scenarios its runs reach. Killed early,
# the file is a valid results file (tests/python/check_results.py).
source "$(dirname "$0")/lib.sh" "$@"
cat >"$TMP/s.yaml" <<Y
name: tiny
run: {days: 0.5, warmup_days: 0.1, replications: 2, seed: 1}
arrivals: {per_hour: 30}
service: {mean_minutes: 1}
staff: {employees: 1}
Y
cat >"$TMP/big.yaml" <<Y
base: $TMP/s.yaml
replications: 2
vary:
  staff.employees: {from: 1, to: 100, step: 1}
  arrivals.per_hour: {from: 1, to: 100, step: 1}
  service.mean_minutes: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
Y
limit=30 # seconds; the sanitizer build checks each point about five times slower
grep -q "__asan_init" "$KONING" 2>/dev/null && limit=150
start=$(date +%s.%N)
"$KONING" sweep "$TMP/big.yaml" -o "$TMP/big.h5" --jobs 2 --quiet 2>"$TMP/err" &
pid=$!
peak=0
began=0
for _ in $(seq $((limit * 20))); do # at most $limit s
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null)
  [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
  [ "$(stat -c %s "$TMP/big.h5.journal" 2>/dev/null || echo 0)" -gt 2000 ] && { began=1; break; }
  sleep 0.05
done
first=$(echo "$(date +%s.%N) - $start" | bc)
kill -TERM "$pid"
wait "$pid"
size=$(stat -c %s "$TMP/big.h5" 2>/dev/null || echo 0)
echo "runs began after ${first}s; peak memory ${peak} KiB; results file ${size} bytes"
[ "$began" -eq 1 ] && [ "$(echo "$first < $limit" | bc)" -eq 1 ] && ok "100,000 points: runs began after ${first}s (limit ${limit}s)" \
  || bad "100,000 points: runs began only after ${first}s (limit ${limit}s)"
[ "$peak" -gt 0 ] && [ "$peak" -lt 300000 ] && ok "peak memory ${peak} KiB (was 1.4 GB)" \
  || bad "peak memory ${peak} KiB"
[ "$size" -gt 0 ] && [ "$size" -lt 40000000 ] && ok "results file ${size} bytes (was 900 MB at once)" \
  || bad "results file ${size} bytes"
/usr/bin/python3 - "$TMP/big.h5" <<'PY' && ok "the file lists the scenarios its runs reach, not all 100,000" || bad "scenario table"
import sys, h5py
f = h5py.File(sys.argv[1], "r")
S, runs = len(f["scenario"]), f["run_scenario"][:]
print("scenarios listed: %d, runs: %d" % (S, len(runs)))
sys.exit(0 if 256 <= S < 100000 and (not len(runs) or runs.max() < S) else 1)
PY
/usr/bin/python3 "$SRC/tests/python/check_results.py" "$TMP/big.h5" >"$TMP/check" 2>&1 \
  && ok "the killed sweep's file passes check_results.py" || bad "check_results.py: $(tail -3 "$TMP/check")"
grep -q "interrupted by SIGTERM" "$TMP/err" && [ -e "$TMP/big.h5.journal" ] \
  && ok "SIGTERM: '$(cat "$TMP/err")'" || bad "SIGTERM: $(cat "$TMP/err")"
finish
