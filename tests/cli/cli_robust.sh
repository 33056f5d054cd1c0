#!/usr/bin/env bash
# koning robust (docs/robust.md): a small study of three policies in eight worlds.
# Its verdict agrees with one recomputed from the file's per-world outcomes in Python;
# `koning compare` of the policies with a world's magnitudes as --set gives the same
# means and winners as the file (common random numbers, the same scenarios); the
# verdict of the file again equals the first; every bad file of tests/data/robust is
# one line naming the file, the key and the reason, exit 2; no output may overwrite an
# input; `koning verdict` refuses a robust file.
# (--jobs and resuming after SIGKILL or SIGTERM: cli_robust_resume.sh; Morris and
# Saltelli designs, charts and the report: cli_robust_designs.sh.)
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3
SAME="$SRC/tests/python/same_results.py"
CHECK="$SRC/tests/python/check_robust.py"
D="$SRC/tests/data/robust"

"$KONING" robust "$D/small.yaml" -o "$TMP/a.h5" --jobs 2 --quiet --json >"$TMP/a.json" 2>"$TMP/a.err" \
  && ok "small study (3 policies x 8 worlds x 2 replications), --jobs 2" || bad "study: $(cat "$TMP/a.err")"
grep -q "48 runs, 0 failed" "$TMP/a.err" && ok "48 runs, none failed" || bad "runs: $(cat "$TMP/a.err")"
"$PY" "$CHECK" verdict "$TMP/a.h5" "$TMP/a.json" && ok "verdict recomputed from the file" || bad "verdict differs"
"$PY" "$CHECK" compare "$TMP/a.h5" "$KONING" 2,6 --set run.days=28 --set run.warmup_days=7 \
  && ok "koning compare at worlds 2 and 6: the same means and winners" || bad "compare disagrees"
"$KONING" robust "$TMP/a.h5" --json >"$TMP/again.json" 2>"$TMP/e" && cmp -s "$TMP/a.json" "$TMP/again.json" \
  && ok "koning robust FILE.h5 --json prints the same verdict" || bad "verdict again: $(cat "$TMP/e")"
"$KONING" robust "$TMP/a.h5" >"$TMP/a.txt" 2>&1 && grep -q "least maximum regret" "$TMP/a.txt" \
  && grep -q "beats" "$TMP/a.txt" && ok "text verdict" || bad "text: $(head -5 "$TMP/a.txt")"
"$PY" - "$TMP/a.h5" <<'P' && ok "h5py/pandas read the worlds" || bad "worlds not readable"
import sys, h5py, pandas as pd
f = h5py.File(sys.argv[1], "r")
keys = [k.decode() for k in f["uncertain_key"][:]]
pol = [p.decode() for p in f["policy_name"][:]]
w = pd.DataFrame(f["world_value"][:], columns=keys)
o = pd.DataFrame(f["world_profit"][:], columns=pol)
assert w.shape == (8, 3) and o.shape == (8, 3), (w.shape, o.shape)
assert f["world_value"].dims[0][0].name == "/world" and f["world_profit"].dims[1][0].name == "/policy"
assert (w["customers.mix.rude"].between(0.02, 0.3)).all()
P

# bad input: one line naming file, line, key and reason; exit 2
cat >"$TMP/st.yaml" <<Y
policies: [$SRC/scenarios/organisation.yaml, $SRC/scenarios/employees-first.yaml]
uncertainty: $D/unc-low-above-high.yaml
design: {latin_hypercube: 4}
Y
expect_fail 2 "unc-low-above-high.yaml:2:37: key 'parameters.customers.mix.rude.range': low (0.5) must be below high (0.2)" \
  -- "$KONING" robust "$TMP/st.yaml" -o "$TMP/x.h5"
sed -i "s|unc-low-above-high|unc-unknown-key|" "$TMP/st.yaml"
expect_fail 2 "key 'parameters.customers.word_of_mouht': unknown scenario key (did you mean 'customers.word_of_mouth'?)" \
  -- "$KONING" robust "$TMP/st.yaml" -o "$TMP/x.h5"
sed -i "s|unc-unknown-key|unc-not-number-value|" "$TMP/st.yaml"
expect_fail 2 "key 'parameters.customers.mix.rude.range': expected a number, got 'low'" \
  -- "$KONING" robust "$TMP/st.yaml" -o "$TMP/x.h5"
expect_fail 2 "bad-missing-uncertainty.yaml:2:14: key 'uncertainty':" "no-such.yaml: cannot open" \
  -- "$KONING" robust "$D/bad-missing-uncertainty.yaml" -o "$TMP/x.h5"
expect_fail 2 "bad-zero-worlds.yaml:3:27: key 'design.latin_hypercube': must be >= 2, got 0" \
  -- "$KONING" robust "$D/bad-zero-worlds.yaml" -o "$TMP/x.h5"
expect_fail 2 "option '--worlds'" -- "$KONING" robust "$D/small.yaml" --worlds 0
expect_fail 2 "no-such-study.yaml: cannot open" -- "$KONING" robust "$TMP/no-such-study.yaml"
expect_fail 2 "no-such.h5" -- "$KONING" robust "$TMP/no-such.h5"
"$KONING" run "$SRC/scenarios/call-centre.yaml" --set run.days=0.5 --set run.warmup_days=0.1 \
  --replications 2 -o "$TMP/q.h5" >/dev/null 2>&1
expect_fail 2 "not a robust study's results file (kind 'run'" -- "$KONING" robust "$TMP/q.h5"
# every bad file of tests/data/robust (test_robust.c checks each message word for word):
# exit 2, one line "koning: FILE[:LINE:COL]: key 'KEY': REASON" naming the file at fault
cat >"$TMP/unc-study.yaml" <<Y
policies: [$SRC/scenarios/organisation.yaml, $SRC/scenarios/employees-first.yaml]
status_quo: organisation
uncertainty: UNC
design: {latin_hypercube: 4}
Y
n_bad=0
for f in "$D"/bad-*.yaml "$D"/unc-*.yaml; do
  b=$(basename "$f")
  study=$f
  if [[ $b == unc-* ]]; then
    study="$TMP/u-$b"
    sed "s|UNC|$f|" "$TMP/unc-study.yaml" >"$study"
  fi
  err=$("$KONING" robust "$study" -o "$TMP/x.h5" 2>&1 >/dev/null); rc=$?
  lines=$(printf '%s\n' "$err" | wc -l)
  if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] \
     && grep -qE "^koning: [^ ]*/$b(:[0-9]+:[0-9]+)?: key '[^']+': .{8,}" <<<"$err"; then
    n_bad=$((n_bad + 1))
  else
    bad "$b: exit $rc, $lines lines: $err"
  fi
done
[ "$n_bad" -eq 25 ] && ok "all 25 bad files: exit 2, one line naming the file, the key and the reason" \
  || bad "only $n_bad of 25 bad files refused as they should be"

# no output over an input: the study file, the uncertainty file, a policy; the report
# not over the results file; nothing is overwritten
cp "$D/small.yaml" "$D/small-uncertainty.yaml" "$TMP/"
sed -i "s|\.\./\.\./\.\./scenarios|$SRC/scenarios|" "$TMP/small.yaml"
cp "$SRC/scenarios/employees-first.yaml" "$TMP/ef.yaml"
sed -i "s|$SRC/scenarios/employees-first.yaml|$TMP/ef.yaml|" "$TMP/small.yaml"
sum_before=$(cat "$TMP/small.yaml" "$TMP/small-uncertainty.yaml" "$TMP/ef.yaml" | md5sum)
expect_fail 2 "small.yaml: would overwrite the input file" -- "$KONING" robust "$TMP/small.yaml" -o "$TMP/small.yaml"
expect_fail 2 "would overwrite the input file $TMP/small-uncertainty.yaml" \
  -- "$KONING" robust "$TMP/small.yaml" -o "$TMP/small-uncertainty.yaml"
expect_fail 2 "would overwrite the input file $TMP/ef.yaml" -- "$KONING" robust "$TMP/small.yaml" -o "$TMP/ef.yaml"
expect_fail 2 "would overwrite the input file $TMP/ef.yaml" \
  -- "$KONING" robust "$TMP/small.yaml" -o "$TMP/y.h5" --report "$TMP/ef.yaml"
expect_fail 2 "would overwrite the input file $TMP/a.h5" -- "$KONING" robust "$TMP/a.h5" --report "$TMP/a.h5"
[ "$(cat "$TMP/small.yaml" "$TMP/small-uncertainty.yaml" "$TMP/ef.yaml" | md5sum)" = "$sum_before" ] \
  && [ ! -e "$TMP/y.h5" ] && ok "inputs untouched, nothing written" || bad "an input was changed"

# koning verdict judges at one point; it refuses a robust file
expect_fail 2 "a robust study: its verdict is across worlds (koning robust" -- "$KONING" verdict "$TMP/a.h5"

for f in "$TMP/st.yaml" "$D/bad-zero-worlds.yaml"; do
  n=$("$KONING" robust "$f" -o "$TMP/x.h5" 2>&1 >/dev/null | wc -l)
  [ "$n" -eq 1 ] && ok "$(basename "$f"): one line" || bad "$(basename "$f"): $n lines"
done
[ ! -e "$TMP/x.h5" ] && ok "nothing written on bad input" || bad "a file was written on bad input"

finish
