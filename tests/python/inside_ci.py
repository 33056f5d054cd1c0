#!/usr/bin/env python3
"""inside_ci.py - are the exact Erlang values inside the simulation's confidence intervals?

usage: python3 tests/python/inside_ci.py EXACT.json SIM.json [--frozen]

EXACT.json is `koning erlang --format json`, SIM.json `koning run --format json`. Checks
p_wait, p_abandon, mean_wait_minutes and utilization, printing each. With --frozen the
run is the organisation model with behaviour off, which must also have lost no customer
and no employee. Exit status 0 if all hold, 1 if not.
"""
import json
import sys

ex = json.load(open(sys.argv[1]))
sim = json.load(open(sys.argv[2]))["metrics"]
bad = []
for k in ["p_wait", "p_abandon", "mean_wait_minutes", "utilization"]:
    e, s = ex[k], sim[k]
    inside = s["ci_low"] <= e <= s["ci_high"]
    print(f"  {k:18s} exact {e:.6f}  sim {s['mean']:.6f}  CI [{s['ci_low']:.6f}, {s['ci_high']:.6f}]"
          f"  {'ok' if inside else 'OUTSIDE'}")
    if not inside:
        bad.append(k)
if "--frozen" in sys.argv[3:]:
    # the organisation is frozen: nobody leaves, nobody quits, every position is staffed
    if not (sim["churned_customers_per_week"]["mean"] == 0 and sim["staff_turnover"]["mean"] == 0
            and sim["headcount"]["mean"] == sim["headcount"]["ci_high"]):
        print("  the organisation changed although behaviour is off")
        bad.append("frozen")
sys.exit(1 if bad else 0)
