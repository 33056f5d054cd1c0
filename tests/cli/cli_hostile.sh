#!/usr/bin/env bash
# Hostile input: values the checker used to accept and the simulation could not run
# (each refused in under a few seconds, exit 2, naming the key), outputs that name an
# input (refused, the input untouched), names that are formulas in a spreadsheet or
# escape sequences on a terminal, a cross-key error after --set, a FIFO as a scenario,
# an output directory that cannot be written.
source "$(dirname "$0")/lib.sh" "$@"
T="timeout 20"
small_scenario "$TMP/s.yaml"

# ---- values the checker accepted and the simulation could not run ---------------------
expect_fail 2 "key 'run.period_days'" "at least one minute" -- \
  $T "$KONING" run "$TMP/s.yaml" --no-output --set run.period_days=1e-320
expect_fail 2 "key 'run.period_days'" "at least one minute" -- \
  $T "$KONING" run "$TMP/s.yaml" --no-output --set run.period_days=1e-9
expect_fail 2 "key 'run.period_days'" "whole number of minutes" "17.712 minutes" -- \
  $T "$KONING" run "$TMP/s.yaml" --no-output --set run.period_days=0.0123
expect_fail 2 "key 'run.period_days'" "periods per run" "more than 10000" -- \
  $T "$KONING" run "$TMP/s.yaml" --no-output --set run.days=3650 --set run.period_days=0.25
expect_fail 2 "key 'staff.employees'" "must be <= 30000, got 40000" -- \
  $T "$KONING" run "$TMP/s.yaml" --no-output --set staff.employees=40000
expect_fail 2 "key 'staff.employees'" "30001 actors" -- \
  $T "$KONING" run "$TMP/s.yaml" --no-output --set staff.employees=30000 --set customers.base=10

# ---- a cross-key error after --set names the file and the overrides -------------------
expect_fail 2 "$TMP/s.yaml, after --set run.days=1, --set run.warmup_days=1.5: key 'run.warmup_days'" -- \
  "$KONING" run "$TMP/s.yaml" --no-output --set run.days=1 --set run.warmup_days=1.5 --set staff.employees=3

# ---- an output that names an input is refused, the input untouched ---------------------
cp "$TMP/s.yaml" "$TMP/self.yaml"
sum=$(sha256sum <"$TMP/self.yaml")
expect_fail 2 "would overwrite the input file" -- "$KONING" run "$TMP/self.yaml" -o "$TMP/self.yaml"
expect_fail 2 "would overwrite the input file" -- "$KONING" run "$TMP/self.yaml" --report "$TMP/self.yaml" -o "$TMP/x.h5"
ln -s self.yaml "$TMP/link.h5"
expect_fail 2 "would overwrite the input file" -- "$KONING" run "$TMP/self.yaml" -o "$TMP/link.h5"
cp "$TMP/s.yaml" "$TMP/base.yaml"
printf 'base: base.yaml\nvary: {staff.employees: [2, 3]}\n' >"$TMP/st.yaml"
expect_fail 2 "would overwrite the input file" -- "$KONING" sweep "$TMP/st.yaml" -o "$TMP/base.yaml"
expect_fail 2 "would overwrite the input file" -- "$KONING" sweep "$TMP/st.yaml" -o "$TMP/st.yaml"
sed 's/^name: small/name: other/' "$TMP/s.yaml" >"$TMP/other.yaml"
expect_fail 2 "would overwrite the input file" -- "$KONING" compare "$TMP/other.yaml" "$TMP/self.yaml" -o "$TMP/self.yaml"
[ "$(sha256sum <"$TMP/self.yaml")" = "$sum" ] && cmp -s "$TMP/s.yaml" "$TMP/base.yaml" \
  && ok "the inputs are untouched" || bad "an input was overwritten"

# ---- names: formulas in a spreadsheet, escape sequences on a terminal -----------------
names=('=HYPERLINK(\"http://x\",\"y\")' '+cmd|x' '-2+3' '@SUM(A1)')
files=()
for i in "${!names[@]}"; do
  printf 'name: "%s"\nrun: {days: 1, warmup_days: 0.25, replications: 2}\narrivals: {per_hour: 60}\nservice: {mean_minutes: 1}\nstaff: {employees: 2}\n' "${names[$i]}" >"$TMP/f$i.yaml"
  files+=("$TMP/f$i.yaml")
done
"$KONING" compare "${files[@]}" -o "$TMP/f.h5" --jobs 2 >/dev/null 2>&1 \
  && "$KONING" export "$TMP/f.h5" --format csv -o "$TMP/f" 2>/dev/null || bad "compare/export of formula names"
/usr/bin/python3 - "$TMP/f_scenarios.csv" "$TMP/f_runs.csv" <<'PY' && ok "CSV: names that are formulas (${names[*]}) are text" || bad "CSV: a name reaches a spreadsheet as a formula"
import csv, sys
cells = [c for path in sys.argv[1:] for row in csv.reader(open(path)) for c in row]
bad = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")
       and not c.replace(".", "", 1).lstrip("-").replace("e-", "").isdigit()]
quoted = [c for c in cells if c.startswith("'=HYPERLINK") or c in ("'+cmd|x", "'-2+3", "'@SUM(A1)")]
print("formula cells:", bad, "quoted:", sorted(set(quoted)))
sys.exit(1 if bad or len(set(quoted)) != 4 else 0)
PY
printf 'name: "\\e]0;pwned\\a\\e[2J"\nrun: {days: 1, warmup_days: 0.25, replications: 2}\narrivals: {per_hour: 60}\nservice: {mean_minutes: 1}\nstaff: {employees: 2}\n' >"$TMP/e.yaml"
cp "$TMP/e.yaml" "$TMP/e2.yaml"
sed -i 's/pwned/other/' "$TMP/e2.yaml"
"$KONING" compare "$TMP/e.yaml" "$TMP/e2.yaml" -o "$TMP/e.h5" --jobs 2 >"$TMP/out" 2>&1
"$KONING" compare "$TMP/e.yaml" "$TMP/e2.yaml" --brief --no-output --jobs 2 >>"$TMP/out" 2>&1
"$KONING" plot "$TMP/e.h5" -o "$TMP/$(printf 'p\e[2J')" --only summary >>"$TMP/out" 2>&1
"$KONING" run "$TMP/$(printf 'missing\e]0;x\a.yaml')" >>"$TMP/out" 2>&1
grep -q 'scenario: \\x1B]0;pwned\\x07\\x1B\[2J' "$TMP/out" && ok "a name shows its escapes as \\x1B" \
  || bad "the name is not shown escaped: $(head -c 300 "$TMP/out" | od -c | head -3)"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$TMP/out"; then
  bad "a control character reached the terminal: $(LC_ALL=C grep -n $'[\x01-\x08\x0b-\x1f\x7f]' "$TMP/out" | od -c | head -3)"
else
  ok "tables, --brief, differences, plot lines and errors carry no control character"
fi

# ---- a FIFO as a scenario does not block; a read-only output directory says why -------
mkfifo "$TMP/fifo.yaml"
expect_fail 2 "fifo.yaml" "empty scenario" -- $T "$KONING" run "$TMP/fifo.yaml" --no-output
mkfifo "$TMP/fifo.h5"
expect_fail 2 "fifo.h5" "not a regular file" -- $T "$KONING" plot "$TMP/fifo.h5"
expect_fail 2 "fifo.h5" "not a regular file" -- $T "$KONING" report "$TMP/fifo.h5"
expect_fail 2 "fifo.h5" "not a regular file" -- $T "$KONING" export "$TMP/fifo.h5" --format csv
"$KONING" run <(cat "$TMP/s.yaml") --no-output --jobs 2 --format json >/dev/null 2>&1 \
  && ok "a scenario from a shell's <(...) is still read" || bad "a scenario from <(...) is refused"
mkdir -p "$TMP/ro"
if [ "$(id -u)" -eq 0 ]; then
  mount -t tmpfs -o ro,size=64k tmpfs "$TMP/ro" && trap 'umount "$TMP/ro" 2>/dev/null; rm -rf "$TMP"' EXIT
  why="Read-only file system"
else
  chmod 555 "$TMP/ro"
  why="Permission denied"
fi
expect_fail 2 "$TMP/ro/p" "cannot create the output directory: $why" -- "$KONING" plot "$TMP/e.h5" -o "$TMP/ro/p"
finish
