#!/usr/bin/env bash
# Crash safety: kill a sweep with SIGKILL at several moments. Each time the results file
# on disk is readable and every run in it is right; --resume finishes the sweep and the
# final file holds each run exactly once with the same numbers as an uninterrupted one.
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3
SAME="$SRC/tests/python/same_results.py"
cat >"$TMP/s.yaml" <<Y
base: $SRC/scenarios/call-centre.yaml
replications: 8
vary:
  run.days: [8]
  run.warmup_days: [0.5]
  staff.employees: [9, 10, 11, 12]
  arrivals.per_hour: [550, 600]
Y
"$KONING" sweep "$TMP/s.yaml" -o "$TMP/full.h5" --jobs 2 2>/dev/null && ok "uninterrupted sweep" || bad "sweep"

for delay in 0.5 1.7 3.1 4.6; do
  rm -f "$TMP"/k.h5*
  "$KONING" sweep "$TMP/s.yaml" -o "$TMP/k.h5" --jobs 2 2>/dev/null &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  sleep 0.3 # orphaned children notice the closed pipe and exit
  if [ -e "$TMP/k.h5" ]; then
    "$PY" "$SAME" --subset "$TMP/k.h5" "$TMP/full.h5" >/dev/null 2>"$TMP/e" \
      && ok "killed at ${delay}s: file readable, $("$PY" -c 'import h5py,sys; print(h5py.File(sys.argv[1])["run"].shape[0])' "$TMP/k.h5") runs, all right" \
      || bad "killed at ${delay}s: $(cat "$TMP/e")"
  else
    ok "killed at ${delay}s before the file was created"
  fi
  if [ -e "$TMP/k.h5.journal" ]; then
    expect_fail 2 "--resume" -- "$KONING" sweep "$TMP/s.yaml" -o "$TMP/k.h5" --jobs 2
    "$KONING" sweep "$TMP/s.yaml" -o "$TMP/k.h5" --jobs 2 --resume 2>/dev/null \
      && ok "resumed after ${delay}s" || bad "resume after ${delay}s"
  elif [ ! -e "$TMP/k.h5" ]; then # a slow machine: killed before the study began
    "$KONING" sweep "$TMP/s.yaml" -o "$TMP/k.h5" --jobs 2 2>/dev/null \
      && ok "killed at ${delay}s before the study began: nothing left, a new run" \
      || bad "a new run after a kill at ${delay}s"
  else
    ok "killed at ${delay}s after completion"
  fi
  "$PY" "$SAME" "$TMP/k.h5" "$TMP/full.h5" >/dev/null 2>"$TMP/e" \
    && ok "after ${delay}s + resume: identical to the uninterrupted sweep" || bad "after ${delay}s: $(cat "$TMP/e")"
  [ ! -e "$TMP/k.h5.journal" ] && ok "journal removed" || bad "journal left"
done

# a journal of another study is refused
rm -f "$TMP"/k.h5*
"$KONING" sweep "$TMP/s.yaml" -o "$TMP/k.h5" --jobs 2 2>/dev/null &
pid=$!
sleep 0.6
kill -KILL "$pid"
wait "$pid" 2>/dev/null
sleep 0.3
if [ -e "$TMP/k.h5.journal" ]; then
  expect_fail 2 "different study" -- "$KONING" sweep "$TMP/s.yaml" -o "$TMP/k.h5" --seed 99 --resume
fi
expect_fail 2 "nothing to resume" -- "$KONING" sweep "$TMP/s.yaml" -o "$TMP/none.h5" --resume
finish
