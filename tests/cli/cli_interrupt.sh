#!/usr/bin/env bash
# Interrupted: SIGTERM and SIGINT make plot, report, run and sweep clean up, say so and
# end with the signal (exit 128 + N); SIGKILL leaves nothing in $TMPDIR, and what it
# leaves beside the output (a report's chart directory) the next report removes.
# A gnuplot that takes a while to start makes the moment of the signal certain.
source "$(dirname "$0")/lib.sh" "$@"
export TMPDIR="$TMP/tmpdir"
mkdir -p "$TMPDIR"
printf '#!/bin/sh\ntouch "%s"\nsleep 1\nexec gnuplot "$@"\n' "$TMP/started" >"$TMP/slow-gnuplot"
chmod +x "$TMP/slow-gnuplot"
small_scenario "$TMP/s.yaml"
"$KONING" run "$TMP/s.yaml" -o "$TMP/r.h5" --jobs 2 >/dev/null 2>&1 || bad "run"

# start "$@" with SIGINT and SIGTERM at their defaults (a shell's background job ignores
# SIGINT), wait until gnuplot has started (at most 20 s), send signal $SIG; leave the
# exit status in $rc
interrupt() {
  rm -f "$TMP/started"
  env --default-signal=INT,TERM "$@" >"$TMP/out" 2>"$TMP/err" &
  local pid=$!
  for _ in $(seq 400); do [ -e "$TMP/started" ] && break; sleep 0.05; done
  kill "-$SIG" "$pid"
  wait "$pid"
  rc=$?
}
tmp_left() { find "$TMPDIR" -mindepth 1 -printf '%P '; }

for sig in TERM INT; do
  code=$((128 + $(kill -l "$sig")))
  SIG=$sig interrupt env KONING_GNUPLOT="$TMP/slow-gnuplot" "$KONING" plot "$TMP/r.h5" -o "$TMP/p-$sig"
  [ "$rc" -eq "$code" ] && grep -q "interrupted by SIG$sig" "$TMP/err" \
    && ok "plot, SIG$sig: exit $rc, '$(cat "$TMP/err")'" || bad "plot, SIG$sig: exit $rc: $(cat "$TMP/err")"
  [ ! -e "$TMP/p-$sig" ] && ok "plot, SIG$sig: no chart begun is left (nor the directory it made)" \
    || bad "plot, SIG$sig: left $(ls "$TMP/p-$sig")"
  SIG=$sig interrupt env KONING_GNUPLOT="$TMP/slow-gnuplot" "$KONING" report "$TMP/r.h5" -o "$TMP/r-$sig.html"
  [ "$rc" -eq "$code" ] && grep -q "interrupted by SIG$sig" "$TMP/err" \
    && ok "report, SIG$sig: exit $rc, '$(cat "$TMP/err")'" || bad "report, SIG$sig: exit $rc: $(cat "$TMP/err")"
  left=$(find "$TMP" -maxdepth 1 -name "r-$sig.html*" -o -maxdepth 1 -name '.koning-report-*')
  [ -z "$left" ] && ok "report, SIG$sig: nothing left" || bad "report, SIG$sig: left $left"
done
[ -z "$(tmp_left)" ] && ok "nothing in \$TMPDIR" || bad "in \$TMPDIR: $(tmp_left)"

# SIGKILL: nothing in $TMPDIR; the report's chart directory goes with the next report
SIG=KILL interrupt env KONING_GNUPLOT="$TMP/slow-gnuplot" "$KONING" plot "$TMP/r.h5" -o "$TMP/pk"
SIG=KILL interrupt env KONING_GNUPLOT="$TMP/slow-gnuplot" "$KONING" report "$TMP/r.h5" -o "$TMP/rk.html"
[ -z "$(tmp_left)" ] && ok "SIGKILL: nothing in \$TMPDIR" || bad "SIGKILL: in \$TMPDIR: $(tmp_left)"
stale=$(find "$TMP" -maxdepth 1 -name '.koning-report-*' -printf '%P ')
[ -n "$stale" ] && ok "SIGKILL: the report left its chart directory beside the page ($stale)" \
  || bad "the killed report left no chart directory (killed too late?)"
sleep 1.5 # the killed report's gnuplot ends
"$KONING" report "$TMP/r.h5" -o "$TMP/rk.html" 2>/dev/null && [ -s "$TMP/rk.html" ] || bad "report after a kill"
stale=$(find "$TMP" -maxdepth 1 -name '.koning-report-*' -printf '%P ')
[ -z "$stale" ] && ok "the next report into that directory removed it" || bad "still there: $stale"

# a study: the finished runs stay in the journal, the message says how to go on
cat >"$TMP/sw.yaml" <<Y
base: $TMP/s.yaml
replications: 4
vary:
  staff.employees: [2, 3, 4, 5]
  run.days: [3]
Y
env --default-signal=INT "$KONING" sweep "$TMP/sw.yaml" -o "$TMP/sw.h5" --jobs 2 --quiet 2>"$TMP/err" &
pid=$!
for _ in $(seq 300); do
  [ "$(stat -c %s "$TMP/sw.h5.journal" 2>/dev/null || echo 0)" -gt 100 ] && break
  sleep 0.05
done
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] && grep -q "interrupted by SIGINT; the .* finished runs are kept in .*sw.h5.journal" "$TMP/err" \
  && ok "sweep, SIGINT: exit 130, '$(cat "$TMP/err")'" || bad "sweep, SIGINT: exit $rc: $(cat "$TMP/err")"
/usr/bin/python3 - "$TMP/sw.h5" <<'PY' && ok "no run was recorded as failed by the interrupt" || bad "the interrupt recorded failed runs"
import sys, h5py
f = h5py.File(sys.argv[1], "r")
sys.exit(1 if (f["status"][:] != 0).any() else 0)
PY
[ ! -e "$TMP/sw.h5.tmp" ] && ok "no sw.h5.tmp left" || bad "sw.h5.tmp left"
"$KONING" sweep "$TMP/sw.yaml" -o "$TMP/sw.h5" --jobs 2 --quiet --resume 2>/dev/null \
  && ok "--resume finishes the interrupted sweep" || bad "--resume after SIGINT"
"$KONING" sweep "$TMP/sw.yaml" -o "$TMP/sw2.h5" --jobs 2 --quiet 2>/dev/null
/usr/bin/python3 "$SRC/tests/python/same_results.py" "$TMP/sw.h5" "$TMP/sw2.h5" >/dev/null \
  && ok "interrupted + resumed == uninterrupted" || bad "interrupted + resumed differs"
pgrep -f "koning sweep $TMP/sw.yaml" >/dev/null && bad "a simulation outlived its sweep" || ok "no simulation outlived its sweep"
finish
