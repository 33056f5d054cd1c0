#!/usr/bin/env bash
# koning sweep: the same numbers whatever --jobs; a run whose process dies is recorded
# with its error and the sweep goes on (exit 1); bad sweep files exit 2 with file:line.
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3
cat >"$TMP/s.yaml" <<Y
base: $SRC/scenarios/call-centre.yaml
replications: 3
vary:
  run.days: [2]
  run.warmup_days: [0.5]
  staff.employees: [9, 10, 11]
  arrivals.per_hour: {from: 500, to: 600, step: 100}
Y
"$KONING" sweep "$TMP/s.yaml" -o "$TMP/j1.h5" --jobs 1 2>"$TMP/err" && ok "sweep --jobs 1" || bad "sweep: $(cat "$TMP/err")"
"$KONING" sweep "$TMP/s.yaml" -o "$TMP/j2.h5" --jobs 2 2>/dev/null && ok "sweep --jobs 2" || bad "sweep --jobs 2"
"$PY" "$SRC/tests/python/same_results.py" "$TMP/j1.h5" "$TMP/j2.h5" && ok "identical whatever --jobs" || bad "results depend on --jobs"
"$PY" - "$TMP/j1.h5" <<'PY' && ok "18 runs, interleaved replication-major, 6 points" || bad "sweep layout"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert f["run"].shape == (18,), f["run"].shape
assert f["scenario"].shape == (6,)
rep = f["replication"][:]
assert list(rep) == [0] * 6 + [1] * 6 + [2] * 6, rep
assert list(f["run_scenario"][:6]) == list(range(6))
assert (f["status"][:] == 0).all()
assert sorted(set(f["staff.employees"][:])) == [9, 10, 11]
PY

# progress: a bar (done/total, rate, ETA) when stderr is a terminal, nothing otherwise
if command -v script >/dev/null; then
  script -qec "$KONING sweep $TMP/s.yaml -o $TMP/p.h5 --jobs 2" /dev/null >"$TMP/tty.txt" 2>&1
  grep -q "18/18 runs" "$TMP/tty.txt" && grep -q "runs/s" "$TMP/tty.txt" && grep -q "ETA" "$TMP/tty.txt" \
    && ok "progress bar on a terminal" || bad "no progress bar on a terminal: $(tr '\r' '\n' <"$TMP/tty.txt" | tail -3)"
  rm -f "$TMP"/p.h5*
  "$KONING" sweep "$TMP/s.yaml" -o "$TMP/p.h5" --jobs 2 2>"$TMP/notty.txt"
  ! grep -q "ETA" "$TMP/notty.txt" && ok "no progress bar when stderr is a file" || bad "progress bar in a file"
fi

# a run whose process dies: recorded, the sweep goes on, exit 1
cat >"$TMP/long.yaml" <<Y
base: $SRC/scenarios/call-centre.yaml
replications: 2
vary:
  run.days: [40]
  run.warmup_days: [1]
  staff.employees: [10, 11, 12]
Y
"$KONING" sweep "$TMP/long.yaml" -o "$TMP/f.h5" --jobs 2 2>"$TMP/ferr" &
pid=$!
victim=""
for _ in $(seq 1 100); do
  victim=$(pgrep -P "$pid" | head -1)
  [ -n "$victim" ] && break
  sleep 0.05
done
[ -n "$victim" ] && kill -KILL "$victim"
wait "$pid"
rc=$?
[ "$rc" -eq 1 ] && ok "exit 1 when a run failed" || bad "exit $rc ($(cat "$TMP/ferr"))"
grep -q "signal 9" "$TMP/ferr" && ok "failure reported" || bad "no failure message: $(cat "$TMP/ferr")"
"$PY" - "$TMP/f.h5" <<'PY' && ok "failed run recorded with its error, the others done" || bad "failed run record"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
st = f["status"][:]
assert len(st) == 6 and (st != 0).sum() == 1, st
i = int(np.nonzero(st)[0][0])
err = f["error"][i]
err = err.decode() if isinstance(err, bytes) else err
assert "signal 9" in err, err
assert np.isnan(f["p_wait"][i]) and np.isfinite(f["p_wait"][:][st == 0]).all()
PY

cat >"$TMP/bad.yaml" <<Y
base: $SRC/scenarios/call-centre.yaml
vary:
  staff.employees: [0, 5]
Y
expect_fail 2 "bad.yaml:3" "staff.employees" -- "$KONING" sweep "$TMP/bad.yaml" -o "$TMP/b.h5"
expect_fail 2 "nope.yaml" -- "$KONING" sweep "$TMP/nope.yaml" -o "$TMP/b.h5"
expect_fail 2 "one sweep FILE" -- "$KONING" sweep
expect_fail 2 "no-such-dir" -- "$KONING" sweep "$TMP/s.yaml" -o "$TMP/no-such-dir/x.h5"
finish
