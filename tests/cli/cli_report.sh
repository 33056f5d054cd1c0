#!/usr/bin/env bash
# koning report: one self-contained HTML page per results file (docs/report.md). Checks
# the page parses, its summary table matches the file's means to the printed rounding,
# nothing is loaded from outside, every chart is embedded and renders in a real browser
# (chromium, headless), names from the file are escaped, and that failures (no gnuplot,
# bad input, bad output directory) leave nothing behind and the results file unchanged.
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3   # Debian's python3 sees python3-h5py
CHROMIUM=${KONING_CHROMIUM:-/usr/bin/chromium}
mkdir -p "$TMP/tmpdir"
export TMPDIR="$TMP/tmpdir"   # the report's chart directory goes here: must be empty after

# ---- results files -----------------------------------------------------------------------
"$KONING" compare "$SRC/scenarios/organisation.yaml" "$SRC/scenarios/employees-first.yaml" \
  --replications 3 --set run.days=120 -o "$TMP/c.h5" --jobs 2 >/dev/null 2>"$TMP/err" \
  && ok "compare file" || bad "compare file: $(cat "$TMP/err")"
"$KONING" run "$SRC/scenarios/call-centre.yaml" --set run.days=2 --set run.warmup_days=0.5 \
  --replications 3 -o "$TMP/q.h5" >/dev/null 2>"$TMP/err" \
  && ok "queue-model file" || bad "queue-model file: $(cat "$TMP/err")"
# names that must stay text: HTML and a gnuplot command
sed "s|^name: .*|name: '<script>alert(1)</script>'|" "$SRC/scenarios/organisation.yaml" >"$TMP/evil1.yaml"
sed "s|^name: .*|name: 'x\"; system(\"touch $TMP/owned\"); print \"'|" \
  "$SRC/scenarios/employees-first.yaml" >"$TMP/evil2.yaml"
"$KONING" compare "$TMP/evil1.yaml" "$TMP/evil2.yaml" --replications 2 --set run.days=40 \
  --set run.warmup_days=7 -o "$TMP/e.h5" --jobs 2 >/dev/null 2>"$TMP/err" \
  && ok "file with hostile scenario names" || bad "hostile names: $(cat "$TMP/err")"
# a sweep of 53 points: the summary table is cut at 50 rows
sed 's/days: 30, warmup_days: 2/days: 0.5, warmup_days: 0.1/' "$SRC/scenarios/call-centre.yaml" \
  >"$TMP/cc.yaml"
cat >"$TMP/sweep.yaml" <<'EOF'
name: staffing
base: cc.yaml
replications: 2
vary:
  staff.employees: {from: 8, to: 60, step: 1}
EOF
"$KONING" sweep "$TMP/sweep.yaml" -o "$TMP/s.h5" --jobs 2 --quiet >/dev/null 2>"$TMP/err" \
  && ok "sweep file" || bad "sweep file: $(cat "$TMP/err")"

sums_before=$(cd "$TMP" && sha256sum c.h5 q.h5 e.h5 s.h5)

# ---- the checker: parse, summary table against the file, no outside loads, images ------
cat >"$TMP/check.py" <<'PY'
"""check.py PAGE.html FILE.h5 N_CHARTS [NAME...]: the report of FILE.h5 is sound."""
import base64, html.parser, math, re, sys
import h5py

page, h5, ncharts, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
text = open(page, encoding="utf-8").read()
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}

class Page(html.parser.HTMLParser):
    """Well-formedness (every element closed in order) and the bits the test reads."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.imgs, self.cells, self.rows = [], [], [], [], []
        self.cell = None      # [metric, scale, text before the interval] of an open metric cell
        self.in_ci = 0
        self.row = None       # texts of the cells of the open summary row
        self.in_summary = False
        self.scripts = 0
        self.title = ""
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "img":
            self.imgs.append(a)
        if tag == "table" and "summary" in (a.get("class") or "").split():
            self.in_summary = True
        if self.in_summary and tag == "tr" and "data-scenario" in a:
            self.row = []
        if self.in_summary and tag == "td" and self.row is not None:
            self.row.append("")
        if tag == "td" and "data-metric" in a:
            self.cell = [a["data-metric"], float(a["data-scale"]), ""]
        if tag == "span" and "ci" in (a.get("class") or "").split():
            self.in_ci += 1
        if tag not in VOID:
            self.stack.append((tag, "ci" in (a.get("class") or "").split()))
    def handle_startendtag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs))
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> at line {self.getpos()[0]} closes "
                               f"{self.stack[-1][0] if self.stack else 'nothing'}")
            return
        _, was_ci = self.stack.pop()
        if tag == "span" and was_ci:
            self.in_ci -= 1
        if tag == "td" and self.cell is not None:
            self.cells.append((len(self.rows), *self.cell))
            self.cell = None
        if tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        if tag == "table":
            self.in_summary = False
    def handle_data(self, data):
        if self.cell is not None and not self.in_ci:
            self.cell[2] += data
        if self.row is not None and self.row:
            self.row[-1] += data
        if self.stack and self.stack[-1][0] == "title":
            self.title += data

p = Page()
p.feed(text)
p.close()
problems = list(p.errors)
if p.stack:
    problems.append(f"unclosed elements: {[t for t, _ in p.stack]}")
if not text.startswith("<!DOCTYPE html>"):
    problems.append("no doctype")

f = h5py.File(h5, "r")
nscen = len(f["scenario_name"])
scen_names = list(f["scenario_name"].asstr()[:])
org = not all(math.isnan(x) for x in f["retention"][:])
want = (["retention", "service_quality", "first_contact_resolution", "satisfaction",
         "staff_turnover", "mean_morale", "mean_exhaustion", "complaints_per_week",
         "exploitative_claims_per_week", "profit"] if org else
        ["p_wait", "p_abandon", "mean_wait_minutes", "utilization", "served_per_hour"])
rows = min(nscen, 50)
if len(p.rows) != rows:
    problems.append(f"summary table has {len(p.rows)} rows, want {rows}")
if nscen > 50 and f"The sweep has {nscen} points; the first 50 are shown" not in text:
    problems.append("a cut table does not say so")
seen = set()
for row, metric, scale, shown in p.cells:
    seen.add(metric)
    mean = f[metric + "_mean"][row]
    s = shown.strip().replace(",", "").replace("\u2212", "-")
    if s == "n/a":
        if not math.isnan(mean):
            problems.append(f"row {row} {metric}: n/a but the file has {mean}")
        continue
    dec = len(s.split(".")[1]) if "." in s else 0
    tol = 0.5 * 10 ** -dec / scale + 1e-9 * max(1, abs(mean))
    if not re.fullmatch(r"-?\d+(\.\d+)?", s) or abs(float(s) / scale - mean) > tol:
        problems.append(f"row {row} {metric}: shown {shown!r}, file mean {mean}")
missing = [m for m in want if m not in seen]
if missing:
    problems.append(f"metrics missing from the table: {missing}")
if f.attrs["kind"].decode() != "sweep":
    for i, r in enumerate(p.rows):
        if scen_names[i] not in r[0]:
            problems.append(f"row {i} does not name scenario {scen_names[i]!r}: {r[0]!r}")
for n in names:   # the names as the page must show them (the parser unescapes)
    if not any(n in r[0] for r in p.rows):
        problems.append(f"name {n!r} not shown as text in the summary table")
# nothing from outside: every src/href is a data: URI or an anchor; no CSS url() or imports
for m in re.finditer(r"""\b(src|href|action|srcset|poster|data)\s*=\s*["']?([^"'\s>]*)""", text):
    if not (m.group(2).startswith("data:") or m.group(2).startswith("#")) and \
       m.group(1) in ("src", "href", "action", "srcset", "poster"):
        problems.append(f"outside reference {m.group(0)!r}")
if re.search(r"https?://", text):
    problems.append("the page contains an http(s) address")
if re.search(r"url\(|@import|<link\b|<iframe|<object|<embed", text):
    problems.append("the page loads something through CSS or an embedding element")
if p.scripts != 1:
    problems.append(f"{p.scripts} scripts; want only the image check")
if len(p.imgs) != ncharts:
    problems.append(f"{len(p.imgs)} images, the plotter made {ncharts} charts")
for im in p.imgs:
    src = im.get("src", "")
    if not src.startswith("data:image/svg+xml;base64,"):
        problems.append(f"image not an embedded SVG: {src[:40]!r}")
        continue
    svg = base64.b64decode(src.split(",", 1)[1], validate=True)
    if b"<svg" not in svg:
        problems.append("embedded image is not an SVG")
    if not im.get("alt"):
        problems.append("image without alt text")
print(f"{page}: {len(p.rows)} rows, {len(p.cells)} metric cells, {len(p.imgs)} images, "
      f"title {p.title!r}")
for x in problems[:20]:
    print("  problem:", x)
sys.exit(1 if problems else 0)
PY

# the number of charts the plotter makes of a file
charts_of() {
  local d
  d="$TMP/plots-$(basename "$1" .h5)"
  "$KONING" plot "$1" -o "$d" --format svg >/dev/null 2>&1 || { echo 0; return; }
  find "$d" -name '*.svg' | wc -l
}

# ---- each report ---------------------------------------------------------------------------
report_ok() {  # report_ok FILE.h5 OUT.html [NAME...]
  local h5=$1 out=$2; shift 2
  local n
  n=$(charts_of "$h5")
  local rc=0
  "$KONING" report "$h5" -o "$out" 2>"$TMP/err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    bad "report $(basename "$out"): exit $rc: $(cat "$TMP/err")"
    return
  fi
  grep -qF "wrote $out" "$TMP/err" && ok "report $(basename "$out") written" \
    || bad "report $(basename "$out"): no 'wrote' message: $(cat "$TMP/err")"
  [ "$n" -gt 0 ] && ok "plotter made $n charts of $(basename "$h5")" || bad "plotter made no charts of $h5"
  $PY "$TMP/check.py" "$out" "$h5" "$n" "$@" && ok "$(basename "$out"): parses, table matches the file, self-contained, $n images" \
    || bad "$(basename "$out"): checks above"
}
report_ok "$TMP/c.h5" "$TMP/c.html" organisation employees-first
report_ok "$TMP/q.h5" "$TMP/q.html" "call centre"
report_ok "$TMP/e.h5" "$TMP/e.html" "<script>alert(1)</script>" "x\"; system(\"touch $TMP/owned\"); print \""
report_ok "$TMP/s.h5" "$TMP/s.html"

grep -q 'id="verdict"' "$TMP/c.html" && grep -q 'class="badge' "$TMP/c.html" \
  && ok "compare report has the verdict" || bad "compare report lacks the verdict"
grep -q 'id="verdict"' "$TMP/q.html" && bad "queue-model report has a verdict" \
  || ok "queue-model report: no verdict"
grep -q 'What differs between the scenarios' "$TMP/c.html" \
  && grep -q 'management support of staff against customers.*policy.<wbr>backing' "$TMP/c.html" \
  && ok "differing policy levers tabled" || bad "no table of what differs"
grep -q '14 positions; each employee works 5 days a week' "$TMP/c.html" \
  && grep -q 'about 36 an hour between 08:00 and 18:00' "$TMP/c.html" \
  && ok "assumptions in plain words" || bad "assumptions in plain words"
if grep -q '<script>alert' "$TMP/e.html" || ! grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/e.html" \
  || ! grep -qF 'x&quot;; system(&quot;touch' "$TMP/e.html"; then
  bad "hostile names not escaped"
else
  ok "hostile names appear escaped"
fi
[ -e "$TMP/owned" ] && bad "a scenario name ran a command" || ok "no scenario name ran a command"

# a failed run and a mean that cannot be estimated (a copy edited with h5py)
cp "$TMP/c.h5" "$TMP/f.h5"
$PY - "$TMP/f.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    f["status"][0] = 5
    f["n_runs_ok"][0] -= 1
    f["n_runs_failed"][0] += 1
    f["retention_mean"][0] = float("nan")
PY
"$KONING" report "$TMP/f.h5" -o "$TMP/f.html" 2>"$TMP/err" \
  && $PY "$TMP/check.py" "$TMP/f.html" "$TMP/f.h5" "$(charts_of "$TMP/f.h5")" >/dev/null \
  && grep -q 'data-metric="retention" data-scale="100">n/a' "$TMP/f.html" \
  && grep -q '<td class="num failed">2 (1)</td>' "$TMP/f.html" && grep -q '1 run failed' "$TMP/f.html" \
  && ok "failed run and missing mean shown" || bad "failed run / missing mean: $(cat "$TMP/err")"

"$KONING" report "$TMP/q.h5" -o "$TMP/q0.html" --max-runs 0 2>/dev/null && [ -s "$TMP/q0.html" ] \
  && ok "--max-runs 0" || bad "--max-runs 0"

# default output name: FILE without .h5, plus .html
cp "$TMP/q.h5" "$TMP/dflt.h5"
"$KONING" report "$TMP/dflt.h5" 2>/dev/null && [ -s "$TMP/dflt.html" ] \
  && ok "default output FILE.html" || bad "default output name"

# ---- a real browser -------------------------------------------------------------------------
if [ ! -x "$CHROMIUM" ]; then
  bad "chromium not found at $CHROMIUM: install it (.ci/setup installs Debian's chromium)"
else
  chrome=(timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
          --disable-background-networking --disable-component-update --disable-sync
          --user-data-dir="$TMP/chrome" --virtual-time-budget=5000)
  n=$(grep -o '<img ' "$TMP/c.html" | wc -l)
  "${chrome[@]}" --dump-dom "file://$TMP/c.html" >"$TMP/dom.html" 2>/dev/null
  if [ "$n" -gt 0 ] && grep -q "data-images-ok=\"$n/$n\"" "$TMP/dom.html"; then
    ok "chromium: all $n images decoded"
  else
    bad "chromium: images decoded: $(grep -o 'data-images-ok="[^"]*"' "$TMP/dom.html" || echo none), want $n/$n"
  fi
  "${chrome[@]}" --screenshot="$TMP/shot.png" --window-size=1280,2400 "file://$TMP/c.html" >/dev/null 2>&1
  size=$(stat -c %s "$TMP/shot.png" 2>/dev/null || echo 0)
  if [ "$(head -c 8 "$TMP/shot.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
     && [ "$size" -gt 10240 ]; then
    ok "chromium: screenshot $size bytes"
  else
    bad "chromium: no screenshot ($size bytes)"
  fi
fi

# ---- failures leave nothing behind ----------------------------------------------------------
echo "an older report" >"$TMP/keep.html"
KONING_GNUPLOT=/nonexistent "$KONING" report "$TMP/c.h5" -o "$TMP/keep.html" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 1 ] && grep -qi gnuplot "$TMP/err" && ok "no gnuplot: exit 1: $(cat "$TMP/err")" \
  || bad "no gnuplot: exit $rc: $(cat "$TMP/err")"
[ "$(cat "$TMP/keep.html")" = "an older report" ] && ok "no gnuplot: existing page untouched" \
  || bad "no gnuplot: existing page changed"
KONING_GNUPLOT=/nonexistent "$KONING" report "$TMP/c.h5" -o "$TMP/none.html" 2>/dev/null
[ ! -e "$TMP/none.html" ] && ok "no gnuplot: no page written" || bad "no gnuplot: a page was written"
left=$(find "$TMP" -maxdepth 1 -name '*.tmp.*'; find "$TMP/tmpdir" -mindepth 1)
[ -z "$left" ] && ok "no temporary files left" || bad "temporary files left: $left"
[ "$(cd "$TMP" && sha256sum c.h5 q.h5 e.h5 s.h5)" = "$sums_before" ] \
  && ok "results files unchanged" || bad "a results file changed"

expect_fail 2 "$TMP/missing.h5" -- "$KONING" report "$TMP/missing.h5" -o "$TMP/x.html"
echo "not hdf5" >"$TMP/text.h5"
expect_fail 2 "$TMP/text.h5" "not an HDF5 file" -- "$KONING" report "$TMP/text.h5" -o "$TMP/x.html"
expect_fail 2 "$TMP/nodir" -- "$KONING" report "$TMP/c.h5" -o "$TMP/nodir/r.html"
expect_fail 2 "would overwrite the input file" -- "$KONING" report "$TMP/c.h5" -o "$TMP/c.h5"
expect_fail 2 "max-runs" -- "$KONING" report "$TMP/c.h5" --max-runs x
expect_fail 2 "usage" -- "$KONING" report
[ ! -e "$TMP/x.html" ] && [ ! -e "$TMP/nodir" ] && ok "bad input writes nothing" || bad "bad input wrote something"

# ---- the sources table mirrors docs/model.md -------------------------------------------------
"$KONING" report --list-sources >"$TMP/sources" 2>&1 && [ "$(wc -l <"$TMP/sources")" -ge 20 ] \
  && ok "--list-sources: $(wc -l <"$TMP/sources") sources" || bad "--list-sources: $(cat "$TMP/sources")"
miss=""
while IFS=$'\t' read -r cite _; do
  grep -qF -- "$cite" "$SRC/docs/model.md" || miss="$miss [$cite]"
  grep -qF -- "<b>$(sed 's/&/\&amp;/g' <<<"$cite")</b>" "$TMP/c.html" || miss="$miss [$cite: not in the page]"
done <"$TMP/sources"
[ -z "$miss" ] && ok "every source cited occurs in docs/model.md and in the page" \
  || bad "sources not in docs/model.md or the page:$miss"
finish
