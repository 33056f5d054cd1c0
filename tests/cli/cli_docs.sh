#!/usr/bin/env bash
# The Python examples of docs/results.md and README.md run as written, on the results
# file of the example sweep (scenarios/sweeps/staffing.yaml, fewer replications).
source "$(dirname "$0")/lib.sh" "$@"
mkdir -p "$TMP/results"
(cd "$TMP" && "$KONING" sweep "$SRC/scenarios/sweeps/staffing.yaml" -o results/staffing.h5 \
   --replications 2 --quiet 2>/dev/null) && ok "example sweep" || bad "example sweep"
for doc in docs/results.md README.md; do
  /usr/bin/python3 - "$SRC/$doc" >"$TMP/blocks.py" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
print("\n".join(re.findall(r"```python\n(.*?)```", text, re.S)))
PY
  n=$(grep -c '```python' "$SRC/$doc")
  (cd "$TMP" && /usr/bin/python3 "$TMP/blocks.py" >"$TMP/out.txt" 2>&1) \
    && ok "$doc: its $n Python examples run" || bad "$doc: $(tail -5 "$TMP/out.txt")"
done
finish
