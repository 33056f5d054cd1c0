#!/usr/bin/python3
"""stylised_facts.py - the organisation model's emergent stylised facts, over replications.

usage: /usr/bin/python3 tests/python/stylised_facts.py KONING SOURCE_DIR WORK_DIR [--report FILE]

Runs the presets in scenarios/ with `koning compare` (common random numbers, 20
replications of two simulated years) and reads the per-run metrics and weekly series
from the results files (h5py). Each fact is a statement about replications with a 95 %
Student-t (or Fisher-z) confidence interval; none of them is a constant in the model
(docs/model.md, docs/policies.md):

  band  the default organisation's staff turnover lies in the published 20-50 % band,
        abusive contacts per employee-day in "a handful to about 10" (2-10);
  (a)   under customer-always-right, staff turnover and exhaustion rise with the rude
        share faster than under employees-first (difference in differences > 0);
  (b)   with no rude or exploitative customers, the two policies' staff outcomes
        (turnover, exhaustion, burnout) are close: the gap is under a third of the gap
        at the default mix;
  (c)   exploitative claims are higher under customer-always-right than under
        employees-first (whether they keep growing from the first year to the second is
        printed: a finding); banning repeat abusers (after 2 recorded incidents,
        with a third of complaints investigated) removes abuse; whether it also cuts
        claims is printed (a finding: within two years it does not);
  (d)   a temporary demand spike (x1.4 for 8 weeks) leaves the work itself worse after it
        ends: a lower service standard and lower first-contact resolution;
  (e)   across replications of units under different policies and customer mixes, mean
        morale correlates positively with satisfaction and negatively with turnover.

Prints every estimate (and findings that go against the seeds' claims, e.g. morale in
(b) and the composite service quality in (d)); exits 1 if a fact fails.
"""
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_results import t_quantile  # noqa: E402  (pure-Python Student t)

import h5py  # noqa: E402
import numpy as np  # noqa: E402

LEVEL = 0.95
REPS = 20
FAILS = []


def ci(x):
    x = np.asarray(x, dtype=float)
    n = len(x)
    m = float(np.mean(x))
    hw = t_quantile(0.5 + LEVEL / 2, n - 1) * float(np.std(x, ddof=1)) / math.sqrt(n)
    return m, m - hw, m + hw


def check(name, cond, text):
    print(("ok:   " if cond else "FAIL: ") + name + ": " + text)
    if not cond:
        FAILS.append(name)


def fmt(c):
    return "%.4g [%.4g, %.4g]" % c


class Study:
    """A `koning compare` of scenario files (with --set overrides), read back by h5py."""

    def __init__(self, koning, work, name, files, sets=()):
        self.path = os.path.join(work, name + ".h5")
        cmd = [koning, "compare", *files, "-o", self.path, "--replications", str(REPS),
               "--jobs", str(os.cpu_count() or 2), "--format", "json"]
        for s in sets:
            cmd += ["--set", s]
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.exit("stylised_facts: %s failed: %s" % (" ".join(cmd), r.stderr))
        with h5py.File(self.path, "r") as f:
            self.sc = f["run_scenario"][:]
            self.rep = f["replication"][:]
            self.names = [n.decode() if isinstance(n, bytes) else n for n in f["scenario_name"][:]]
            self.metrics = {k: f[k][:] for k in f.keys()
                            if f[k].ndim == 1 and f[k].shape[0] == len(self.sc)
                            and f[k].dtype.kind == "f"}
            self.series = {k[:-len("_by_period")]: f[k][:] for k in f.keys() if k.endswith("_by_period")}

    def _rows(self, data, i):
        """The rows of scenario i, ordered by replication (pairs runs across scenarios)."""
        sel = self.sc == i
        return data[sel][np.argsort(self.rep[sel])]

    def m(self, metric, i):
        """Per-replication values of `metric` for scenario i."""
        return self._rows(self.metrics[metric], i)

    def s(self, series, i, weeks):
        """Per-replication mean of a weekly series over `weeks`, for scenario i."""
        return self._rows(self.series[series], i)[:, weeks].mean(axis=1)


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    koning, src, work = argv[1], argv[2], argv[3]
    os.makedirs(work, exist_ok=True)
    sc = lambda n: os.path.join(src, "scenarios", n + ".yaml")  # noqa: E731
    car, ef, org = sc("customer-always-right"), sc("employees-first"), sc("organisation")

    # ---- (a), (b), (e): customer-always-right vs employees-first over customer mixes ---
    mixes = {"none": (0.0, 0.0), "default": (0.10, 0.05), "rude": (0.30, 0.05)}
    st = {k: Study(koning, work, "mix-" + k, [car, ef],
                   ["customers.mix.rude=%g" % r, "customers.mix.exploitative=%g" % e])
          for k, (r, e) in mixes.items()}
    for metric in ["staff_turnover", "mean_exhaustion"]:
        dd = ((st["rude"].m(metric, 0) - st["default"].m(metric, 0))
              - (st["rude"].m(metric, 1) - st["default"].m(metric, 1)))
        c = ci(dd)
        check("(a) " + metric, c[1] > 0,
              "rise from rude 0.10 to 0.30, customer-always-right minus employees-first: " + fmt(c))
    for metric in ["staff_turnover", "mean_exhaustion", "burnout_share", "mean_morale"]:
        g0 = ci(st["none"].m(metric, 0) - st["none"].m(metric, 1))
        gd = ci(st["default"].m(metric, 0) - st["default"].m(metric, 1))
        close = abs(g0[0]) < abs(gd[0]) / 3 or max(abs(g0[1]), abs(g0[2])) < 0.01
        text = "gap with no rude/exploitative %s, at the default mix %s" % (fmt(g0), fmt(gd))
        if metric == "mean_morale":
            print(("info: " if close else "FINDING: ") + "(b) mean_morale: " + text +
                  ("" if close else " - customer-always-right still blames staff for problems "
                   "they did not cause (defects, missing authority), so morale differs even "
                   "with polite customers only"))
        else:
            check("(b) " + metric, close, text)

    xs = {"m": [], "s": [], "t": []}
    for study in st.values():
        for i in range(2):
            xs["m"] += list(study.m("mean_morale", i))
            xs["s"] += list(study.m("satisfaction", i))
            xs["t"] += list(study.m("staff_turnover", i))

    def corr(a, b):
        r = float(np.corrcoef(a, b)[0, 1])
        z, se = math.atanh(r), 1 / math.sqrt(len(a) - 3)
        q = t_quantile(0.5 + LEVEL / 2, 10**6)
        return r, math.tanh(z - q * se), math.tanh(z + q * se)

    c = corr(xs["m"], xs["s"])
    check("(e) morale ~ satisfaction", c[1] > 0, "r = %s over %d runs (Harter et al. 2002: about .33)"
          % (fmt(c), len(xs["m"])))
    c = corr(xs["m"], xs["t"])
    check("(e) morale ~ turnover", c[2] < 0, "r = %s over %d runs (Harter et al. 2002: about -.30)"
          % (fmt(c), len(xs["m"])))
    within = corr(st["default"].m("mean_morale", 0), st["default"].m("satisfaction", 0))
    print("info: (e) within one scenario (customer-always-right, default mix, %d runs): "
          "r(morale, satisfaction) = %s" % (REPS, fmt(within)))

    # ---- (c): claims grow under customer-always-right, fall with bans --------------------
    d = st["default"]
    y1, y2 = list(range(4, 52)), list(range(53, 104))
    c = ci(d.s("exploitative_claims", 0, y2) - d.s("exploitative_claims", 0, y1))
    print(("info: " if c[1] > 0 else "FINDING: ") + "(c) claims under customer-always-right, second "
          "year minus first: " + fmt(c) + ("" if c[1] > 0 else " - claims do not keep growing: an "
          "exploitative customer learns that claims pay only after his first claim, which a long "
          "relationship makes rare, and the base shrinks under this policy (docs/policies.md)"))
    c = ci(d.m("exploitative_claims_per_week", 0) - d.m("exploitative_claims_per_week", 1))
    check("(c) more claims than under employees-first", c[1] > 0, "difference per week: " + fmt(c))
    # "repeat abusers banned": customer-always-right, but a third of complaints
    # investigated (a false claim needs finding out), with and without a ban after 2
    # recorded incidents
    base = os.path.join(work, "car-investigate.yaml")
    banf = os.path.join(work, "car-investigate-ban.yaml")
    with open(car) as f:
        text = f.read().replace("investigate: 0.0 ", "investigate: 0.3 ")
    with open(base, "w") as g:
        g.write(text.replace("name: customer-always-right", "name: car-investigate"))
    with open(banf, "w") as g:
        g.write(text.replace("name: customer-always-right", "name: car-investigate-ban")
                .replace("ban_after_incidents: 0 ", "ban_after_incidents: 2 "))
    ban = Study(koning, work, "ban", [base, banf])
    c = ci(ban.m("abusive_contacts_per_employee_day", 1) - ban.m("abusive_contacts_per_employee_day", 0))
    check("(c) banning repeat abusers removes abuse", c[2] < 0,
          "abusive contacts per employee-day, with bans minus without: " + fmt(c))
    c = ci(ban.m("exploitative_claims_per_week", 1) - ban.m("exploitative_claims_per_week", 0))
    print(("info: " if c[2] < 0 else "FINDING: ") + "(c) claims per week, with bans minus without: "
          + fmt(c) + ("" if c[2] < 0 else " - within two years few exploitative customers collect "
                      "two recorded incidents, while the better-run desk wins more new customers, "
                      "and newcomers claim most (docs/policies.md)"))

    # ---- band: the default organisation ----------------------------------------------------
    spike_file = os.path.join(work, "spike.yaml")
    with open(org) as f, open(spike_file, "w") as g:
        g.write(f.read().replace("name: organisation", "name: spike") +
                "demand: {spike_factor: 1.4, spike_start_day: 300, spike_days: 56}\n")
    sp = Study(koning, work, "spike", [org, spike_file])
    c = ci(sp.m("staff_turnover", 0))
    check("band: staff turnover", 0.20 <= c[1] and c[2] <= 0.50,
          "default organisation %s per year (Holman et al. 2007: 20-50 %%)" % fmt(c))
    c = ci(sp.m("abusive_contacts_per_employee_day", 0))
    check("band: abusive contacts", 2 <= c[1] and c[2] <= 10,
          "%s per employee-day (Grandey et al. 2004: about 10 in call centres)" % fmt(c))

    # ---- (d): a demand spike leaves the work worse ----------------------------------------
    after = list(range(52, 104))  # the spike ends on day 356, in week 50
    c = ci(sp.s("standard_minutes", 1, after) - sp.s("standard_minutes", 0, after))
    check("(d) service standard after the spike", c[2] < 0, "minutes, spike minus none: " + fmt(c))
    c = ci(sp.s("first_contact_resolution", 1, after) - sp.s("first_contact_resolution", 0, after))
    check("(d) first-contact resolution after the spike", c[2] < 0, "spike minus none: " + fmt(c))
    q = ci(sp.s("service_quality", 1, after) - sp.s("service_quality", 0, after))
    a = ci(sp.s("active_customers", 1, after) - sp.s("active_customers", 0, after))
    print("info: (d) composite service quality after the spike, spike minus none: %s; active "
          "customers %s (the spike drove customers away, so the rest wait less)" % (fmt(q), fmt(a)))

    print("%d fact(s) failed" % len(FAILS) if FAILS else "all stylised facts hold")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
