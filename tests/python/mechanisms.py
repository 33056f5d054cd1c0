#!/usr/bin/python3
"""mechanisms.py KONING SRC TMP: every lever has a price, shown over replications.

Each check runs variants of scenarios/organisation.yaml (or of a preset) with
`koning compare` on common random numbers and judges a paired difference by its 95 %
Student-t interval over the replications; nothing is compared with a constant of the
code. The checks (issue 12):

  cap        a minutes cap raises the share of contacts that are repeats (failure demand)
  backlash   banning costs acquisition when banned customers talk (backlash on), more
             than when they do not (a difference in differences)
  rootcause  acting on root-cause reports lowers complaints and the defect share over
             the horizon; ignoring them leaves the defect share where it was
  priority   with priority on, valuable customers wait less and the others more
  pushy      rude customers get more compensation per complaint than the others under
             customer-always-right, and pushing (customers.pushiness, pushy_extra) adds
             to it there; under investigate-first pushing adds exactly nothing

Exit 0 if all hold; 1 with the failed ones. Prints every interval.
"""
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_results import t_quantile  # noqa: E402  (pure-Python Student t)

import h5py  # noqa: E402
import numpy as np  # noqa: E402

KONING, SRC, TMP = sys.argv[1], sys.argv[2], sys.argv[3]
REPS, DAYS = "10", "365"
fails = []


def variant(base, name, changes):
    """A scenario file: `base` (a file of scenarios/) with the name and the keys of
    `changes` ({"policy.minutes_cap": 8, ...}) replaced or added in their block."""
    text = open(os.path.join(SRC, "scenarios", base)).read()
    text = re.sub(r"(?m)^name: .*$", f"name: {name}", text)
    for key, value in changes.items():
        block, leaf = key.split(".", 1)
        line = re.compile(rf"(?m)^  {re.escape(leaf)}: .*$")
        start = re.search(rf"(?m)^{re.escape(block)}:\s*$", text)
        if start:
            tail = text[start.end():]
            end = re.search(r"(?m)^\S", tail)
            body = tail[:end.start()] if end else tail
            if line.search(body):
                body = line.sub(f"  {leaf}: {value}", body, count=1)
            else:
                body = body.rstrip("\n") + f"\n  {leaf}: {value}\n"
            text = text[:start.end()] + body + (tail[end.start():] if end else "")
        else:
            text = text.rstrip("\n") + f"\n{block}:\n  {leaf}: {value}\n"
    path = os.path.join(TMP, name + ".yaml")
    open(path, "w").write(text)
    return path


def compare(tag, files, sets=()):
    """Run the files on common random numbers, with --set of `sets` on every one;
    {scenario name: {metric: array by rep}}."""
    out = os.path.join(TMP, tag + ".h5")
    extra = [a for kv in sets for a in ("--set", kv)]
    subprocess.run([KONING, "compare", *files, "--replications", REPS, "--jobs", "2",
                    "--set", f"run.days={DAYS}", "--set", "run.warmup_days=28", *extra, "-o", out],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    f = h5py.File(out, "r")
    names = list(f["scenario_name"].asstr()[:])
    sc, rep = f["run_scenario"][:], f["replication"][:]
    res = {}
    for i, n in enumerate(names):
        order = np.argsort(rep[sc == i])
        res[n] = {m: f[m][:][sc == i][order] for m in f if f[m].ndim == 1 and f[m].shape == sc.shape}
    return res


def ci(x):
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    n = len(x)
    m, s = float(np.mean(x)), float(np.std(x, ddof=1))
    h = t_quantile(0.975, n - 1) * s / math.sqrt(n)
    return m, m - h, m + h


def check(name, what, x, want):
    """want: '>0', '<0' (the interval excludes 0 on that side) or '~0' (it holds 0)."""
    m, lo, hi = ci(x)
    ok = {">0": lo > 0, "<0": hi < 0, "~0": lo <= 0 <= hi}[want]
    print(f"{'ok' if ok else 'FAIL'}: {name}: {what} = {m:.4g} [{lo:.4g}, {hi:.4g}] (want {want})")
    if not ok:
        fails.append(f"{name}: {what}")


# cap: a 8-minute cap on a 10-minute mean service moves work instead of removing it
r = compare("cap", [variant("organisation.yaml", "nocap", {}),
                    variant("organisation.yaml", "cap", {"policy.minutes_cap": 8})])
check("cap", "repeat share, capped - not", r["cap"]["repeat_contact_share"] - r["nocap"]["repeat_contact_share"], ">0")

# backlash: the same bans (one incident, staff end abusive contacts, management records
# them), once with banned customers talking and once silent: what their talk costs
ban = {"policy.ban_after_incidents": 1, "policy.end_abusive_contact": 1, "policy.backing": 0.8}
r = compare("backlash", [variant("organisation.yaml", "ban_talk", ban),
                         variant("organisation.yaml", "ban_silent", {**ban, "backlash.reach_banned": 0})])
acq = "acquisition_rate_per_week"  # the rate, not the Poisson count of newcomers
check("backlash", "word of mouth lost per week, banned customers talking - silent",
      r["ban_talk"]["word_of_mouth_lost_per_week"] - r["ban_silent"]["word_of_mouth_lost_per_week"], ">0")
check("backlash", "acquisition per week, banned customers talking - silent",
      r["ban_talk"][acq] - r["ban_silent"][acq], "<0")

# root causes: act on every report, or on none
r = compare("rootcause", [variant("organisation.yaml", "ignore", {}),
                          variant("organisation.yaml", "fix", {"policy.root_cause": 1})])
check("rootcause", "complaints per week, fix - ignore",
      r["fix"]["complaints_per_week"] - r["ignore"]["complaints_per_week"], "<0")
check("rootcause", "defect share, fix - ignore", r["fix"]["defect_share"] - r["ignore"]["defect_share"], "<0")
gap = float(np.max(np.abs(r["ignore"]["defect_share"] - 0.05)))
print(f"{'ok' if gap < 1e-12 else 'FAIL'}: rootcause: defect share when ignored stays work.defect_share "
      f"(largest gap {gap:.2g})")
if gap >= 1e-12:
    fails.append("rootcause: defect share when ignored")

# priority: valuable customers first (valuable = the mean value or more: a third of
# the base, so that the others' longer wait is large enough to see)
r = compare("priority", [variant("organisation.yaml", "fifo", {"policy.priority_value": 1}),
                         variant("organisation.yaml", "first", {"policy.priority": 1,
                                                                "policy.priority_value": 1})])
check("priority", "wait of valuable customers, priority - none",
      r["first"]["wait_valuable_minutes"] - r["fifo"]["wait_valuable_minutes"], "<0")
check("priority", "wait of the others, priority - none",
      r["first"]["wait_others_minutes"] - r["fifo"]["wait_others_minutes"], ">0")

# pushy: the rude customer's advantage. Rude customers are served worse (slower, met
# with incivility), so more of their complaints are genuine and some gap to polite
# customers is earned on the merits under any policy. What pushing buys is the rest:
# the same policy with pushiness off (customers.pushiness 1, pushy_extra 0) on the
# same random numbers takes it away.
presets = [os.path.join(SRC, "scenarios", f) for f in ("customer-always-right.yaml", "investigate-first.yaml")]
r = compare("pushy", presets)
q = compare("nopush", presets, ("customers.pushiness=1", "customers.pushy_extra=0"))
r = {"car": r["customer-always-right"], "inv": r["investigate-first"],
     "car_nopush": q["customer-always-right"], "inv_nopush": q["investigate-first"]}


def advantage(x):
    return x["compensation_per_complaint_rude"] - x["compensation_per_complaint_polite"]


check("pushy", "compensation per complaint, rude - polite, customer-always-right", advantage(r["car"]), ">0")
check("pushy", "what pushing adds to it under customer-always-right",
      advantage(r["car"]) - advantage(r["car_nopush"]), ">0")
gain = advantage(r["inv"]) - advantage(r["inv_nopush"])
gap = float(np.max(np.abs(gain)))
print(f"{'ok' if gap < 1e-9 else 'FAIL'}: pushy: what pushing adds under investigate-first "
      f"(every complaint investigated): largest gap over replications {gap:.2g} (want 0)")
if gap >= 1e-9:
    fails.append("pushy: pushing pays under investigate-first")

if fails:
    print("failed: " + "; ".join(fails))
    sys.exit(1)
print("every lever shows its price")
