#!/usr/bin/python3
"""check_verdict.py FILE.h5 OUTPUT.txt - recompute koning's verdict from a results file.

The verdict printed by `koning compare` (OUTPUT.txt) must name, for each headline metric,
the scenario with the best mean over its successful runs, with the Student-t interval of
that mean, and the paired lead over the runner-up (over the replications both ran). The
decompositions the "why" sentence rests on must be exact identities in every run:
service_quality = quality_from_resolution + quality_from_courtesy + quality_from_wait +
quality_from_repeats and profit = revenue - staff_cost - compensation_cost - lever_cost. The sentence must name the largest
component of the quality and profit gaps between the overall winner and loser with its
share. Exit 0 when all holds; prints each check."""
import re
import sys

import h5py
import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from check_results import summarize  # noqa: E402

HEADS = [("customer retention", "retention", 1), ("service quality", "service_quality", 1),
         ("staff turnover", "staff_turnover", -1), ("profit", "profit", 1)]
fails = 0


def check(cond, what):
    global fails
    print(("ok: " if cond else "FAIL: ") + what)
    fails += 0 if cond else 1


def fmt(metric, x):
    return f"{x:.0f}" if metric == "profit" else f"{x:.3f}"


def named(text, name, part, total, amount):
    """The sentence names the largest component (its name by its sign): with its share, or,
    when it exceeds the whole gap, with its amount ("driven by X (+123 a week)")."""
    name = name[0] if part >= 0 else name[1]
    if part / total > 1.0 + 1e-9 and f"driven by {name} (" in text:
        return f"driven by {name} ({amount.format(part)})" in text
    return f"{name} ({100 * part / total:.0f} %)" in text


def main(h5path, outpath):
    text = open(outpath).read()
    with h5py.File(h5path, "r") as f:
        names = list(f["scenario_name"].asstr()[:])
        scen = f["run_scenario"][:]
        ok = f["status"][:] == 0
        rep = f["replication"][:]
        level = float(f.attrs["confidence_level"])
        val = {k: f[k][:] for k in f if f[k].ndim == 1 and f[k].shape == scen.shape
               and f[k].dtype.kind == "f"}

    # identities, run by run
    okr = ok & ~np.isnan(val["service_quality"])
    parts = (val["quality_from_resolution"] + val["quality_from_courtesy"] + val["quality_from_wait"]
             + val["quality_from_repeats"])
    check(np.allclose(parts[okr], val["service_quality"][okr], rtol=0, atol=1e-12),
          "service_quality = sum of its four terms in every run")
    money = val["revenue"] - val["staff_cost"] - val["compensation_cost"] - val["lever_cost"]
    check(np.allclose(money[okr], val["profit"][okr], rtol=1e-12, atol=1e-6),
          "profit = revenue - staff_cost - compensation_cost - lever_cost in every run")

    def runs(k, m):
        sel = (scen == k) & ok & ~np.isnan(val[m])
        return val[m][sel], rep[sel]

    means = {m: np.array([runs(k, m)[0].mean() for k in range(len(names))]) for _, m, _ in HEADS}
    wins = np.zeros(len(names), int)
    for label, m, sign in HEADS:
        order = np.argsort(-sign * means[m], kind="stable")
        best, second = order[0], order[1]
        wins[best] += 1
        mean, lo, hi = summarize(runs(best, m)[0], level)
        xb, rb = runs(best, m)
        xs, rs = runs(second, m)
        common = np.intersect1d(rb, rs)
        d = np.array([xb[rb == r][0] - xs[rs == r][0] for r in common])
        dm, dlo, dhi = summarize(d, level)
        lead = (sign * dm, dlo if sign > 0 else -dhi, dhi if sign > 0 else -dlo)
        want1 = f"best: {names[best]}, {fmt(m, mean)} [{fmt(m, lo)}, {fmt(m, hi)}]"
        want2 = (f"lead over {names[second]}: {fmt(m, lead[0])} [{fmt(m, lead[1])}, "
                 f"{fmt(m, lead[2])}]: " + ("a clear win" if (dlo > 0 or dhi < 0)
                                            else "too close to call"))
        line = next((ln for ln in text.splitlines() if ln.strip().startswith(label)), "")
        check(want1 in line, f"{label}: '{want1}' in '{line.strip()}'")
        check(want2 in text, f"{label}: '{want2}' printed")

    # the why sentence: largest components of the quality and profit gaps, overall winner vs loser
    m_ = re.search(r"^Why: (.*) beats (.*?) first|^Why: (.*) beats (.*?) without", text, re.M)
    check(m_ is not None, "a 'Why:' sentence names the winner and the loser")
    if m_:
        w = names.index(m_.group(1) or m_.group(3))
        l_ = names.index(m_.group(2) or m_.group(4))
        check(w == int(np.argmax(wins)) or wins[w] == wins.max(), "the sentence is about the overall winner")

        def gap(m):
            return runs(w, m)[0].mean() - runs(l_, m)[0].mean()
        dq = {("problems solved", "fewer problems solved"): gap("quality_from_resolution"),
              ("courtesy", "less courtesy"): gap("quality_from_courtesy"),
              ("shorter waits", "longer waits"): gap("quality_from_wait"),
              ("fewer repeat contacts", "more repeat contacts"): gap("quality_from_repeats")}
        tot = sum(dq.values())
        top = max(dq, key=lambda k: dq[k] * np.sign(tot))
        check(named(text, top, dq[top], tot, "{:+.3f}"),
              f"quality gap {tot:+.4f}: largest part '{top}' {100 * dq[top] / tot:.0f} % named")
        dp = {("higher revenue", "lower revenue"): gap("revenue"),
              ("lower staff costs", "higher staff costs"): -gap("staff_cost"),
              ("lower compensation", "higher compensation"): -gap("compensation_cost"),
              ("cheaper levers", "dearer levers"): -gap("lever_cost")}
        tot = sum(dp.values())
        top = max(dp, key=lambda k: dp[k] * np.sign(tot))
        check(named(text, top, dp[top], tot, "{:+.0f} a week"),
              f"profit gap {tot:+.0f}: largest part '{top}' {100 * dp[top] / tot:.0f} % named")
    print(f"{fails} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
