#!/usr/bin/env bash
# koning plot: every chart of an organisation comparison, a queue-model run and a small
# sweep exists in every format (PNG that decodes, SVG that parses as XML and names the
# scenarios, PDF header), its data file has the documented columns and rows and the
# numbers of the file (recomputed here with h5py), its script redraws it by hand; the
# charts of a switch from a status quo (switch-payback, switch-transition) hold the
# verdict's numbers, and a file without a status quo leaves them out and says why;
# scenario names cannot run anything through gnuplot; the results file is never
# modified; a missing or failing gnuplot and bad input fail with the documented codes.
source "$(dirname "$0")/lib.sh" "$@"
KONING="$(cd "$(dirname "$KONING")" && pwd)/$(basename "$KONING")"   # the tests change directory
PY=/usr/bin/python3
if ! command -v gnuplot >/dev/null; then
  echo "SKIP: gnuplot is not installed (Debian: apt-get install gnuplot-nox)"
  exit 0
fi
ORG="$SRC/scenarios/organisation.yaml"
EF="$SRC/scenarios/employees-first.yaml"

# fingerprint FILE: sha256 and mtime, to show the plotter never writes the results file
fingerprint() { echo "$(sha256sum <"$1") $(stat -c %Y.%y "$1")"; }

# check_charts DIR "NAME..." "SCENARIO NAME|..." FORMATS: files exist, are non-empty, and
# each image is what its extension says; SVGs parse and name every scenario.
check_charts() {
  "$PY" - "$@" <<'PY'
import os, sys
import xml.etree.ElementTree as ET
import struct, zlib
d, names, scen, fmts = sys.argv[1], sys.argv[2].split(), sys.argv[3].split("|"), sys.argv[4].split()
bad = []

def png_problem(path):
    """Decode a PNG far enough to know it is whole: the signature, every chunk's CRC, the
    IHDR, IDAT that inflates to exactly the rows the header promises, IEND last."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "no PNG signature"
    pos, idat, hdr, last = 8, b"", None, None
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if len(body) != n or pos + 12 + n > len(data):
            return "truncated chunk " + kind.decode("latin-1")
        if zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]:
            return "bad CRC in " + kind.decode("latin-1")
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        last, pos = kind, pos + 12 + n
    if not hdr or last != b"IEND":
        return "no IHDR or no IEND at the end"
    w, h, depth, colour, _, _, interlace = hdr
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour)
    if not w or not h or channels is None or interlace:
        return "unexpected header %r" % (hdr,)
    try:
        raw = zlib.decompress(idat)
    except zlib.error as e:
        return "image data does not inflate: %s" % e
    if len(raw) != h * (1 + (w * channels * depth + 7) // 8):
        return "%d bytes of image data for %dx%d" % (len(raw), w, h)
    if any(raw[r * (len(raw) // h)] > 4 for r in range(h)):
        return "a row with an unknown filter"
    return None
for n in names:
    for ext in ["dat", "gp"] + fmts:
        p = os.path.join(d, n + "." + ext)
        if not os.path.isfile(p) or os.path.getsize(p) == 0:
            bad.append(p + " missing or empty")
            continue
        head = open(p, "rb").read(8)
        if ext == "png":
            why = png_problem(p)
            if why:
                bad.append(p + " does not decode: " + why)
        if ext == "pdf" and not head.startswith(b"%PDF"):
            bad.append(p + " is not a PDF")
        if ext == "svg":
            try:
                text = " ".join(ET.parse(p).getroot().itertext())
            except ET.ParseError as e:
                bad.append(p + " does not parse: %s" % e)
                continue
            for s in scen:
                if s and not n.startswith(("sweep_", "heatmap_")) and s not in text:
                    bad.append(p + " lacks the text %r" % s)
    for ext in {"png", "svg", "pdf"} - set(fmts):
        if os.path.exists(os.path.join(d, n + "." + ext)):
            bad.append(n + "." + ext + " written though not asked for")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}

# ---- the files ----------------------------------------------------------------------
"$KONING" compare "$ORG" "$EF" --replications 3 --set run.days=120 -o "$TMP/c.h5" --jobs 2 \
  >/dev/null 2>"$TMP/err" || bad "compare: $(cat "$TMP/err")"
"$KONING" run "$SRC/scenarios/call-centre.yaml" --replications 2 --set run.days=1 \
  --set run.warmup_days=0.25 --set run.period_days=0.125 -o "$TMP/q.h5" --jobs 2 \
  >/dev/null 2>"$TMP/err" || bad "queue run: $(cat "$TMP/err")"
cat >"$TMP/sw.yaml" <<Y
name: small-sweep
base: $ORG
design: grid
replications: 2
vary:
  customers.mix.rude: [0.05, 0.2]
  policy.backing: [0, 1]
  run.days: [90]
Y
"$KONING" sweep "$TMP/sw.yaml" -o "$TMP/s.h5" --jobs 2 --quiet >/dev/null 2>"$TMP/err" \
  || bad "sweep: $(cat "$TMP/err")"

# ---- organisation comparison --------------------------------------------------------
ORG_CHARTS="retention service_quality staff_turnover morale_exhaustion complaints profit summary small_multiples"
before=$(fingerprint "$TMP/c.h5")
"$KONING" plot "$TMP/c.h5" -o "$TMP/cp" >"$TMP/out" 2>"$TMP/err" \
  && ok "plot compare file" || bad "plot compare: $(cat "$TMP/err")"
[ "$(fingerprint "$TMP/c.h5")" = "$before" ] && ok "results file unchanged by plot" \
  || bad "plot changed the results file"
grep -qF "wrote $TMP/cp/retention.{png,svg,pdf,dat,gp}" "$TMP/out" && [ "$(grep -c '^wrote ' "$TMP/out")" -eq 8 ] \
  && [ "$(wc -l <"$TMP/out")" -eq 10 ] \
  && ok "one line per chart on stdout" || bad "stdout: $(cat "$TMP/out")"
# no --from: no status quo, so no charts of the switch, and the note says why
grep -q "^skipped switch-payback: no switch to draw: every scenario starts blank (start.days = 0)" "$TMP/out" \
  && grep -q "^skipped switch-transition: no switch to draw" "$TMP/out" \
  && [ -z "$(find "$TMP/cp" -name 'switch-*')" ] \
  && ok "no status quo: the switch charts are skipped with the reason" || bad "no status quo: $(cat "$TMP/out")"
msg=$(check_charts "$TMP/cp" "$ORG_CHARTS" "organisation|employees-first" "png svg pdf") \
  && ok "organisation charts: all formats valid, SVGs name the scenarios" || bad "charts: $msg"

# the data: columns named, one row per period, the means and intervals of the file
"$PY" - "$TMP/c.h5" "$TMP/cp" "$SRC/tests/python" <<'PY' && ok "data files: columns, rows, means and CIs match h5py" || bad "data files"
import math, re, sys
import h5py, numpy as np
h5, d = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
from check_results import t_quantile  # noqa: E402  (pure-Python Student t, as koning's GSL)
f = h5py.File(h5, "r")
names = list(f["scenario_name"].asstr()[:])
P = len(f["period"])
scen, ok = f["run_scenario"][:], f["status"][:] == 0
level = float(f.attrs["confidence_level"])

def table(path):
    head = [l for l in open(path) if l.startswith("#")]
    rows = [l.split() for l in open(path) if l.strip() and not l.startswith("#")]
    return "".join(head), rows

def close(a, b):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(b))

for chart, series, per_week in [("retention", "retention_by_period", False),
                                ("complaints", "complaints_by_period", True),
                                ("profit", "profit_by_period", True)]:
    head, rows = table(f"{d}/{chart}.dat")
    for n in names + ["period_end_days", "time_weeks"]:
        assert n in head, (chart, n)
    assert len(rows) == P, (chart, len(rows), P)
    data = f[series][:]
    pe = f["period"][:]
    days = f["run.days"][:]
    for s, name in enumerate(names):
        col = int(re.search(r"column (\d+): s%d_mean" % (s + 1), head).group(1)) - 1
        x = data[(scen == s) & ok]
        if per_week:   # the last period ends with the run: 120 days = 17 weeks + 1 day
            length = np.minimum(pe, days[s]) - np.concatenate([[0.0], pe[:-1]])
            x = x * 7.0 / length
        for p in range(P):
            v = x[:, p][~np.isnan(x[:, p])]
            mean = v.mean()
            hw = t_quantile(1 - (1 - level) / 2, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))
            got = [float(rows[p][col + k]) for k in range(3)]
            assert close(got[0], mean), (chart, s, p, got[0], mean)
            assert close(got[1], mean - hw) and close(got[2], mean + hw), (chart, s, p, got, hw)
            assert close(float(rows[p][0]), pe[p])
head, rows = table(f"{d}/small_multiples.dat")
assert len(rows) == 4 * P, len(rows)
head, rows = table(f"{d}/summary.dat")
assert len(rows) == len(names)
for s in range(len(names)):
    for k, m in enumerate(["retention", "service_quality", "staff_turnover", "profit"]):
        for j, suf in enumerate(["_mean", "_ci_low", "_ci_high"]):
            assert close(float(rows[s][2 + 3 * k + j]), f[m + suf][s]), (s, m, suf)
# faint runs: the first successful runs of each scenario, 3 here
head, rows = table(f"{d}/retention.dat")
assert "s1_run3" in head and "s1_run4" not in head
PY

# the scripts redraw the images by hand, from the directory
rm -f "$TMP/cp/retention.png" "$TMP/cp/summary.svg"
(cd "$TMP/cp" && gnuplot retention.gp && gnuplot summary.gp) 2>"$TMP/err" \
  && [ "$(head -c 4 "$TMP/cp/retention.png" | od -An -c | tr -d ' ')" = "211PNG" ] \
  && [ -s "$TMP/cp/summary.svg" ] \
  && ok "cd DIR && gnuplot NAME.gp redraws the images" || bad "rerun .gp: $(cat "$TMP/err")"

# ---- the switch from a status quo: payback and transition -----------------------------
# organisation is the status quo; "backed" changes two levers (named to be hostile to
# gnuplot and the shell) and pays back within the run; customer-always-right changes many
# and does not
"$PY" - "$ORG" "$TMP/backed.yaml" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
src = re.sub(r"(?m)^name: .*$", lambda m: """name: 'it''s "backed" `touch ow5` $(touch ow6)'""", src, count=1)
src = re.sub(r"(?m)^  backing: .*$", "  backing: 0.9", src, count=1)
src = re.sub(r"(?m)^  empowerment: .*$", "  empowerment: 0.8", src, count=1)
open(sys.argv[2], "w").write(src)
PY
"$KONING" compare "$ORG" "$TMP/backed.yaml" "$SRC/scenarios/customer-always-right.yaml" --from "$ORG" \
  --switch-after 60 --why 0 --replications 3 --set run.days=200 -o "$TMP/w.h5" --jobs 2 \
  >/dev/null 2>"$TMP/err" || bad "compare --from: $(cat "$TMP/err")"
"$KONING" verdict "$TMP/w.h5" --json >"$TMP/w.json" 2>"$TMP/err" || bad "verdict --json: $(cat "$TMP/err")"
"$KONING" plot "$TMP/w.h5" -o "$TMP/wp" >"$TMP/out" 2>"$TMP/err" \
  && [ "$(grep -c '^wrote ' "$TMP/out")" -eq 10 ] && ! grep -q '^skipped' "$TMP/out" \
  && ok "plot a file with a status quo: 10 charts" || bad "plot switch file: $(cat "$TMP/out" "$TMP/err")"
msg=$(check_charts "$TMP/wp" "switch-payback switch-transition" \
  "organisation|it's \"backed\" \`touch ow5\` \$(touch ow6)|customer-always-right" "png svg pdf") \
  && ok "switch charts: all formats valid, SVGs name the scenarios" || bad "switch charts: $msg"
if ls "$TMP" "$TMP/wp" . | grep -q '^ow[56]$'; then bad "a scenario name ran a command (switch charts)"
else ok "switch charts: no scenario name ran a command"; fi
"$PY" - "$TMP/w.h5" "$TMP/wp" "$TMP/w.json" "$SRC/tests/python" <<'PY' && ok "switch data: payback curves, payback weeks and windows match the file and the verdict" || bad "switch data"
import json, math, re, sys
import h5py, numpy as np
h5, d, js = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
sys.path.insert(0, sys.argv[4])
from check_results import t_quantile  # noqa: E402
f = h5py.File(h5, "r")
names = list(f["scenario_name"].asstr()[:])
scen, rep, ok = f["run_scenario"][:], f["replication"][:], f["status"][:] == 0
profit, pe, days = f["profit_by_period"][:], f["period"][:], f["run.days"][:]
level = float(f.attrs["confidence_level"])
P = len(pe)
q = names.index(js["status_quo"])
verdict = {s["name"]: s for s in js["scenarios"]}

def blocks(path):
    text = open(path).read()
    head = "".join(l for l in text.splitlines(True) if l.startswith("#"))
    out = []
    for b in re.split(r"\n\n\n", text):
        rows = [[float(x) for x in l.split()] for l in b.splitlines() if l.strip() and not l.startswith("#")]
        if rows:
            out.append(rows)
    return head, out

def close(a, b, tol=1e-9):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tol * max(1.0, abs(b))

head, (curves, marks) = blocks(f"{d}/switch-payback.dat")
assert len(curves) == P + 1 and curves[0][:2] == [0.0, 0.0], (len(curves), curves[0])
pols = [i for i in range(len(names)) if i != q]
for j, s in enumerate(pols):
    m = re.search(r"policy %d, '(.*)' \((\d+) paired replications\): columns (\d+)-" % (j + 1), head)
    assert m and m.group(1).replace("''", "'") == names[s], (j, m and m.group(1))
    col = int(m.group(3)) - 1
    # the paired cumulative gap, replication by replication, then its mean and Student-t band
    gaps = []
    for r in sorted(set(rep[scen == s])):
        a = profit[(scen == s) & (rep == r) & ok]
        b = profit[(scen == q) & (rep == r) & ok]
        if len(a) and len(b):
            gaps.append(np.cumsum(a[0] - b[0]))
    gaps = np.array(gaps)
    assert int(m.group(2)) == len(gaps) == 3
    mean = gaps.mean(axis=0)
    hw = t_quantile(1 - (1 - level) / 2, len(gaps) - 1) * gaps.std(axis=0, ddof=1) / math.sqrt(len(gaps))
    for k in range(P):
        row = curves[k + 1]
        assert close(row[0], min(pe[k], days[s])), (k, row[0], pe[k])
        assert close(row[1], min(pe[k], days[s]) / 7.0)
        assert close(row[col], mean[k], 1e-7), (names[s], k, row[col], mean[k])
        assert close(row[col + 1], mean[k] - hw[k], 1e-7) and close(row[col + 2], mean[k] + hw[k], 1e-7)
        assert row[col + 3] == len(gaps)
    # the payback week marked is the verdict's, and it is where the drawn mean stays above 0
    v = verdict[names[s]]
    mk = marks[j]
    for c, key in [(3, "payback_week"), (4, "payback_week_low"), (5, "payback_week_high")]:
        want = v[key]
        assert (math.isnan(mk[c]) and want is None) or mk[c] == want, (names[s], key, mk[c], want)
        assert (math.isnan(mk[c + 3]) and want is None) or close(mk[c + 3], min(pe[want], days[s]) / 7.0)
    above = [k for k in range(P) if all(mean[i] > 0 for i in range(k, P))]
    first = above[0] if above else None
    if v["payback"] in ("within", "at once"):
        assert first == v["payback_week"], (names[s], first, v["payback_week"])
    else:
        assert first is None or v["payback"] == "never needed", (names[s], first, v["payback"])
    assert mk[2] == {"never needed": 0, "at once": 1, "within": 2, "not within the horizon": 3}.get(v["payback"], -1)
assert sorted(verdict[names[s]]["payback"] for s in pols) == ["not within the horizon", "within"], \
    [verdict[names[s]]["payback"] for s in pols]

head, bl = blocks(f"{d}/switch-transition.dat")
assert len(bl) == 5 and all(len(b) == P for b in bl[:4]) and len(bl[4]) == len(names), [len(b) for b in bl]
for blk, series, per_week in [(0, "retention_by_period", False), (1, "service_quality_by_period", False),
                              (3, "profit_by_period", True)]:
    x = f[series][:]
    for s in range(len(names)):
        v = x[(scen == s) & ok]
        if per_week:
            v = v * 7.0 / (np.minimum(pe, days[s]) - np.concatenate([[0.0], pe[:-1]]))
        for k in range(P):
            assert close(bl[blk][k][2 + 4 * s], v[:, k].mean(), 1e-9), (series, s, k)
gp = open(f"{d}/switch-transition.gp").read()
for s in range(len(names)):
    row = bl[4][s]
    v = verdict[names[s]]
    assert row[0] == s + 1 and row[2] == v["steady_from_period"] and row[4] == (1 if v["steady"] else 0), (row, v)
    short = P >= 2 and 0 < max(days) - pe[-2] < 0.5 * pe[0]   # a short last period is not drawn
    frm = min(int(row[2]), (P - 1 if short else P) - 1)
    # the thick line (the steady-state window) starts at the verdict's first period
    assert re.search(r"index 0 every ::%d::\d+ using 2:%d with lines linewidth 3\.2" % (frm, 3 + 4 * s), gp), s
    assert ("legend%d = name%d.' (still drifting)'" % (s + 1, s + 1) in gp) == (not v["steady"])
PY
"$KONING" plot "$TMP/c.h5" -o "$TMP/nosq" --only switch-payback --format png >"$TMP/out" 2>"$TMP/err" \
  && grep -q "^skipped switch-payback: no switch to draw" "$TMP/out" && [ -z "$(ls "$TMP/nosq")" ] \
  && ok "--only switch-payback without a status quo: skipped, exit 0" || bad "--only switch-payback: $(cat "$TMP/out" "$TMP/err")"

# ---- queue model ---------------------------------------------------------------------
"$KONING" plot "$TMP/q.h5" --quiet >"$TMP/out" 2>"$TMP/err" && [ ! -s "$TMP/out" ] \
  && ok "plot queue file into the default directory, quietly" || bad "plot queue: $(cat "$TMP/err" "$TMP/out")"
msg=$(check_charts "$TMP/q-plots" "p_wait mean_wait_minutes p_abandon utilization summary" \
  "call centre" "png svg pdf") && [ ! -e "$TMP/q-plots/retention.dat" ] \
  && ok "queue charts, no organisation charts" || bad "queue charts: $msg $(ls "$TMP/q-plots")"
grep -q "time_hours" "$TMP/q-plots/p_wait.dat" && ok "one-day horizon: time axis in hours" \
  || bad "queue time axis: $(grep '^# column 2' "$TMP/q-plots/p_wait.dat")"

# ---- sweep ---------------------------------------------------------------------------
SW=""
for m in retention service_quality staff_turnover profit; do
  SW="$SW sweep_${m}_vs_customers-mix-rude sweep_${m}_vs_policy-backing heatmap_$m"
done
"$KONING" plot "$TMP/s.h5" -o "$TMP/sp" --format png,svg >"$TMP/out" 2>"$TMP/err" \
  && ok "plot sweep file" || bad "plot sweep: $(cat "$TMP/err")"
msg=$(check_charts "$TMP/sp" "$SW" "" "png svg") && ok "sweep charts (png, svg only)" || bad "sweep charts: $msg"
[ "$(ls "$TMP/sp" | wc -l)" -eq $((12 * 4)) ] && ! ls "$TMP/sp" | grep -q "run-days" \
  && ok "sweep: run.days (one value) is not a varied key" || bad "sweep files: $(ls "$TMP/sp")"
"$PY" - "$TMP/s.h5" "$TMP/sp" <<'PY' && ok "sweep data: curves and heatmap match the file" || bad "sweep data"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
d = sys.argv[2]
rude, back, mean = f["customers.mix.rude"][:], f["policy.backing"][:], f["retention_mean"][:]
blocks = open(f"{d}/sweep_retention_vs_customers-mix-rude.dat").read().split("\n\n\n")
assert len(blocks) == 2, len(blocks)           # one line per value of policy.backing
for b, bv in zip(blocks, [0.0, 1.0]):
    rows = [l.split() for l in b.splitlines() if l.strip() and not l.startswith("#")]
    assert [float(r[0]) for r in rows] == [0.05, 0.2], rows
    for r in rows:
        s = int(r[5])
        assert back[s] == bv and rude[s] == float(r[0]) and abs(float(r[1]) - mean[s]) < 1e-12
heat = open(f"{d}/heatmap_retention.dat").read().split("\n\n\n")
cells = [l.split() for l in heat[0].splitlines() if l.strip() and not l.startswith("#")]
assert len(cells) == 4
for c in cells:
    s = [i for i in range(4) if rude[i] == float(c[3]) and back[i] == float(c[4])][0]
    assert abs(float(c[2]) - mean[s]) < 1e-12
PY

# ---- failed runs are left out; missing series are skipped -------------------------------
# copies of the comparison: one with run 0 marked failed (its series kept, so using it would
# show), one without retention_by_period and profit_mean, as an older file would be
"$PY" - "$TMP/c.h5" "$TMP/failed.h5" "$TMP/old.h5" <<'PY'
import shutil, sys, h5py
shutil.copy(sys.argv[1], sys.argv[2])
shutil.copy(sys.argv[1], sys.argv[3])
with h5py.File(sys.argv[2], "r+") as f:
    f["status"][0] = 5
with h5py.File(sys.argv[3], "r+") as f:
    del f["retention_by_period"], f["profit_mean"]
PY
"$KONING" plot "$TMP/failed.h5" -o "$TMP/fp" --only retention --format svg -q 2>"$TMP/err" \
  || bad "plot failed-run file: $(cat "$TMP/err")"
"$PY" - "$TMP/failed.h5" "$TMP/fp/retention.dat" <<'PY' && ok "a failed run is not in the means nor the faint runs" || bad "failed run used"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
x, scen, ok = f["retention_by_period"][:], f["run_scenario"][:], f["status"][:] == 0
rows = [l.split() for l in open(sys.argv[2]) if l.strip() and not l.startswith("#")]
head = open(sys.argv[2]).read()
assert "scenario 1, 'organisation' (2 successful runs)" in head and "rows 2 4 of the run table" in head
want = x[(scen == 0) & ok].mean(axis=0)
assert not np.allclose(want, x[scen == 0].mean(axis=0))
assert np.allclose([float(r[2]) for r in rows], want, rtol=1e-12)
PY
"$KONING" plot "$TMP/old.h5" -o "$TMP/op" --only retention,profit,summary --format png >"$TMP/out" 2>"$TMP/err" \
  && grep -q "skipped retention: no values of retention_by_period" "$TMP/out" \
  && grep -q "summary: no panel for profit" "$TMP/out" && [ ! -e "$TMP/op/retention.png" ] \
  && [ -s "$TMP/op/profit.png" ] && [ -s "$TMP/op/summary.png" ] \
  && ok "missing datasets: chart skipped, summary panel left out, with notes" \
  || bad "old file: $(cat "$TMP/out" "$TMP/err")"

# ---- options --------------------------------------------------------------------------
"$KONING" plot "$TMP/c.h5" -o "$TMP/only" --only summary,retention --max-runs 0 --format svg \
  >"$TMP/out" 2>"$TMP/err" && [ "$(ls "$TMP/only" | wc -l)" -eq 6 ] \
  && ! grep -q "s1_run1" "$TMP/only/retention.dat" \
  && ok "--only, --max-runs 0, --format svg" || bad "options: $(cat "$TMP/err") $(ls "$TMP/only")"
"$KONING" plot "$TMP/c.h5" -o "$TMP/none" --only retention --max-runs none --format png -q \
  && [ -s "$TMP/none/retention.png" ] && ok "--max-runs none" || bad "--max-runs none"
"$KONING" help plot | grep -q -- "--max-runs" && ok "koning help plot" || bad "help plot"

# ---- injection: names that would be gnuplot commands, shell commands or markup --------
"$PY" - "$ORG" "$TMP" <<'PY'
import re, sys
src, tmp = open(sys.argv[1]).read(), sys.argv[2]
one = """name: 'x"; system("touch /tmp/owned"); print "'"""
# at most 40 characters, so legends show it whole; gnuplot runs in the output directory
two = 'name: "`touch ow2`\\na^2_b@{c}&d \'q\'$(touch ow3)\\\\"'
open(tmp + "/evil1.yaml", "w").write(re.sub(r"(?m)^name: .*$", lambda m: one, src, count=1))
open(tmp + "/evil2.yaml", "w").write(re.sub(r"(?m)^name: .*$", lambda m: two, src, count=1))
PY
"$KONING" compare "$TMP/evil1.yaml" "$TMP/evil2.yaml" --replications 2 --set run.days=60 \
  -o "$TMP/evil.h5" --jobs 2 >/dev/null 2>"$TMP/err" || bad "evil compare: $(cat "$TMP/err")"
rm -f /tmp/owned
EVIL_DIR="$TMP/it's \"a\" dir \`touch $TMP/owned4\`"
"$KONING" plot "$TMP/evil.h5" -o "$EVIL_DIR" >"$TMP/out" 2>"$TMP/err" \
  && ok "plot a file with hostile scenario names into a hostile directory name" \
  || bad "evil plot: $(cat "$TMP/err")"
if [ -e /tmp/owned ] || [ -e "$TMP/owned4" ] || ls "$EVIL_DIR" "$TMP" . | grep -q '^ow[23]$'; then
  bad "a scenario name ran a command"
else
  ok "no scenario name or directory name ran a command"
fi
msg=$(check_charts "$EVIL_DIR" "$ORG_CHARTS" \
  "x\"; system(\"touch /tmp/owned\"); print \"|\`touch ow2\` a^2_b@{c}&d 'q'\$(touch ow3)\\" \
  "png svg pdf") && ok "hostile names appear literally in every SVG" || bad "evil charts: $msg"
if cat "$EVIL_DIR"/*.dat | grep -v '^#' | grep -q "touch"; then bad "a scenario name in a data line"
else ok "scenario names only in comments of the data files"; fi
(cd "$EVIL_DIR" && gnuplot retention.gp) 2>"$TMP/err" && [ ! -e /tmp/owned ] \
  && ok "hostile script reruns by hand, harmlessly" || bad "evil rerun: $(cat "$TMP/err")"

# ---- errors ---------------------------------------------------------------------------
before=$(fingerprint "$TMP/c.h5")
expect_fail 1 "gnuplot not found" -- env KONING_GNUPLOT=/nonexistent "$KONING" plot "$TMP/c.h5" -o "$TMP/e1"
mkdir -p "$TMP/bin" && ln -s "$KONING" "$TMP/bin/koning"
expect_fail 1 "gnuplot not found on PATH" "apt-get install gnuplot-nox" -- \
  env PATH="$TMP/bin" "$TMP/bin/koning" plot "$TMP/c.h5" -o "$TMP/e1"
[ ! -e "$TMP/e1" ] && ok "gnuplot missing: no output directory made" || bad "e1 made"
printf '#!/bin/sh\necho "gnuplot: simulated breakage" >&2\nexit 1\n' >"$TMP/fakegp"
chmod +x "$TMP/fakegp"
expect_fail 1 "gnuplot failed" "simulated breakage" -- env KONING_GNUPLOT="$TMP/fakegp" "$KONING" plot "$TMP/c.h5" -o "$TMP/e2"
printf '#!/bin/sh\n(cat; echo "plot no_such_variable") | exec gnuplot\n' >"$TMP/fakegp2"
chmod +x "$TMP/fakegp2"
expect_fail 1 "gnuplot failed" "no_such_variable" -- \
  env KONING_GNUPLOT="$TMP/fakegp2" "$KONING" plot "$TMP/c.h5" -o "$TMP/e3" --only summary
[ "$(fingerprint "$TMP/c.h5")" = "$before" ] && ok "results file unchanged by failed plots" \
  || bad "failed plot changed the results file"
expect_fail 2 "$TMP/missing.h5" -- "$KONING" plot "$TMP/missing.h5"
echo "not hdf5" >"$TMP/text.h5"
expect_fail 2 "$TMP/text.h5" "not an HDF5 file" -- "$KONING" plot "$TMP/text.h5"
"$PY" -c 'import h5py, sys; h5py.File(sys.argv[1], "w")["x"] = [1.0]' "$TMP/plain.h5"
expect_fail 2 "$TMP/plain.h5" "not a koning results file" -- "$KONING" plot "$TMP/plain.h5"
touch "$TMP/afile"
expect_fail 2 "$TMP/afile/sub" "Not a directory" -- "$KONING" plot "$TMP/c.h5" -o "$TMP/afile/sub"
expect_fail 2 "--format" -- "$KONING" plot "$TMP/c.h5" --format gif
expect_fail 2 "--max-runs" -- "$KONING" plot "$TMP/c.h5" --max-runs -1
expect_fail 2 "no chart 'nosuch'" "retention" -- "$KONING" plot "$TMP/c.h5" --only nosuch
expect_fail 2 "expected one results FILE.h5" -- "$KONING" plot
finish
