#!/usr/bin/env bash
# koning robust on the designs for sensitivity (docs/robust.md): a Morris design gives
# mu* and sigma per gap, a Saltelli design first-order and total Sobol indices with
# bootstrap intervals (shares over its A and B blocks only); `--plot` draws the win
# shares, the sensitivity table and the tipping-point maps (PNG, SVG, PDF, .dat, .gp),
# `--report` writes the page with its section "Across plausible worlds".
source "$(dirname "$0")/lib.sh" "$@"
PY=/usr/bin/python3
D="$SRC/tests/data/robust"

# Morris: mu* and sigma per gap, charts, the report's section
"$KONING" robust "$D/small-morris.yaml" -o "$TMP/m.h5" --worlds 3 --jobs 2 --quiet \
  --plot "$TMP/m-plots" --report "$TMP/m.html" >"$TMP/m.txt" 2>"$TMP/e" \
  && ok "Morris study (3 trajectories), charts and report" || bad "Morris: $(cat "$TMP/e")"
"$KONING" robust "$TMP/m.h5" --json >"$TMP/m.json"
"$PY" - "$TMP/m.json" "$TMP/m-plots" "$TMP/m.html" <<'P' && ok "Morris indices, charts, report section" || bad "Morris outputs"
import json, os, sys
v = json.load(open(sys.argv[1]))
assert v["design"] == "morris" and v["worlds"] == 12, (v["design"], v["worlds"])
g = v["gaps"][0]
assert g["sensitivity"]["method"] == "morris"
idx = g["sensitivity"]["indices"]
assert len(idx) == 3 and all(i["mu_star"] >= abs(i["mu"]) - 1e-12 and i["sigma"] >= 0 for i in idx)
assert any(i["mu_star"] > 0 for i in idx)
charts = os.listdir(sys.argv[2])
for c in ["robust_wins", "robust_sensitivity_profit"]:
    for ext in ["png", "svg", "pdf", "dat", "gp"]:
        assert f"{c}.{ext}" in charts, (c, ext, sorted(charts))
assert any(c.startswith("robust_map_") and c.endswith(".svg") for c in charts), sorted(charts)
html = open(sys.argv[3]).read()
assert 'id="robust"' in html and "Across plausible worlds" in html and "Least maximum regret" in html
assert "data:image/svg+xml;base64," in html
P
grep -q "What the gaps hinge on (Morris" "$TMP/m.txt" && ok "text names Morris" || bad "Morris text"

# Saltelli: first-order and total Sobol indices with bootstrap intervals
"$KONING" robust "$D/small-saltelli.yaml" -o "$TMP/s.h5" --worlds 2 --jobs 2 --quiet --json \
  >"$TMP/s.json" 2>"$TMP/e" && ok "Saltelli study (2 base rows: 10 worlds)" || bad "Saltelli: $(cat "$TMP/e")"
"$PY" - "$TMP/s.json" <<'P' && ok "Sobol indices with intervals; shares over the A and B blocks" || bad "Sobol outputs"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["design"] == "saltelli" and v["worlds"] == 10 and v["worlds_used"] == 4, v
s = v["gaps"][0]["sensitivity"]
assert s["method"] == "sobol" and len(s["indices"]) == 3
for i in s["indices"]:
    assert i["total_ci"][0] <= i["total_ci"][1] and i["first_ci"][0] <= i["first_ci"][1]
P
finish
