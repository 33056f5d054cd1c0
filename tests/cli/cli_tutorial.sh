#!/usr/bin/env bash
# cli_tutorial.sh - docs/tutorial.md never goes stale: every command in its ```sh blocks
# is run, in order, in a scratch copy of the project (build/koning, scenarios/), and must
# succeed; every line of a ```text block that follows a ```sh block must appear verbatim
# in that block's output (lines with "..." are elisions and are skipped); every
# results/... file the tutorial names must exist afterwards.
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3
DOC=$SRC/docs/tutorial.md
W=$TMP/work
mkdir -p "$W/build"
ln -s "$KONING" "$W/build/koning"
cp -r "$SRC/scenarios" "$W/scenarios"

# split the tutorial into numbered blocks: N.sh (commands) and N.txt (expected output)
$PY - "$DOC" "$TMP/blocks" <<'PYEOF'
import os, re, sys
doc, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
blocks, cur, kind = [], None, None
for line in open(doc):
    m = re.match(r"^```(\w*)\s*$", line)
    if m and cur is None:
        kind, cur = m.group(1), []
    elif m:
        blocks.append((kind, "".join(cur)))
        cur = None
    elif cur is not None:
        cur.append(line)
n = 0
for i, (kind, body) in enumerate(blocks):
    if kind == "sh":
        n += 1
        open(f"{out}/{n:02d}.sh", "w").write(body)
        if i + 1 < len(blocks) and blocks[i + 1][0] == "text":
            open(f"{out}/{n:02d}.txt", "w").write(blocks[i + 1][1])
print(n)
PYEOF
nblocks=$(ls "$TMP/blocks"/*.sh | wc -l)
[ "$nblocks" -ge 5 ] && ok "tutorial has $nblocks command blocks" || bad "tutorial has only $nblocks command blocks"

for sh in "$TMP/blocks"/*.sh; do
  b=$(basename "$sh" .sh)
  start=$(date +%s)
  if (cd "$W" && bash -euo pipefail "$sh") >"$TMP/blocks/$b.out" 2>"$TMP/blocks/$b.err"; then
    ok "block $b ran in $(( $(date +%s) - start )) s: $(grep -v '^\s*#' "$sh" | grep -v '^\s*$' | head -1)"
  else
    bad "block $b failed: $(cat "$sh") -- $(tail -5 "$TMP/blocks/$b.err")"
    continue
  fi
  if [ -f "$TMP/blocks/$b.txt" ]; then
    missing=0
    sed 's/[[:space:]]*$//' "$TMP/blocks/$b.out" >"$TMP/blocks/$b.norm"
    while IFS= read -r line; do
      line=$(sed 's/[[:space:]]*$//' <<<"$line")
      [ -z "${line// }" ] && continue
      [[ "$line" == *"..."* ]] && continue
      if ! grep -qxF -- "$line" "$TMP/blocks/$b.norm"; then
        bad "block $b: expected output line not printed: '$line'"; missing=1
      fi
    done <"$TMP/blocks/$b.txt"
    [ $missing -eq 0 ] && ok "block $b: the output shown in the tutorial is what koning prints"
  fi
done

# every results/... file named in the tutorial exists
for f in $(grep -o 'results/[A-Za-z0-9._/-]*\.\(png\|svg\|pdf\|dat\|gp\|h5\|html\|csv\)' "$DOC" | sort -u); do
  [ -s "$W/$f" ] && ok "$f exists" || bad "$f named in the tutorial does not exist"
done
finish
