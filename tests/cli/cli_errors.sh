#!/usr/bin/env bash
# Bad input gets exit code 2 and one line naming the file, line and key: missing file,
# YAML syntax error, unknown key, wrong type, negative rate, inconsistent keys, bad
# overrides and bad options.
source "$(dirname "$0")/lib.sh" "$@"

good="$TMP/good.yaml"
cat >"$good" <<'Y'
name: ok
run: {days: 1, warmup_days: 0.1, replications: 2, seed: 1}
arrivals: {per_hour: 60}
service: {distribution: exponential, mean_minutes: 1.0}
staff: {employees: 2}
Y

expect_fail 2 "$TMP/nope.yaml" -- "$KONING" run "$TMP/nope.yaml"

printf 'name: x\nrun: {days: 1\narrivals: {per_hour: 60}\n' >"$TMP/syntax.yaml"
expect_fail 2 "syntax.yaml:" -- "$KONING" run "$TMP/syntax.yaml"

sed 's/per_hour: 60/per_hr: 60/' "$good" >"$TMP/unknown.yaml"
expect_fail 2 "unknown.yaml:3:" "arrivals.per_hr" -- "$KONING" run "$TMP/unknown.yaml"

sed 's/per_hour: 60/per_hour: -5/' "$good" >"$TMP/negative.yaml"
expect_fail 2 "negative.yaml:3:" "arrivals.per_hour" -- "$KONING" run "$TMP/negative.yaml"

sed 's/employees: 2/employees: two/' "$good" >"$TMP/type.yaml"
expect_fail 2 "type.yaml:5:" "staff.employees" -- "$KONING" run "$TMP/type.yaml"

sed 's/warmup_days: 0.1/warmup_days: 3/' "$good" >"$TMP/warmup.yaml"
expect_fail 2 "warmup.yaml:2:" "run.warmup_days" -- "$KONING" run "$TMP/warmup.yaml"

sed 's/distribution: exponential/distribution: gamma/' "$good" >"$TMP/enum.yaml"
expect_fail 2 "enum.yaml:4:" "service.distribution" -- "$KONING" run "$TMP/enum.yaml"

: >"$TMP/empty.yaml"
expect_fail 2 "empty.yaml" -- "$KONING" run "$TMP/empty.yaml"

head -c 300 /dev/urandom >"$TMP/garbage.yaml"
expect_fail 2 "garbage.yaml" -- "$KONING" run "$TMP/garbage.yaml"

expect_fail 2 "--set" "staff.employes" -- "$KONING" run "$good" --set staff.employes=3
expect_fail 2 "--set" "staff.employees" -- "$KONING" run "$good" --set staff.employees=-1
expect_fail 2 "--set" "run.days" -- "$KONING" run "$good" --set run.days=abc
expect_fail 2 "--set" -- "$KONING" run "$good" --set nokeyvalue
expect_fail 2 "--jobs" -- "$KONING" run "$good" --jobs 0
expect_fail 2 "--format" -- "$KONING" run "$good" --format xml
expect_fail 2 "run.replications" -- "$KONING" run "$good" --replications 1
expect_fail 2 "unknown command" -- "$KONING" frobnicate
expect_fail 2 "scenario FILE" -- "$KONING" run

# the good file does run
if "$KONING" run "$good" --jobs 2 --no-output >/dev/null 2>&1; then ok "good file runs"; else bad "good file fails"; fi
finish
