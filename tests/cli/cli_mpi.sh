#!/usr/bin/env bash
# MPI: `mpirun -np 3 koning sweep` (rank 0 writes, 2 ranks simulate) gives the same
# results file as a local sweep, and the same again after a kill and --resume; so does
# `mpirun -np 3 koning robust`.
source "$(dirname "$0")/lib.sh" "$@"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_mpi_warn_on_fork=0
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1
PY=/usr/bin/python3
SAME="$SRC/tests/python/same_results.py"
cat >"$TMP/s.yaml" <<Y
base: $SRC/scenarios/call-centre.yaml
replications: 6
vary:
  run.days: [6]
  run.warmup_days: [0.5]
  staff.employees: [9, 10, 11]
  arrivals.per_hour: [500, 600]
Y
"$KONING" sweep "$TMP/s.yaml" -o "$TMP/local.h5" --jobs 2 --quiet 2>/dev/null && ok "local sweep" || bad "local sweep"
mpirun --oversubscribe -np 3 "$KONING" sweep "$TMP/s.yaml" -o "$TMP/mpi.h5" >"$TMP/out" 2>&1 \
  && ok "mpirun -np 3 sweep" || bad "mpirun: $(cat "$TMP/out")"
grep -q "3 MPI ranks" "$TMP/out" && ok "ran on 3 ranks" || bad "not on MPI ranks: $(cat "$TMP/out")"
"$PY" "$SAME" "$TMP/mpi.h5" "$TMP/local.h5" && ok "MPI file == local file" || bad "MPI results differ"

# kill mpirun's process group once the journal holds a run (however loaded the machine);
# the ranks have process groups of their own: they must notice and stop at once, so the
# journal stops growing and --resume can take it over
setsid mpirun --oversubscribe -np 3 "$KONING" sweep "$TMP/s.yaml" -o "$TMP/k.h5" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 600); do   # at most 60 s
  [ "$(stat -c %s "$TMP/k.h5.journal" 2>/dev/null || echo 0)" -gt 200 ] && break
  sleep 0.1
done
kill -KILL -- "-$pid" 2>/dev/null
wait "$pid" 2>/dev/null
size() { stat -c %s "$TMP/k.h5.journal" 2>/dev/null || echo gone; }
before=$(size); sleep 1; after=$(size)
[ "$before" = "$after" ] && ok "the ranks stopped with mpirun: journal $before bytes, then $after" \
  || bad "the ranks went on after mpirun died: journal $before bytes, then $after"
left=$(pgrep -f "koning sweep $TMP/s.yaml -o $TMP/k.h5")
[ -z "$left" ] && ok "no rank outlives mpirun by a second" || bad "ranks still running: $left"
pkill -KILL -f "koning sweep $TMP/s.yaml -o $TMP/k.h5" 2>/dev/null
if [ -e "$TMP/k.h5.journal" ]; then
  mpirun --oversubscribe -np 3 "$KONING" sweep "$TMP/s.yaml" -o "$TMP/k.h5" --resume >/dev/null 2>&1 \
    && ok "MPI resume" || bad "MPI resume"
else
  bad "the sweep finished before the kill: make it longer"
fi
"$PY" "$SAME" "$TMP/k.h5" "$TMP/local.h5" && ok "killed + resumed MPI sweep == local" || bad "after MPI resume"

R="$SRC/tests/data/robust/small.yaml"
"$KONING" robust "$R" -o "$TMP/r-local.h5" --jobs 2 --quiet >/dev/null 2>&1 && ok "local robust study" || bad "local robust"
mpirun --oversubscribe -np 3 "$KONING" robust "$R" -o "$TMP/r-mpi.h5" --quiet >"$TMP/rout" 2>&1 \
  && grep -q "3 MPI ranks" "$TMP/rout" && ok "mpirun -np 3 robust" || bad "mpirun robust: $(cat "$TMP/rout")"
"$PY" "$SAME" "$TMP/r-mpi.h5" "$TMP/r-local.h5" && ok "MPI robust file == local file" || bad "MPI robust differs"
finish
