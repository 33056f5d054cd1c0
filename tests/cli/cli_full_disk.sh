#!/usr/bin/env bash
# A full disk is an error that names its reason, never a crash, and leaves nothing but
# what docs/failure-modes.md promises: run and sweep (at the start and mid-way: the
# journal, then --resume), export (no CSV) and plot (no half-written chart). Needs root
# for a small tmpfs; skipped (exit code 77) otherwise.
source "$(dirname "$0")/lib.sh" "$@"
if [ "$(id -u)" -ne 0 ] || ! command -v mount >/dev/null; then
  echo "SKIP: a full disk is made with a 1 MiB tmpfs, which needs root (this runs as $(id -un))"
  exit 77
fi
FULL="$TMP/full"
mkdir -p "$FULL"
trap 'umount "$FULL" 2>/dev/null; rm -rf "$TMP"' EXIT
# fill FULL (a new 1 MiB tmpfs) to leave about $1 KiB
fill() {
  umount "$FULL" 2>/dev/null
  mount -t tmpfs -o size=1m tmpfs "$FULL" || { bad "cannot mount a tmpfs"; finish; exit 1; }
  head -c $(((1024 - $1) * 1024)) /dev/zero >"$FULL/fill" 2>/dev/null
}
left() { find "$FULL" -mindepth 1 ! -name fill -printf '%P ' | sed 's/ $//'; }
small_scenario "$TMP/s.yaml"
"$KONING" run "$TMP/s.yaml" -o "$TMP/r.h5" --jobs 2 >/dev/null 2>&1 || bad "a run on a free disk failed"

# run: the results file does not fit (HDF5 could not close it: it used to crash at exit)
for free in 0 8 64; do
  fill "$free"
  expect_fail 2 "No space left on device" "$FULL/r.h5" -- "$KONING" run "$TMP/s.yaml" -o "$FULL/r.h5" --jobs 1
  [ -z "$(left)" ] && ok "$free KiB free: nothing left behind (no journal asking for --resume)" \
    || bad "$free KiB free: left behind: $(left)"
done

# sweep: the disk fills mid-way; the journal keeps what ran, --resume finishes it
cat >"$TMP/sw.yaml" <<Y
base: $TMP/s.yaml
replications: 3
vary:
  staff.employees: [2, 3, 4]
  run.days: [12]
Y
umount "$FULL" 2>/dev/null
mount -t tmpfs -o size=4m tmpfs "$FULL"
"$KONING" sweep "$TMP/sw.yaml" -o "$FULL/sw.h5" --jobs 1 --quiet 2>"$TMP/err" &
pid=$!
for _ in $(seq 300); do
  [ "$(stat -c %s "$FULL/sw.h5.journal" 2>/dev/null || echo 0)" -gt 100 ] && break
  sleep 0.05
done
head -c 8m /dev/zero >"$FULL/fill" 2>/dev/null
wait "$pid"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "No space left on device" "$TMP/err" && grep -q -- "--resume" "$TMP/err"; then
  ok "sweep on a disk that fills: exit 1, '$(cat "$TMP/err")'"
else
  bad "sweep on a disk that fills: exit $rc: $(cat "$TMP/err")"
fi
[ -s "$FULL/sw.h5.journal" ] && ok "the journal keeps the finished runs" || bad "no journal after a full disk"
rm -f "$FULL/fill"
"$KONING" sweep "$TMP/sw.yaml" -o "$FULL/sw.h5" --jobs 2 --quiet --resume 2>"$TMP/err" \
  && ok "space freed: --resume finishes the sweep" || bad "--resume after a full disk: $(cat "$TMP/err")"
"$KONING" sweep "$TMP/sw.yaml" -o "$TMP/sw.h5" --jobs 2 --quiet 2>/dev/null
/usr/bin/python3 "$SRC/tests/python/same_results.py" "$FULL/sw.h5" "$TMP/sw.h5" >/dev/null \
  && ok "resumed sweep == uninterrupted sweep" || bad "resumed sweep differs from an uninterrupted one"
[ "$(left)" = "sw.h5" ] && ok "after --resume only the results file is left" || bad "left: $(left)"

# export: all three CSVs or none
for free in 4 12; do
  fill "$free"
  expect_fail 1 "No space left on device" -- "$KONING" export "$TMP/r.h5" --format csv -o "$FULL/x"
  [ -z "$(left)" ] && ok "export, $free KiB free: no CSV left behind" || bad "export left: $(left)"
done

# plot: a chart that does not fit is removed, not left half-written
fill 40
"$KONING" plot "$TMP/r.h5" -o "$FULL/p" >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" -eq 1 ] && grep -q "No space left on device" "$TMP/err" \
  && ok "plot on a full disk: exit 1, '$(cat "$TMP/err")'" || bad "plot on a full disk: exit $rc: $(cat "$TMP/err")"
empty=$(find "$FULL" -type f -size 0 -printf '%P ')
[ -z "$empty" ] && ok "plot on a full disk: no empty file left" || bad "plot left empty files: $empty"
for f in "$FULL"/p/*.gp; do
  [ -e "$f" ] || continue
  name=${f%.gp}
  for ext in dat png svg pdf; do
    [ -s "$name.$ext" ] || bad "plot on a full disk left $(basename "$name").gp without a whole .$ext"
  done
done
finish
