#!/usr/bin/python3
"""same_results.py A.h5 B.h5 [--subset]: are two koning results files the same study
with the same numbers? Every dataset is compared bit for bit (NaN equal to NaN) except
wall_seconds, which is a measurement of the machine, not a result. With --subset, A may
hold fewer runs than B (a sweep killed early): every run row of A must equal B's row
with the same run index. Exit 0 if so; 1 with the first difference otherwise."""
import sys
import h5py
import numpy as np

SKIP = {"wall_seconds"}


def same(a, b):
    if a.dtype.kind in "fc":
        return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    return a.shape == b.shape and np.array_equal(a, b)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    subset = "--subset" in sys.argv
    fa, fb = h5py.File(args[0], "r"), h5py.File(args[1], "r")
    names = sorted(set(fa.keys()) | set(fb.keys()))
    for n in names:
        if n in SKIP:
            continue
        if n not in fa or n not in fb:
            sys.exit(f"dataset {n} only in one file")
        a, b = fa[n], fb[n]
        run_dim = len(a.shape) > 0 and n != "run" and "run" in list(a.dims[0].keys()) or n == "run"
        if subset and run_dim:
            runs_a, runs_b = fa["run"][:], fb["run"][:]
            pos = {int(r): i for i, r in enumerate(runs_b)}
            rows = [pos[int(r)] for r in runs_a]
            if not same(a[...], b[...][rows] if rows else b[...][:0]):
                sys.exit(f"dataset {n}: a run differs")
        elif subset and n.endswith(("_mean", "_ci_low", "_ci_high")) or subset and n in ("n_runs_ok", "n_runs_failed"):
            continue  # summaries of a partial study differ by design
        else:
            if not same(a[...], b[...]):
                sys.exit(f"dataset {n} differs")
    print(f"same results: {args[0]} {'within' if subset else '=='} {args[1]}")


main()
