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
# a switch from the status quo (organisation): "backed" changes two levers, so the "why"
# (PATH-why.h5, written by compare --from) splits the gap exactly among them, and pays
# back within the run (customer-always-right does not); its name is HTML, to be shown as
# text in the verdict section too
BACKED='<b>backed</b> & "co"'
sed -e "s|^name: .*|name: '<b>backed</b> \\& \"co\"'|" -e 's/^  backing: .*/  backing: 0.9/' \
  -e 's/^  empowerment: .*/  empowerment: 0.8/' "$SRC/scenarios/organisation.yaml" >"$TMP/backed.yaml"
"$KONING" compare "$SRC/scenarios/organisation.yaml" "$TMP/backed.yaml" \
  "$SRC/scenarios/customer-always-right.yaml" --from "$SRC/scenarios/organisation.yaml" \
  --switch-after 60 --replications 3 --set run.days=160 -o "$TMP/w.h5" --jobs 2 >/dev/null 2>"$TMP/err" \
  && [ -s "$TMP/w-why.h5" ] && ok "compare --from file (and its -why.h5)" || bad "compare --from: $(cat "$TMP/err")"
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

sums_before=$(cd "$TMP" && sha256sum c.h5 q.h5 e.h5 s.h5 w.h5 w-why.h5)

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
report_ok "$TMP/w.h5" "$TMP/w.html" organisation "$BACKED" customer-always-right

# ---- the verdict in full: against koning verdict --json -------------------------------------
cat >"$TMP/verdict_check.py" <<'PY'
"""verdict_check.py PAGE.html VERDICT.json FILE.h5 SRC [noswitch]: the verdict section shows
the verdict, number for number, and the payback table's gap is the file's."""
import html, json, math, re, sys
import h5py
import numpy as np

sys.path.insert(0, sys.argv[4] + "/tests/python")
from check_results import t_quantile  # noqa: E402

page, v = open(sys.argv[1], encoding="utf-8").read(), json.load(open(sys.argv[2]))
v = v.get("verdict", v)
noswitch = len(sys.argv) > 5
problems = []
sec = page[page.index('<section id="verdict">'):page.index('<section id="summary">')]
charts = page[page.index('<section id="charts">'):] if '<section id="charts">' in page else ""

def text(fragment):
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()

def num(s):
    return float(s.replace("\u2212", "-").replace(",", "").replace("+", ""))

def near(shown, want, scale):
    dec = len(shown.split(".")[1]) if "." in shown else 0
    return abs(num(shown) - want * scale) <= 0.5 * 10 ** -dec + 1e-9 * abs(want * scale)

NUM = r"[\u2212+-]?\d[\d,]*(?:\.\d+)?"
SCALE = {"retention": 100, "service_quality": 1, "staff_turnover": 100, "profit": 1}

def nums(fragment):
    """The numbers of a fragment as shown (a real minus sign, thousands grouped)."""
    return re.findall(NUM, " ".join(text(fragment)))

def ci_nums(fragment):
    """The two ends of the interval after "CI" in a fragment."""
    words = " ".join(text(fragment))
    return re.findall(NUM, words[words.index("CI") + 2:])[:2]

names = [s["name"] for s in v["scenarios"]]
# the overall winner leads the section
lead_p = re.search(r'<p class="lead">(.*?)</p>', sec, re.S)
if not lead_p or not " ".join(text(lead_p.group(1))).startswith(v["overall"] + " comes out best"):
    problems.append(f"overall: {lead_p and lead_p.group(1)!r}, verdict {v['overall']}")
# per headline metric: the winner, its mean and interval, its lead over the runner-up and
# the lead's interval, and the set that cannot be told apart from it
for m in v["metrics"]:
    card = re.search(r'<div class="card" data-metric="%s">(.*?)<span class="badge' % m["metric"], sec, re.S)
    if card:
        sc = SCALE[m["metric"]]
        val = re.search(r'<div class="val">(.*?)</div>', card.group(1), re.S).group(1)
        shown = [nums(val)[0]] + ci_nums(val)
        for got, want in zip(shown, [m["mean"], m["ci_low"], m["ci_high"]]):
            if not near(got, want, sc):
                problems.append(f"{m['metric']}: shows {shown}, verdict {m['mean']} [{m['ci_low']}, {m['ci_high']}]")
                break
        lead = re.search(r'<div class="lead-by">(.*?)</div>', card.group(1), re.S)
        if lead and "Level with" not in lead.group(1):
            words = " ".join(text(lead.group(1)))
            shown = [re.findall(NUM, words[words.index(" by ") + 4:])[0]] + ci_nums(lead.group(1))
            # shown as a size in the good direction: best minus runner-up, sign flipped when lower is better
            want = [m["lead"], m["lead_ci_low"], m["lead_ci_high"]]
            if m["lead"] < 0:
                want = [-m["lead"], -m["lead_ci_high"], -m["lead_ci_low"]]
            if ("Lower" in words) != (m["lead"] < 0):
                problems.append(f"{m['metric']}: {words!r} for a lead of {m['lead']}")
            for got, want in zip(shown, want):
                if not near(got, want, sc):
                    problems.append(f"{m['metric']}: lead {shown}, verdict {m['lead']} [{m['lead_ci_low']}, {m['lead_ci_high']}]")
                    break
        elif not lead:
            problems.append(f"{m['metric']}: no lead over the runner-up")
    card = re.search(r'<div class="card" data-metric="%s">(.*?)<span class="badge' % m["metric"], sec, re.S)
    if not card:
        problems.append(f"no card for {m['metric']}")
        continue
    words = " ".join(text(card.group(1)))
    if m["best"] not in words:
        problems.append(f"{m['metric']}: winner {m['best']} not named")
    best_set = re.search(r'<div class="best-set">(.*?)</div>', card.group(1), re.S).group(1)
    shown = re.findall(r'<span class="scen">(.*?)</span>', best_set)
    if [html.unescape(x) for x in shown] != m["cannot_be_told_apart"]:
        problems.append(f"{m['metric']}: best set {shown} != {m['cannot_be_told_apart']}")
    if m["clear"] != ("Alone in the best set" in best_set):
        problems.append(f"{m['metric']}: clear {m['clear']} but {best_set!r}")
    if m["runner_up"] not in words:
        problems.append(f"{m['metric']}: runner-up {m['runner_up']} not named")
# the steady state: window start and state per scenario
steady = re.search(r'<table class="verdict-table steady">(.*?)</table>', sec, re.S)
rows = re.findall(r'<tr data-scenario="(\d+)"><td>(.*?)</td><td data-from="(\d+)">(.*?)</td><td>(.*?)</td>', steady.group(1), re.S) if steady else []
if len(rows) != len(names):
    problems.append(f"steady table: {len(rows)} rows for {len(names)} scenarios")
for i, (k, who, frm, window, state) in enumerate(rows):
    s = v["scenarios"][int(k)]
    if s["name"] not in " ".join(text(who)) or int(frm) != s["steady_from_period"]:
        problems.append(f"steady row {i}: {who!r} from {frm}, verdict {s['name']} {s['steady_from_period']}")
    if f"from week {s['steady_from_period'] + 1} to" not in " ".join(text(window)):
        problems.append(f"steady row {i}: window {window!r}")
    if ("still drifting" in state) == s["steady"]:
        problems.append(f"steady row {i}: state {state!r}, verdict steady={s['steady']}")
imgs = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]*" alt="([^"]*)"', sec)
if noswitch:
    if 'id="no-switch"' not in sec or "every scenario starts blank" not in sec:
        problems.append("no status quo, but no note saying why there are no switch charts")
    if imgs or 'class="verdict-table payback"' in sec or 'class="verdict-table why"' in sec:
        problems.append("no status quo, but a payback, a why or a switch chart")
else:
    q = v["status_quo"]
    pay = re.search(r'<table class="verdict-table payback">(.*?)</table>', sec, re.S)
    prow = re.findall(r'<tr data-scenario="(\d+)" data-payback-case="(-?\d+)"><td>(.*?)</td><td>(.*?)</td>', pay.group(1), re.S) if pay else []
    if len(prow) != len(names) - 1:
        problems.append(f"payback table: {len(prow)} rows for {len(names) - 1} policies")
    cases = {"never needed": 0, "at once": 1, "within": 2, "not within the horizon": 3}
    if sorted(s["payback"] for s in v["scenarios"] if s["name"] != q) != ["not within the horizon", "within"]:
        problems.append("the test's setup should give one policy that pays back within the run and one that does not")
    for k, case, who, when in prow:
        s = v["scenarios"][int(k)]
        if s["name"] == q or int(case) != cases.get(s["payback"], -1):
            problems.append(f"payback row {s['name']}: case {case}, verdict {s['payback']}")
        if s["payback"] == "within" and f"week {s['payback_week'] + 1}" not in " ".join(text(when)):
            problems.append(f"payback row {s['name']}: {when!r}, verdict week {s['payback_week']} (from 0)")
        if s["payback"] == "not within the horizon" and "not within" not in when:
            problems.append(f"payback row {s['name']}: {when!r}")
    # the interval and the cumulative gap at the end, recomputed from the file
    f = h5py.File(sys.argv[3], "r")
    fn = list(f["scenario_name"].asstr()[:])
    scen, rep, ok = f["run_scenario"][:], f["replication"][:], f["status"][:] == 0
    profit, level = f["profit_by_period"][:], float(f.attrs["confidence_level"])
    P = profit.shape[1]
    prow = re.findall(r'<tr data-scenario="(\d+)" data-payback-case="-?\d+"><td>.*?</td><td>.*?</td><td>(.*?)</td><td class="num">(.*?)</td>', pay.group(1), re.S) if pay else []
    for k, interval, gapcell in prow:
        s = v["scenarios"][int(k)]
        lo, hi = s["payback_week_low"], s["payback_week_high"]
        want = ("\u2014" if lo is None or s["payback"] == "never needed"
                else f"week {lo + 1} to beyond week {P}" if hi is None else f"week {lo + 1} to {hi + 1}")
        if " ".join(text(interval)) != want:
            problems.append(f"payback interval {s['name']}: {interval!r}, want {want!r}")
        si, qi = fn.index(s["name"]), fn.index(q)
        gaps = []
        for r in sorted(set(rep[scen == si])):
            a, b = profit[(scen == si) & (rep == r) & ok], profit[(scen == qi) & (rep == r) & ok]
            if len(a) and len(b):
                gaps.append(float(np.nansum(a[0] - b[0])))
        gaps = np.array(gaps)
        hw = t_quantile(1 - (1 - level) / 2, len(gaps) - 1) * gaps.std(ddof=1) / math.sqrt(len(gaps))
        shown = nums(gapcell)
        want = [gaps.mean(), gaps.mean() - hw, gaps.mean() + hw]
        if len(shown) != 3 or not all(near(a, b, 1) for a, b in zip(shown, want)):
            problems.append(f"payback gap {s['name']}: shows {shown}, file gives {want}")
    why = re.search(r'<table class="verdict-table why">(.*?)</table>', sec, re.S)
    if "why" not in v:
        problems.append("the verdict has no why: the test's setup should give one")
    elif not why:
        problems.append("no why table")
    else:
        scale = SCALE
        body = why.group(1)
        gap = re.search(r'<tr class="gap">(.*?)</tr>', body, re.S).group(1)
        cells = re.findall(r'<td class="num[^"]*">(.*?)</td>', gap, re.S)
        for m, c in zip(v["why"]["metrics"], cells):
            if not near(text(c)[0], m["gap"], scale[m["metric"]]):
                problems.append(f"why gap {m['metric']}: {text(c)[0]} vs {m['gap']}")
        lever_rows = re.findall(r'<tr class="lever"><td><code>(.*?)</code>.*?</td>(.*?)</tr>', body, re.S)
        levers = [l["lever"] for l in v["why"]["metrics"][0]["levers"]]
        if sorted(html.unescape(r[0]) for r in lever_rows) != sorted(levers):
            problems.append(f"why levers {[r[0] for r in lever_rows]} != {levers}")
        for lever, cellhtml in lever_rows:
            cells = re.findall(r'<td class="num[^"]*">(.*?)</td>', cellhtml, re.S)
            for m, c in zip(v["why"]["metrics"], cells):
                part = [l for l in m["levers"] if l["lever"] == html.unescape(lever)][0]
                if not near(text(c)[0], part["part"], scale[m["metric"]]):
                    problems.append(f"why {lever} {m['metric']}: {text(c)[0]} vs {part['part']}")
                if m["metric"] == "profit" and part.get("through") and "through " + part["through"] not in " ".join(text(c)):
                    problems.append(f"why {lever}: not 'through {part['through']}'")
        if (v["why"]["method"] == "shapley") == ('<tr class="rest">' in body):
            problems.append("the interactions row does not follow the method")
    for want in ("Payback of the switch from", "After the switch from"):
        if not any(a.startswith(want) for a in imgs):
            problems.append(f"the verdict section lacks the chart {want!r}")
        if want in charts:
            problems.append(f"the chart {want!r} is in the charts section too")
for p in problems[:20]:
    print("  problem:", p)
sys.exit(1 if problems else 0)
PY
"$KONING" verdict "$TMP/w.h5" --json >"$TMP/w.json" 2>"$TMP/err" || bad "verdict --json: $(cat "$TMP/err")"
"$KONING" verdict "$TMP/c.h5" --json >"$TMP/c.json" 2>"$TMP/err" || bad "verdict --json: $(cat "$TMP/err")"
$PY "$TMP/verdict_check.py" "$TMP/w.html" "$TMP/w.json" "$TMP/w.h5" "$SRC" \
  && ok "verdict section: best sets, steady state, payback weeks, why table and switch charts match koning verdict" \
  || bad "verdict section of w.html: problems above"
$PY "$TMP/verdict_check.py" "$TMP/c.html" "$TMP/c.json" "$TMP/c.h5" "$SRC" noswitch \
  && ok "no status quo: best sets and steady state shown, no switch charts, and the page says why" \
  || bad "verdict section of c.html: problems above"

if grep -qF '<b>backed</b>' "$TMP/w.html" \
  || ! grep -qF '&lt;b&gt;backed&lt;/b&gt; &amp; &quot;co&quot;' "$TMP/w.html"; then
  bad "the switched policy's name reached w.html unescaped"
else ok "the switched policy's HTML name escaped in w.html (verdict section included)"; fi
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
  # the page of a switch: every chart, those of the verdict section too
  n=$(grep -o '<img ' "$TMP/w.html" | wc -l)
  "${chrome[@]}" --dump-dom "file://$TMP/w.html" >"$TMP/dom.html" 2>/dev/null
  if [ "$n" -gt 0 ] && grep -q "data-images-ok=\"$n/$n\"" "$TMP/dom.html"; then
    ok "chromium: all $n images decoded"
  else
    bad "chromium: images decoded: $(grep -o 'data-images-ok="[^"]*"' "$TMP/dom.html" || echo none), want $n/$n"
  fi
  "${chrome[@]}" --screenshot="$TMP/shot.png" --window-size=1280,2400 "file://$TMP/w.html" >/dev/null 2>&1
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
[ "$(cd "$TMP" && sha256sum c.h5 q.h5 e.h5 s.h5 w.h5 w-why.h5)" = "$sums_before" ] \
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
