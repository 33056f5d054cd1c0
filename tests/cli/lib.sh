# shellcheck shell=bash disable=SC2034
# lib.sh - helpers for koning's command-line tests. Usage in a test:
#   source "$(dirname "$0")/lib.sh" "$@"     (args: KONING_BINARY SOURCE_DIR)
set -uo pipefail
KONING=${1:?path to the koning binary}
SRC=${2:?path to the source tree}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
PASSES=0

ok()   { PASSES=$((PASSES + 1)); echo "ok: $*"; }
bad()  { FAILS=$((FAILS + 1)); echo "FAIL: $*"; }

# expect_fail CODE NEEDLE... -- CMD...: run CMD, want exit CODE and every NEEDLE in stderr.
expect_fail() {
  local code=$1; shift
  local needles=()
  while [ "$1" != "--" ]; do needles+=("$1"); shift; done
  shift
  local err rc
  err=$("$@" 2>&1 >/dev/null); rc=$?
  if [ "$rc" -ne "$code" ]; then bad "$* : exit $rc, want $code ($err)"; return; fi
  for n in "${needles[@]}"; do
    if ! grep -qF -- "$n" <<<"$err"; then bad "$* : message lacks '$n': $err"; return; fi
  done
  ok "$* -> exit $code: $err"
}

# small_scenario FILE [NAME]: write a scenario that runs in a blink (2 days, 2
# replications, 2 employees at 60 calls an hour), named NAME (default small).
small_scenario() {
  cat >"$1" <<Y
name: ${2:-small}
run: {days: 2, warmup_days: 0.5, replications: 2, seed: 1}
arrivals: {per_hour: 60}
service: {mean_minutes: 1}
staff: {employees: 2}
Y
}

finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
