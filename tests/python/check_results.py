#!/usr/bin/python3
"""check_results.py - check a koning results file (docs/results.md) from Python.

usage: /usr/bin/python3 tests/python/check_results.py FILE.h5 [EXPECTED.json]

Opens FILE.h5 three ways - h5py, pandas (DataFrames built from h5py columns) and xarray
(engine h5netcdf, and netcdf4 when it is installed) - and checks the documented layout:
dimensions as netCDF-4 dimension scales with coordinates, units and long_name on every
dataset, variable-length UTF-8 strings, no compound types, the run table and the time
series on the run dimension, NaN for failed runs. It recomputes the mean and the
Student-t confidence interval of every metric per scenario over the successful runs and
compares them with the <metric>_mean / _ci_low / _ci_high datasets (to 1e-9), and
selects a scenario by a parameter value with xarray. With EXPECTED.json (the output of
`koning run --format json`), the file must reproduce its mean, ci_low and ci_high.

Needs Debian's python3-h5py, python3-pandas, python3-xarray, python3-h5netcdf (and
optionally python3-netcdf4): run it with /usr/bin/python3. No scipy: the Student t
quantile is computed here.
Exit status: 0 if every check passed, 1 if one failed, 2 on bad usage or a missing
module. Messages name the file and the dataset.
"""
import json
import math
import sys

TOL = 1e-9
DIMS = ("scenario", "run", "period", "hour")
ROOT_ATTRS = ("Conventions", "koning_version", "simgrid_version", "hdf5_version", "rng", "kind",
              "command_line", "confidence_level", "study", "scenario")
RUN_COLUMNS = {"run_scenario": "i", "replication": "i", "seed": "u", "status": "i", "error": "O",
               "wall_seconds": "f", "customers": "i", "kernel_events": "i"}

try:
    import h5py
    import numpy as np
    import pandas as pd
    import xarray as xr
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.stderr.write("check_results: %s (install python3-h5py python3-pandas python3-xarray "
                     "python3-h5netcdf and run with /usr/bin/python3)\n" % e)
    sys.exit(2)


# ---- Student t quantile -----------------------------------------------------------------

def _betacf(a, b, x):
    """Continued fraction of the regularised incomplete beta (Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        de = d * c
        h *= de
        if abs(de - 1.0) < 1e-16:
            break
    return h


def _betainc(a, b, x, y):
    """Regularised incomplete beta I_x(a, b); y = 1 - x, given exactly by the caller."""
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    lx = math.log1p(-y) if x > 0.5 else math.log(x)
    ly = math.log1p(-x) if y > 0.5 else math.log(y)
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * lx + b * ly
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(lbt) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbt) * _betacf(b, a, y) / b


def _t_cdf(t, df):
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t), t * t / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p, df):
    """Quantile p of Student's t with df degrees of freedom, by bisection on the CDF.

    Pure Python on purpose: against mpmath it is within 2e-13 (relative) for df <= 1000
    and 6e-11 up to df = 1e5, where Debian 12's scipy 1.10 t.ppf is off by up to 5e-9 and
    koning uses GSL's gsl_cdf_tdist_Pinv (within 1e-15)."""
    lo, hi = -1e4, 1e4
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid == lo or mid == hi:
            break
        if _t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def summarize(x, level):
    """Mean and Student-t CI as koning computes them: NaN if n < 2 or a value is NaN."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    if n < 2 or not np.all(np.isfinite(x)):
        return (math.nan, math.nan, math.nan)
    mean = float(np.mean(x))
    sd = float(np.std(x, ddof=1))
    hw = t_quantile(0.5 + level / 2.0, n - 1) * sd / math.sqrt(n)
    return (mean, mean - hw, mean + hw)


def close(a, b, tol=TOL):
    if a is None:
        a = math.nan
    if b is None:
        b = math.nan
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


# ---- checks ------------------------------------------------------------------------------

class Checker:
    def __init__(self, path):
        self.path = path
        self.errors = []
        self.notes = []

    def fail(self, msg):
        self.errors.append("%s: %s" % (self.path, msg))

    def need(self, cond, msg):
        if not cond:
            self.fail(msg)
        return cond


def text(v):
    """An attribute as str: fixed-length strings come back from h5py as bytes."""
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode("utf-8")
    return str(v)


def check_h5py(c, f):
    """The HDF5 structure, with h5py. Returns the facts later checks need."""
    for a in ROOT_ATTRS:
        c.need(a in f.attrs, "root attribute '%s' missing" % a)
    c.need(text(f.attrs.get("Conventions", b"")) == "CF-1.8", "Conventions is not CF-1.8")
    level = float(f.attrs.get("confidence_level", 0.95))
    c.need(0.0 < level < 1.0, "confidence_level %r is not in (0, 1)" % level)

    for d in DIMS:
        if not c.need(d in f, "dimension '%s' missing" % d):
            continue
        ds = f[d]
        c.need(ds.ndim == 1, "dimension '%s' is not 1-D" % d)
        c.need(h5py.h5ds.is_scale(ds.id), "'%s' is not a dimension scale" % d)
        c.need(h5py.h5ds.get_scale_name(ds.id).decode() == d, "scale '%s' has another name" % d)
    if c.errors:
        return None
    S, R, P = len(f["scenario"]), len(f["run"]), len(f["period"])
    c.need(f["run"].maxshape == (None,), "dimension 'run' is not unlimited")
    c.need(np.array_equal(f["scenario"][:], np.arange(S)), "coordinate 'scenario' is not 0..S-1")
    c.need(np.array_equal(f["hour"][:], np.arange(24)), "coordinate 'hour' is not 0..23")
    period = f["period"][:]
    c.need(text(f["period"].attrs["units"]) == "days", "period units are not 'days'")
    if P:
        longest = float(np.max(f["run.days"][:])) if "run.days" in f else math.inf
        want = np.minimum(period[0] * np.arange(1, P + 1), longest)  # the last ends with the run
        c.need(np.allclose(period, want, rtol=1e-12, atol=0),
               "period coordinate is not the end of each period")

    def dim_names(ds):
        """Name of the dimension scale attached to each dimension (None if none)."""
        return tuple(ds.dims[k][0].name.lstrip("/") if len(ds.dims[k]) else None
                     for k in range(ds.ndim))

    datasets = {}

    def visit(name, obj):  # must return None, or visititems stops
        if isinstance(obj, h5py.Dataset):
            datasets[name] = obj

    f.visititems(visit)
    for name, ds in datasets.items():
        c.need("/" not in name, "dataset '%s' is not in the root group" % name)
        c.need(ds.dtype.names is None, "dataset '%s' has a compound type" % name)
        for a in ("units", "long_name"):
            c.need(a in ds.attrs, "dataset '%s' has no '%s' attribute" % (name, a))
        if ds.dtype.kind == "O":
            info = h5py.check_string_dtype(ds.dtype)
            c.need(info is not None and info.encoding == "utf-8" and info.length is None,
                   "dataset '%s' is not variable-length UTF-8" % name)
        if name in DIMS:
            continue
        dims = dim_names(ds)
        c.need(all(dims), "dataset '%s' has a dimension with no scale attached" % name)
        if dims and dims[0] == "run":
            c.need(ds.shape[0] == R, "dataset '%s' has %d rows, the run dimension %d" %
                   (name, ds.shape[0], R))
            c.need(ds.chunks is not None and ds.maxshape[0] is None,
                   "dataset '%s' is not chunked and resizable" % name)
            if ds.ndim == 2:
                c.need(dims[1] == "period" and ds.shape[1] == P,
                       "time series '%s' is not [run, period]" % name)
        elif dims and dims[0] == "scenario":
            c.need(ds.shape[0] == S, "dataset '%s' has %d rows, %d scenarios" % (name, ds.shape[0], S))

    for col, kind in RUN_COLUMNS.items():
        if c.need(col in f, "run-table dataset '%s' missing" % col):
            c.need(f[col].dtype.kind == kind, "dataset '%s' has type %s" % (col, f[col].dtype))
    for col in ("scenario_name", "scenario_yaml", "n_runs_ok", "n_runs_failed"):
        c.need(col in f, "scenario-table dataset '%s' missing" % col)
    metrics = sorted(n[:-5] for n in datasets if n.endswith("_mean") and n[:-5] in datasets)
    c.need(len(metrics) > 0, "no <metric>_mean datasets")
    for m in metrics:
        for suffix in ("_ci_low", "_ci_high"):
            c.need(m + suffix in f, "dataset '%s%s' missing" % (m, suffix))
        c.need(dim_names(f[m]) == ("run",), "metric '%s' is not on the run dimension" % m)
        coords = text(f[m + "_mean"].attrs.get("coordinates", b"")).split()
        c.need("staff.employees" in coords, "'%s_mean' has no CF coordinates listing the parameters" % m)
        for name in coords:
            c.need(name in f, "'%s_mean': coordinate '%s' is not a dataset" % (m, name))
    series = sorted(n for n in datasets if n.endswith("_by_period"))
    c.need(len(series) > 0, "no <series>_by_period datasets")
    return {"S": S, "R": R, "P": P, "level": level, "metrics": metrics, "series": series,
            "datasets": datasets}


def run_table(f, facts):
    """The run table as a pandas DataFrame (one column per 1-D run dataset)."""
    cols = {"run": f["run"][:]}
    for col in RUN_COLUMNS:
        cols[col] = f[col].asstr()[:] if col == "error" else f[col][:]
    for m in facts["metrics"]:
        cols[m] = f[m][:]
    df = pd.DataFrame(cols)
    names = f["scenario_name"].asstr()[:]
    df["scenario_name"] = names[df["run_scenario"].to_numpy()] if len(df) else []
    return df


def scenario_table(f, facts):
    """The scenario table as a pandas DataFrame (1-D datasets on the scenario dimension)."""
    cols = {"scenario": f["scenario"][:]}
    for name, ds in facts["datasets"].items():
        if ds.ndim != 1 or name == "scenario" or not len(ds.dims[0]):
            continue
        if ds.dims[0][0].name != "/scenario":
            continue
        cols[name] = ds.asstr()[:] if ds.dtype.kind == "O" else ds[:]
    return pd.DataFrame(cols).set_index("scenario")


def check_values(c, f, facts, runs, scen):
    level = facts["level"]
    failed = runs["status"] != 0
    for m in facts["metrics"]:
        c.need(runs.loc[failed, m].isna().all(), "metric '%s' is not NaN for a failed run" % m)
    c.need((runs.loc[failed, "error"] != "").all(), "a failed run has an empty 'error'")
    c.need((runs.loc[~failed, "error"] == "").all(), "a successful run has an 'error'")
    if failed.any():
        for s in facts["series"]:
            rows = f[s][np.flatnonzero(failed.to_numpy()), :]
            c.need(np.isnan(rows).all(), "time series '%s' is not NaN for a failed run" % s)
    compared = 0
    for s in range(facts["S"]):
        ok = runs[(runs["run_scenario"] == s) & ~failed]
        c.need(scen.loc[s, "n_runs_ok"] == len(ok), "scenario %d: n_runs_ok is %d, the run table "
               "has %d" % (s, scen.loc[s, "n_runs_ok"], len(ok)))
        nf = int(((runs["run_scenario"] == s) & failed).sum())
        c.need(scen.loc[s, "n_runs_failed"] == nf, "scenario %d: n_runs_failed is %d, the run "
               "table has %d" % (s, scen.loc[s, "n_runs_failed"], nf))
        for m in facts["metrics"]:
            want = summarize(ok[m].to_numpy(), level)
            for k, suffix in enumerate(("_mean", "_ci_low", "_ci_high")):
                got = scen.loc[s, m + suffix]
                if c.need(close(got, want[k]), "scenario %d: %s%s is %r, recomputed %r" %
                          (s, m, suffix, got, want[k])):
                    compared += 1
    return compared


def check_xarray(c, facts, scen):
    engines = ["h5netcdf"]
    try:
        import netCDF4  # noqa: F401
        engines.append("netcdf4")
    except ImportError:
        c.notes.append("netCDF4 not installed: engine netcdf4 not tried")
    used = []
    for engine in engines:
        try:
            ds = xr.open_dataset(c.path, engine=engine, decode_timedelta=False)
        except Exception as e:  # noqa: BLE001 - report whatever the engine says
            c.fail("xarray engine %s cannot open the file: %s" % (engine, e))
            continue
        with ds:
            used.append(engine)
            for d, n in (("scenario", facts["S"]), ("run", facts["R"]), ("period", facts["P"]),
                         ("hour", 24)):
                c.need(ds.sizes.get(d) == n, "xarray (%s): dimension %s has size %r, expected %d"
                       % (engine, d, ds.sizes.get(d), n))
            c.need(ds.attrs.get("Conventions") == "CF-1.8",
                   "xarray (%s): root attributes not shown" % engine)
            m = facts["metrics"][0]
            c.need(ds[m].attrs.get("units") is not None and ds[m].attrs.get("long_name"),
                   "xarray (%s): units/long_name of '%s' not shown" % (engine, m))
            c.need(ds[m].dims == ("run",), "xarray (%s): '%s' has dims %r" % (engine, m, ds[m].dims))
            s0 = facts["series"][0]
            c.need(ds[s0].dims == ("run", "period"), "xarray (%s): '%s' has dims %r" %
                   (engine, s0, ds[s0].dims))
            c.need("staff.employees" in ds.coords,
                   "xarray (%s): parameters are not coordinates" % engine)
            c.need(np.allclose(ds[m + "_mean"].values, scen[m + "_mean"].to_numpy(),
                               equal_nan=True, rtol=0, atol=0),
                   "xarray (%s): '%s_mean' differs from h5py" % (engine, m))
            # select a scenario by parameter values (docs/results.md, "Reading with xarray"):
            # one parameter that tells the scenarios apart, else all that vary (a sweep)
            S = facts["S"]
            numeric = [p for p in ds.coords if ds[p].dims == ("scenario",) and p != "scenario"
                       and ds[p].dtype.kind in "iuf" and not np.isnan(ds[p].values.astype(float)).any()]
            varying = [p for p in numeric if len(np.unique(ds[p].values)) > 1]
            unique = [p for p in numeric if len(np.unique(ds[p].values)) == S]
            s = S - 1
            if "staff.employees" in unique:
                unique.remove("staff.employees")
                unique.insert(0, "staff.employees")
            if unique:
                param = unique[0]
                value = ds[param].values[s]
                a = ds.set_xindex(param).sel({param: value})
                b = ds.swap_dims({"scenario": param}).sel({param: value})
                for sel, how in ((a, "set_xindex"), (b, "swap_dims")):
                    c.need(int(sel["scenario"]) == s and close(sel[m + "_mean"], scen.loc[s, m + "_mean"]),
                           "xarray (%s): %s + sel(%s=%r) did not select scenario %d" %
                           (engine, how, param, value, s))
                c.notes.append("xarray (%s): ds.set_xindex(%r).sel({%r: %r}) -> scenario %d, "
                               "%s_mean = %.6g" % (engine, param, param, value, s, m,
                                                   float(a[m + "_mean"])))
            elif varying and len({tuple(ds[p].values[k] for p in varying) for k in range(S)}) == S:
                point = {p: ds[p].values[s] for p in varying}
                a = ds.set_xindex(varying).sel(point)  # "scenario" becomes the MultiIndex
                c.need(a["scenario_name"].item() == scen.loc[s, "scenario_name"] and
                       close(a[m + "_mean"], scen.loc[s, m + "_mean"]),
                       "xarray (%s): set_xindex(%r).sel(%r) did not select scenario %d" %
                       (engine, varying, point, s))
                c.notes.append("xarray (%s): ds.set_xindex(%r).sel(%r) -> scenario %d, %s_mean = %.6g"
                               % (engine, varying, point, s, m, float(a[m + "_mean"])))
    return used


def check_expected(c, facts, scen, expected_path):
    try:
        with open(expected_path, encoding="utf-8") as fh:
            expected = json.load(fh)
    except (OSError, ValueError) as e:
        c.fail("cannot read %s: %s" % (expected_path, e))
        return 0
    if "metrics" in expected:
        entries = [expected]
    else:
        entries = expected.get("scenarios", [])
    if not c.need(len(entries) == facts["S"], "%s describes %d scenarios, the file has %d" %
                  (expected_path, len(entries), facts["S"])):
        return 0
    if "confidence" in expected:
        c.need(close(expected["confidence"], facts["level"]), "%s: confidence %r, the file %r" %
               (expected_path, expected["confidence"], facts["level"]))
    compared = 0
    for s, entry in enumerate(entries):
        name = entry.get("scenario", entry.get("name"))
        if isinstance(name, str):
            c.need(scen.loc[s, "scenario_name"] == name, "scenario %d is '%s', %s says '%s'" %
                   (s, scen.loc[s, "scenario_name"], expected_path, name))
        for metric, vals in entry["metrics"].items():
            if not c.need(metric + "_mean" in scen.columns, "metric '%s' of %s is not in the file" %
                          (metric, expected_path)):
                continue
            for key in ("mean", "ci_low", "ci_high"):
                got = scen.loc[s, "%s_%s" % (metric, key)]
                if c.need(close(got, vals.get(key)), "scenario %d: %s_%s is %r, %s has %r" %
                          (s, metric, key, got, expected_path, vals.get(key))):
                    compared += 1
    return compared


def main(argv):
    if len(argv) not in (2, 3) or argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: %s FILE.h5 [EXPECTED.json]\n" % argv[0])
        return 2
    c = Checker(argv[1])
    try:
        f = h5py.File(argv[1], "r")
    except OSError as e:
        sys.stderr.write("check_results: %s: cannot open: %s\n" % (argv[1], e))
        return 1
    compared = n_expected = 0
    engines, runs = [], None
    with f:
        try:
            facts = check_h5py(c, f)
            if facts is not None:
                runs = run_table(f, facts)
                scen = scenario_table(f, facts)
                compared = check_values(c, f, facts, runs, scen)
                engines = check_xarray(c, facts, scen)
                if len(argv) == 3:
                    n_expected = check_expected(c, facts, scen, argv[2])
        except Exception as e:  # noqa: BLE001 - a malformed file must fail with a message
            c.fail("unexpected layout: %s: %s" % (type(e).__name__, e))
    for e in c.errors:
        sys.stderr.write("check_results: %s\n" % e)
    if c.errors:
        return 1
    for n in c.notes:
        print(n)
    print("ok: %s: %d scenarios, %d runs (%d failed), %d metrics, %d series x %d periods; "
          "%d summaries recomputed to %g; xarray engines: %s%s" %
          (argv[1], facts["S"], facts["R"], int((runs["status"] != 0).sum()), len(facts["metrics"]),
           len(facts["series"]), facts["P"], compared, TOL, ", ".join(engines),
           "; %d values match %s" % (n_expected, argv[2]) if len(argv) == 3 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
