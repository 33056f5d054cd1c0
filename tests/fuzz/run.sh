#!/usr/bin/env bash
# run.sh FUZZER SECONDS SEED_DIR... - run a libFuzzer target for SECONDS on a fresh
# corpus grown from the seed directories (which it only reads), with the options every
# koning target wants; exit 0 when no crash, leak or timeout was found. Findings are
# kept in $KONING_FUZZ_ARTIFACTS (default: a directory printed at the end).
set -uo pipefail
fuzzer=${1:?fuzzer binary}
seconds=${2:?seconds}
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work/corpus"' EXIT
art=${KONING_FUZZ_ARTIFACTS:-$work/artifacts}
mkdir -p "$work/corpus" "$art"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0}
"$fuzzer" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$art/" "$work/corpus" "$@" 2>"$work/log"
rc=$?
grep -E "^#[0-9]+[[:space:]]+(DONE|INITED)|stat::|ERROR|SUMMARY|Test unit written" "$work/log" | tail -20
if [ "$rc" -ne 0 ]; then
  tail -60 "$work/log"
  echo "run.sh: $(basename "$fuzzer") found a problem; the input is in $art"
else
  rm -rf "$work"
fi
exit "$rc"
