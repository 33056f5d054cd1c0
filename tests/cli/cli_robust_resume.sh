#!/usr/bin/env bash
# koning robust (docs/robust.md) runs as one ordinary study: the small study of
# cli_robust.sh, in 4 worlds (24 runs), gives the same results file, bit for bit
# (wall-clock times aside), with --jobs 1 and --jobs 2, and after a SIGKILL or a SIGTERM
# mid-study and --resume; a SIGTERM stops it with exit status 143 and says where the
# finished runs are kept.
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3
SAME="$SRC/tests/python/same_results.py"
D="$SRC/tests/data/robust"

"$KONING" robust "$D/small.yaml" --worlds 4 -o "$TMP/a.h5" --jobs 2 --quiet >/dev/null 2>"$TMP/a.err" \
  && ok "small study, --jobs 2" || bad "study: $(cat "$TMP/a.err")"
"$KONING" robust "$D/small.yaml" --worlds 4 -o "$TMP/b.h5" --jobs 1 --quiet >/dev/null 2>&1 \
  && "$PY" "$SAME" "$TMP/b.h5" "$TMP/a.h5" >/dev/null && ok "--jobs 1 == --jobs 2, bit for bit" \
  || bad "--jobs 1 differs from --jobs 2"

# SIGKILL (nothing cleaned up) and SIGTERM (the study stops, says so, dies of the
# signal), each sent once the journal holds a run (however loaded the machine) and then
# DELAY seconds more
for stop in KILL:0 TERM:0.5; do
  sig=${stop%%:*} delay=${stop#*:}
  rm -f "$TMP"/k.h5*
  "$KONING" robust "$D/small.yaml" --worlds 4 -o "$TMP/k.h5" --jobs 2 --quiet >/dev/null 2>"$TMP/k.err" &
  pid=$!
  for _ in $(seq 600); do   # at most 60 s
    [ "$(stat -c %s "$TMP/k.h5.journal" 2>/dev/null || echo 0)" -gt 200 ] && break
    sleep 0.1
  done
  sleep "$delay"
  kill -"$sig" "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null; rc=$?
  sleep 0.3 # orphaned children notice the closed pipe and exit
  if [ "$sig" = TERM ] && [ -e "$TMP/k.h5.journal" ]; then
    [ "$rc" -eq 143 ] && grep -q "interrupted by SIGTERM; the .* finished runs are kept in .*k.h5.journal" "$TMP/k.err" \
      && ok "SIGTERM mid-study: exit 143, the finished runs kept in the journal" \
      || bad "SIGTERM: exit $rc: $(cat "$TMP/k.err")"
  fi
  if [ -e "$TMP/k.h5.journal" ]; then
    expect_fail 2 "--resume" -- "$KONING" robust "$D/small.yaml" --worlds 4 -o "$TMP/k.h5" --quiet
    "$KONING" robust "$D/small.yaml" --worlds 4 -o "$TMP/k.h5" --jobs 2 --resume --quiet >/dev/null 2>&1 \
      && ok "SIG$sig mid-study, resumed" || bad "resume after SIG$sig"
  else
    bad "SIG$sig came after the study had finished: nothing was resumed"
  fi
  "$PY" "$SAME" "$TMP/k.h5" "$TMP/a.h5" >/dev/null 2>"$TMP/e" \
    && ok "SIG$sig + resume == uninterrupted, bit for bit" || bad "after SIG$sig: $(cat "$TMP/e")"
done

finish
