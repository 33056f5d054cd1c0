#!/usr/bin/python3
"""check_verdict.py KONING FILE.h5 [OUTPUT.txt] [--payback=NAME[:lower]] - recompute koning's
verdict from a results file.

Everything `koning verdict FILE.h5 --json` says is recomputed here from the datasets, by an
independent implementation of the rules of docs/model.md#verdict:

- the window: per scenario, the latest MSER-5 cut (White 1997) of the mean weekly series of
  the four headline metrics, searched over the first half (docs/analysis.md#mser-5);
- each run's steady value over the window (retention through its mean weekly hazard,
  profit per week); the drift of each headline series over the window (least-squares slope
  per year per replication, Student-t interval at Bonferroni level 1 - (1 - level)/4), and
  "steady" = no interval excludes 0;
- per metric the best mean, its interval, the paired lead over the runner-up, and the best
  set of paired subset selection (Nelson, Swann, Goldsman & Song 2001);
- the status quo (policy.* == start.policy.*, start.days > 0) and each payback week: the first
  week from which the mean cumulative profit gap (or NAME's, signed) stays > 0, with its
  band's interval;
- with FILE-why.h5, the lever attribution must add up: parts + interactions = gap.

With OUTPUT.txt (the text verdict koning printed), its lines must carry the same winners and
numbers. Exit 0 when all holds; prints each check."""
import json
import math
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from check_results import t_quantile  # noqa: E402

HEADS = [("retention", 1, "customer retention"), ("service_quality", 1, "service quality"),
         ("staff_turnover", -1, "staff turnover"), ("profit", 1, "profit")]
fails = 0


def check(cond, what):
    global fails
    print(("ok: " if cond else "FAIL: ") + what)
    fails += 0 if cond else 1


def close(a, b, tol=1e-9):
    if a is None or b is None:
        return a is None and b is None or (a is None and math.isnan(b)) or (b is None and math.isnan(a))
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def summ(x, level):
    """Mean and Student-t interval of the finite values (None if fewer than two)."""
    x = np.asarray([v for v in x if np.isfinite(v)], dtype=float)
    if len(x) < 2:
        return None
    m, sd = float(np.mean(x)), float(np.std(x, ddof=1))
    hw = t_quantile(0.5 + level / 2.0, len(x) - 1) * sd / math.sqrt(len(x))
    return m, m - hw, m + hw


def mser5_cut(y):
    """Truncation point (observations) of MSER-5 over d = 0..m/2 batches, earliest minimum."""
    m = len(y) // 5
    z = np.asarray(y[:5 * m], dtype=float).reshape(m, 5).mean(axis=1)
    best, best_d = math.inf, 0
    for d in range(m // 2 + 1):
        rest = z[d:]
        stat = float(np.sum((rest - rest.mean()) ** 2)) / (m - d) ** 2
        if stat < best:
            best, best_d = stat, d
    return 5 * best_d


def subset(x, higher, alpha):
    """Paired subset selection: keep i iff xbar_i >= xbar_j - W_ij for all j (mirrored)."""
    k = x.shape[0]
    keep = []
    q = (1.0 - alpha) ** (1.0 / (k - 1)) if k > 1 else 1.0
    for i in range(k):
        kept = True
        for j in range(k):
            if i == j:
                continue
            both = np.isfinite(x[i]) & np.isfinite(x[j])
            n = int(both.sum())
            if n < 2:
                continue
            d = (x[i][both] - x[j][both]) * (1 if higher else -1)
            w = t_quantile(q, n - 1) * float(np.std(d, ddof=1)) / math.sqrt(n)
            if float(np.mean(d)) < -w:
                kept = False
        keep.append(kept)
    return keep


def payback_of(gap, level):
    """(case, week, lo, hi) of kn_payback_estimate for gap[r, w] cumulative differences."""
    if np.all(gap == 0.0):
        return "never needed", None, None, None
    R, W = gap.shape
    mean = gap.mean(axis=0)
    sd = gap.std(axis=0, ddof=1)
    hw = t_quantile(0.5 + level / 2.0, R - 1) * sd / math.sqrt(R)

    def first_stays(curve):
        if not curve[-1] > 0:
            return None
        w = W - 1
        while w > 0 and curve[w - 1] > 0:
            w -= 1
        return w

    wk = first_stays(mean)
    case = "not within the horizon" if wk is None else ("at once" if wk == 0 else "within")
    return case, wk, first_stays(mean + hw), first_stays(mean - hw)


def main(koning, h5path, outpath=None, payback="profit"):
    cmd = [koning, "verdict", h5path, "--json"] + (["--payback", payback] if payback != "profit" else [])
    js = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    pb_name, _, pb_dir = payback.partition(":")
    pb_sign = -1.0 if pb_dir == "lower" else 1.0
    check(js["payback_metric"] == pb_name and js["payback_lower_is_better"] == (pb_sign < 0),
          "payback on %s (%s is better)" % (pb_name, "lower" if pb_sign < 0 else "higher"))
    with h5py.File(h5path, "r") as f:
        names = list(f["scenario_name"].asstr()[:])
        scen = f["run_scenario"][:]
        ok = f["status"][:] == 0
        rep = f["replication"][:].astype(int)
        level = float(f.attrs["confidence_level"])
        ends = f["period"][:]
        series = {h: f[h + "_by_period"][:] for h, _, _ in HEADS}
        pb_series = f[pb_name + "_by_period"][:]
        pol = sorted(k for k in f if k.startswith("policy.") and f[k].ndim == 1)
        now = {k: f[k][:] for k in pol}
        before = {k: f["start." + k][:] for k in pol if "start." + k in f}
        start_days = f["start.days"][:] if "start.days" in f else np.zeros(len(names))
    S, P, R = len(names), len(ends), int(rep.max()) + 1
    length = np.diff(np.concatenate([[0.0], ends]))
    at = -np.ones((S, R), dtype=int)
    for i in range(len(scen)):
        if ok[i]:
            at[scen[i], rep[i]] = i
    check(js["confidence"] == level, "confidence level %g" % level)

    # the window and the drift, scenario by scenario
    frm = []
    for s in range(S):
        cut = 0
        for h, _, _ in HEADS:
            rows = [series[h][i] for i in at[s] if i >= 0 and np.all(np.isfinite(series[h][i]))]
            if rows and P >= 50:
                cut = max(cut, mser5_cut(np.mean(rows, axis=0)))
        frm.append(cut)
        check(js["scenarios"][s]["steady_from_period"] == cut,
              "%s: window from period %d (MSER-5)" % (names[s], cut))
    mid = (np.concatenate([[0.0], ends[:-1]]) + 0.5 * length) / 365.0
    for s in range(S):
        steady = True
        for h, _, _ in HEADS:
            slopes = []
            for i in at[s]:
                if i < 0:
                    continue
                y = series[h][i].astype(float)
                if h == "profit":
                    y = y * 7.0 / length
                use = (np.arange(P) >= frm[s]) & np.isfinite(y) & (length >= 0.5 * length[0])
                if use.sum() >= 3:
                    slopes.append(float(np.polyfit(mid[use], y[use], 1)[0]))
            sm = summ(slopes, 1.0 - (1.0 - level) / 4)
            got = js["scenarios"][s]["drift_per_year"][h]
            check(sm is not None and all(close(a, b, 1e-6) for a, b in zip(sm, got)),
                  "%s: drift of %s %s" % (names[s], h, got))
            if sm and (sm[1] > 0 or sm[2] < 0):
                steady = False
        check(js["scenarios"][s]["steady"] == steady, "%s: steady = %s" % (names[s], steady))

    # steady values and the lines of the verdict
    def value(h, i, s):
        y = series[h][i][frm[s]:].astype(float)
        L = length[frm[s]:]
        keep = np.isfinite(y)
        if h == "retention":
            y = np.where(y > 0, -np.log(np.where(y > 0, y, 1.0)), np.inf)
            keep = np.isfinite(y)
            return math.exp(-float(np.mean(y[keep]))) if keep.any() else math.nan
        if h == "profit":
            y = y * 7.0 / L
            keep = np.isfinite(y)
        return float(np.mean(y[keep])) if keep.any() else math.nan

    text = open(outpath).read() if outpath else None
    for k, (h, sign, label) in enumerate(HEADS):
        x = np.full((S, R), np.nan)
        for s in range(S):
            for r in range(R):
                if at[s, r] >= 0:
                    x[s, r] = value(h, at[s, r], s)
        means = [summ(x[s], level)[0] for s in range(S)]
        best = max(range(S), key=lambda s: sign * means[s])
        second = max((s for s in range(S) if s != best), key=lambda s: sign * means[s])
        line = js["metrics"][k]
        check(line["metric"] == h and line["best"] == names[best], "%s: best %s" % (h, names[best]))
        m = summ(x[best], level)
        check(all(close(a, b) for a, b in zip(m, (line["mean"], line["ci_low"], line["ci_high"]))),
              "%s: mean and interval %.6g [%.6g, %.6g]" % ((h,) + m))
        check(line["runner_up"] == names[second], "%s: runner-up %s" % (h, names[second]))
        d = summ(x[best] - x[second], level)
        check(all(close(a, b) for a, b in zip(d, (line["lead"], line["lead_ci_low"], line["lead_ci_high"]))),
              "%s: paired lead over the runner-up %.6g" % (h, d[0]))
        keep = subset(x, sign > 0, 1.0 - level)
        keep[best] = True
        want = sorted(names[s] for s in range(S) if keep[s] and s != best)
        check(sorted(line["cannot_be_told_apart"]) == want and line["clear"] == (not want),
              "%s: cannot be told apart from the best: %s" % (h, want))
        if text is not None:
            fmt = ((lambda v: "%.0f" % (0.0 if abs(v) < 0.5 else v)) if h == "profit"
                   else (lambda v: "%.3f" % (0.0 if abs(v) < 0.0005 else v)))
            want_line = "%s best: %s, %s [%s, %s]" % (label, names[best], fmt(m[0]), fmt(m[1]), fmt(m[2]))
            check(want_line in " ".join(text.split()), "text: '%s'" % want_line)

    # the status quo and the payback weeks
    sq = None
    for s in range(S):
        if start_days[s] > 0 and before and all(now[k][s] == before[k][s] for k in before):
            sq = s
            break
    check(js["status_quo"] == (names[sq] if sq is not None else None), "status quo %s" %
          (names[sq] if sq is not None else None))
    for s in range(S):
        got = js["scenarios"][s]
        if sq is None or s == sq:
            check(got["payback"] == "none", "%s: no payback" % names[s])
            continue
        reps = [r for r in range(R) if at[s, r] >= 0 and at[sq, r] >= 0]
        a = pb_series[[at[s, r] for r in reps]]
        b = pb_series[[at[sq, r] for r in reps]]
        diff = np.where(np.isfinite(a) & np.isfinite(b), pb_sign * (a - b), 0.0)
        case, wk, lo, hi = payback_of(np.cumsum(diff, axis=1), level)
        check((got["payback"], got["payback_week"], got["payback_week_low"], got["payback_week_high"])
              == (case, wk, lo, hi), "%s: payback %s week %s [%s, %s]" % (names[s], case, wk, lo, hi))

    # the lever attribution adds up
    why = js.get("why")
    if why:
        for y in why["metrics"]:
            parts = sum(lv["part"] for lv in y["levers"])
            tol = 1e-9 if why["method"] == "shapley" else 1e-6
            check(close(parts + y["interactions"], y["gap"], tol),
                  "why %s: %d levers %+.6g + interactions %+.6g = gap %+.6g" %
                  (y["metric"], len(y["levers"]), parts, y["interactions"], y["gap"]))
            if why["method"] == "shapley":
                check(y["interactions"] == 0, "why %s: Shapley leaves no interactions" % y["metric"])
    return 1 if fails else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--payback=")]
    pb = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--payback=")]
    if len(args) not in (2, 3):
        sys.exit(__doc__)
    sys.exit(main(*args, payback=pb[0] if pb else "profit"))
