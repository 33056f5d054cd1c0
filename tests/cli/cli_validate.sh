#!/usr/bin/env bash
# `koning validate` at full length passes every check (slow: about a minute on 2 cores).
source "$(dirname "$0")/lib.sh" "$@"
if "$KONING" validate >"$TMP/v.txt" 2>&1; then ok "validate passes"; else bad "validate failed"; fi
cat "$TMP/v.txt"
grep -q "all checks passed" "$TMP/v.txt" && ok "summary line" || bad "summary line"
finish
