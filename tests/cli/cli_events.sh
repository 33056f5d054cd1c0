#!/usr/bin/env bash
# cli_events.sh - the engine's cost in kernel events, counted (kernel_events in the
# results file), not timed: in the queue model one event per served customer exactly
# (an abandoning customer costs none, there is no monitor); in the organisation model
# at most one per visit plus a constant per day (each position sleeps at most once a day
# to the next midnight, the manager wakes once a day).
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3

check() { # FILE MODE: events against served visits, run by run
  "$PY" - "$1" "$2" <<'PY'
import sys, h5py, numpy as np
f, mode = h5py.File(sys.argv[1], "r"), sys.argv[2]
ev = f["kernel_events"][:].astype(float)
served = np.rint(f["customers"][:] * (1.0 - f["p_abandon"][:]))
days = float(f["run.days"][0]); n = float(f["staff.employees"][0])
for e, s in zip(ev, served):
    if mode == "queue" and e != s:
        sys.exit(f"queue: {e:.0f} kernel events for {s:.0f} served customers")
    if mode == "org" and not (s <= e <= s + (n + 1) * (days + 1)):
        sys.exit(f"organisation: {e:.0f} events, {s:.0f} served, bound {s + (n + 1) * (days + 1):.0f}")
    print(f"{mode}: {e:.0f} events, {s:.0f} served visits, {e / max(s, 1):.4f} per visit")
PY
}

if "$KONING" run "$SRC/scenarios/call-centre.yaml" --replications 2 --set run.days=3 \
     --set run.warmup_days=0 --jobs 2 -o "$TMP/q.h5" >/dev/null 2>"$TMP/err" && out=$(check "$TMP/q.h5" queue); then
  ok "queue: one kernel event per served customer"; echo "$out"
else bad "queue events: $out $(cat "$TMP/err")"; fi

if "$KONING" run "$SRC/scenarios/organisation.yaml" --replications 2 --set run.days=120 \
     --set run.warmup_days=0 --jobs 2 -o "$TMP/o.h5" >/dev/null 2>"$TMP/err" && out=$(check "$TMP/o.h5" org); then
  ok "organisation: at most one event per visit plus a constant per day"; echo "$out"
else bad "organisation events: $out $(cat "$TMP/err")"; fi
finish
