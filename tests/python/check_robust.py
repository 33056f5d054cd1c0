#!/usr/bin/python3
"""check_robust.py: checks of a `koning robust` results file, from outside koning.

  check_robust.py verdict FILE.h5 VERDICT.json
      recompute from the file's per-world outcomes (world_<metric>, h5py and numpy, no
      koning code) the share of worlds where each policy is best (ties shared), its
      mean and maximum regret and the policy of least maximum regret, and compare them
      with the JSON verdict; check the worlds' values lie in their ranges and that the
      per-world outcomes are the means of the run table.
  check_robust.py compare FILE.h5 KONING WORLD[,WORLD...] [compare options...]
      for each world, run `koning compare` of the study's policies with that world's
      magnitudes as --set (and the study's other overrides), and check that every
      policy's mean of each headline metric equals the file's (bit for bit: the same
      scenario on the same random numbers), and so the winner of each metric.
Exit 0 when everything agrees; 1 with the differences otherwise."""
import json
import subprocess
import sys

import h5py
import numpy as np

METRICS = ["retention", "service_quality", "staff_turnover", "profit"]
HIGHER = {"retention": True, "service_quality": True, "staff_turnover": False, "profit": True}


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def fail(msg):
    print("FAIL:", msg)
    return 1


def check_verdict(path, jpath):
    f = h5py.File(path, "r")
    v = json.load(open(jpath))
    bad = 0
    pol = [text(p) for p in f["policy_name"][:]]
    W, P = f["world_value"].shape[0], len(pol)
    lo, hi = f["uncertain_low"][:], f["uncertain_high"][:]
    val = f["world_value"][:]
    if not (np.all(val >= lo) and np.all(val <= hi)):
        bad += fail("a world's value lies outside its range")
    unit = f["world_unit"][:]
    if not (np.all(unit >= 0) and np.all(unit <= 1)):
        bad += fail("world_unit outside [0, 1]")
    # the per-world means are the means of the runs
    sw, sp = f["scenario_world"][:], f["scenario_policy"][:]
    rs, ok = f["run_scenario"][:], f["status"][:] == 0
    design = text(f.attrs["robust_design"])
    block = f["world_block"][:]
    used = np.ones(W, bool) if design != "saltelli" else block <= 1
    if v["worlds_used"] != int(used.sum()):
        bad += fail(f"worlds_used {v['worlds_used']} != {int(used.sum())}")
    for m in METRICS:
        runs = f[m][:]
        means = np.full((W, P), np.nan)
        for s in range(W * P):
            sel = (rs == s) & ok
            if sel.any():
                means[sw[s], sp[s]] = runs[sel].mean()
        if not np.allclose(means, f["world_" + m][:], rtol=1e-12, atol=0, equal_nan=True):
            bad += fail(f"world_{m} is not the mean of the runs")
        x = f["world_" + m][:][used]
        x = x[~np.isnan(x).any(axis=1)]
        best = x.max(axis=1) if HIGHER[m] else x.min(axis=1)
        winners = x == best[:, None]
        share = (winners / winners.sum(axis=1, keepdims=True)).sum(axis=0) / len(x)
        regret = (best[:, None] - x) if HIGHER[m] else (x - best[:, None])
        mv = v["metrics"][m]
        for p, name in enumerate(pol):
            got = mv["policies"][name]
            for key, want in [("win_share", share[p]), ("mean_regret", regret[:, p].mean()),
                              ("max_regret", regret[:, p].max())]:
                if not np.isclose(got[key], want, rtol=1e-9, atol=1e-12):
                    bad += fail(f"{m} {name} {key}: json {got[key]} != recomputed {want}")
            if not got["win_ci"][0] <= got["win_share"] <= got["win_ci"][1]:
                bad += fail(f"{m} {name}: the share lies outside its interval")
            if not 0 <= got["best_set_share"] <= 1:
                bad += fail(f"{m} {name}: best-set share out of [0, 1]")
        if not np.isclose(share.sum(), 1.0):
            bad += fail(f"{m}: the win shares do not sum to 1")
        mx = regret.max(axis=0)
        order = sorted(range(P), key=lambda p: (mx[p], regret[:, p].mean(), p))
        if mv["minimax_regret"] != pol[order[0]]:
            bad += fail(f"{m}: minimax {mv['minimax_regret']} != {pol[order[0]]}")
        # a policy is in the best set in at least the worlds where it is the only winner
        for p, name in enumerate(pol):
            alone = (winners[:, p] & (winners.sum(axis=1) == 1)).mean()
            if mv["policies"][name]["best_set_share"] + 1e-12 < alone:
                bad += fail(f"{m} {name}: in the best set less often than it wins alone")
    for g in v["gaps"]:
        if "sentence" not in g["flip"] or not g["flip"]["sentence"]:
            bad += fail("a gap without its sentence")
    print(f"verdict of {path}: {'agrees' if not bad else f'{bad} differences'}")
    return 1 if bad else 0


def check_compare(path, koning, worlds, extra):
    f = h5py.File(path, "r")
    pol_files = [text(p) for p in f["policy_file"][:]]
    keys = [text(k) for k in f["uncertain_key"][:]]
    spread = [text(s) for s in f["uncertain_distribution"][:]]
    sq = int(f.attrs["robust_status_quo"])
    reps = int(f["replication"][:].max()) + 1
    seed = int(f.attrs["robust_seed"])
    bad = 0
    for w in worlds:
        cmd = [koning, "compare", *pol_files, "--replications", str(reps), "--seed", str(seed),
               "--format", "json", "--no-output", "--jobs", "2", *extra]
        if sq >= 0:
            cmd += ["--from", pol_files[sq], "--switch-after", "%d" % f.attrs["robust_switch_after"]]
        for k, s, x in zip(keys, spread, f["world_value"][w]):
            cmd += ["--set", f"{k}={int(x)}" if s == "integer" else f"{k}={float(x)!r}"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            bad += fail(f"world {w}: compare exited {r.returncode}: {r.stderr.strip()}")
            continue
        out = json.loads(r.stdout)
        for m in METRICS:
            got = np.array([sc["metrics"][m]["mean"] for sc in out["scenarios"]], float)
            want = f["world_" + m][w]
            if not np.array_equal(got, want):
                bad += fail(f"world {w} {m}: compare {got} != robust {want}")
            pick = np.argmax if HIGHER[m] else np.argmin
            if pick(got) != pick(want):
                bad += fail(f"world {w} {m}: winners differ")
        print(f"world {w}: koning compare gives the same means and winners")
    return 1 if bad else 0


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "verdict":
        return check_verdict(sys.argv[2], sys.argv[3])
    if len(sys.argv) >= 5 and sys.argv[1] == "compare":
        return check_compare(sys.argv[2], sys.argv[3], [int(x) for x in sys.argv[4].split(",")],
                             sys.argv[5:])
    print(__doc__)
    return 2


sys.exit(main())
