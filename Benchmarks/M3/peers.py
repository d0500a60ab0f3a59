#!/usr/bin/env python3
"""statsforecast baselines on M3 (zero-shot comparison rows for tsfc), scored by score.py.

usage: peers.py --m3 DIR --out results.json [--models Naive,SeasonalNaive,AutoETS,AutoTheta]
                [--arima] [--n-jobs 2] [--levels 80,95] [--forecasts-dir DIR] [--groups monthly,...]

One statsforecast model per series (a `StatsForecast(models=[model], freq=1, n_jobs=N)
.forecast(df, h, level=[80, 95])` call per model and frequency group), season lengths and the
competition horizons from info.csv, `ds` replaced by the step number 1, 2, ... (freq=1; the
stamps play no part in these models). Each call is timed (fit + forecast of every series of
the group, including statsforecast's process pool when n_jobs > 1); a model's time is the sum
over the groups. Models whose `forecast` takes no `level` (none of the defaults) are run
without intervals.

Forecasts are written in Nixtla's long format, one file per model
(`<forecasts-dir>/peer-<Model>.csv`: unique_id, ds, Model, Model-lo-80, ..., Model-hi-95), and
scored with score.py's functions, so these rows and tsfc's are computed by the same code.
The results JSON holds per model the scores, the times and the run's metadata (versions,
command, machine).

AutoARIMA is left out unless --arima is given: with season length 12 it did not finish the
1,428 monthly series in 14 minutes on the 2-vCPU development VM.
"""
import argparse
import datetime
import json
import os
import platform
import resource
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score  # noqa: E402

DEFAULT_MODELS = ["Naive", "SeasonalNaive", "AutoETS", "AutoTheta"]


def make_model(name, m):
    from statsforecast import models as sm
    return {"Naive": lambda: sm.Naive(),
            "SeasonalNaive": lambda: sm.SeasonalNaive(season_length=m),
            "AutoETS": lambda: sm.AutoETS(season_length=m),
            "AutoTheta": lambda: sm.AutoTheta(season_length=m),
            "AutoARIMA": lambda: sm.AutoARIMA(season_length=m)}[name]()


def load_train(m3_dir):
    tr = pd.read_csv(os.path.join(m3_dir, "train.csv"), dtype={"unique_id": str, "ds": str})
    tr["ds"] = tr.groupby("unique_id", sort=False).cumcount() + 1
    info = pd.read_csv(os.path.join(m3_dir, "info.csv"), dtype={"unique_id": str})
    return tr, info


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except Exception:  # noqa: BLE001
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 2**20:.1f} GiB"
    except Exception:  # noqa: BLE001
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "platform": platform.platform(),
            "loadavg_start": list(os.getloadavg())}


def versions():
    import statsforecast
    return {"python": platform.python_version(), "statsforecast": statsforecast.__version__,
            "pandas": pd.__version__, "numpy": np.__version__}


def cpu_seconds():
    """user + system CPU of this process and of its finished children (statsforecast's pool
    workers are waited for when a call returns), so a call's CPU time is robust to the
    machine's load where its wall time is not."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def run_model(name, groups, n_jobs, levels):
    """Forecasts every group with one model. Returns (frame, times)."""
    from statsforecast import StatsForecast
    frames, times = [], {"groups": {}, "cpu_groups": {}}
    for g, (sub, m, h) in groups.items():
        model = make_model(name, m)
        lv = list(levels) if levels else []
        t0, c0 = time.perf_counter(), cpu_seconds()
        try:
            fc = StatsForecast(models=[model], freq=1, n_jobs=n_jobs).forecast(df=sub, h=h, level=lv or None)
        except Exception as e:  # noqa: BLE001  a model without intervals: run it without
            if not lv:
                raise
            print(f"  {name} {g}: level={lv} failed ({type(e).__name__}: {e}); without intervals", flush=True)
            t0, c0 = time.perf_counter(), cpu_seconds()
            fc = StatsForecast(models=[make_model(name, m)], freq=1, n_jobs=n_jobs).forecast(df=sub, h=h)
            times.setdefault("no_intervals", []).append(g)
        secs, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        if "unique_id" not in fc.columns:
            fc = fc.reset_index()
        times["groups"][g] = round(secs, 2)
        times["cpu_groups"][g] = round(cpu, 2)
        print(f"  {name:14s} {g:10s} {sub.unique_id.nunique():5d} series  h={h:2d}  m={m:2d}  {secs:7.1f} s wall"
              f"  {cpu:7.1f} s CPU  load {os.getloadavg()[0]:.1f}", flush=True)
        frames.append(fc)
    times["total"] = round(sum(times["groups"].values()), 2)
    times["cpu_total"] = round(sum(times["cpu_groups"].values()), 2)
    times["n_jobs"] = n_jobs
    return pd.concat(frames, ignore_index=True), times


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--m3", required=True, help="directory with train.csv, test.csv, info.csv")
    ap.add_argument("--out", required=True, help="results JSON")
    ap.add_argument("--models", default=",".join(DEFAULT_MODELS))
    ap.add_argument("--arima", action="store_true", help="also AutoARIMA (slow: >14 min on monthly here)")
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--levels", default="80,95", help="interval levels ('' for none)")
    ap.add_argument("--groups", help="only these frequency groups (comma-separated; scores then cover only them)")
    ap.add_argument("--forecasts-dir", help="where peer-<Model>.csv go (default: next to --out)")
    a = ap.parse_args(argv)

    t_start = time.perf_counter()
    names = [s.strip() for s in a.models.split(",") if s.strip()]
    if a.arima and "AutoARIMA" not in names:
        names.append("AutoARIMA")
    levels = [int(v) for v in a.levels.split(",") if v.strip()]
    fdir = a.forecasts_dir or os.path.dirname(os.path.abspath(a.out))
    os.makedirs(fdir, exist_ok=True)

    tr, info = load_train(a.m3)
    wanted = set(a.groups.split(",")) if a.groups else None
    groups = {}
    for g in score.GROUP_ORDER + sorted(set(info.frequency) - set(score.GROUP_ORDER)):
        gi = info[info.frequency == g]
        if gi.empty or (wanted and g not in wanted):
            continue
        ms, hs = gi.season_length.unique(), gi.horizon.unique()
        if len(ms) != 1 or len(hs) != 1:
            raise SystemExit(f"peers.py: group {g} mixes season lengths {ms} or horizons {hs}")
        groups[g] = (tr[tr.unique_id.isin(set(gi.unique_id))], int(ms[0]), int(hs[0]))

    m3 = score.M3(a.m3)
    if wanted:  # score only the groups that were forecast
        m3.ids = [u for u in m3.ids if m3.group[u] in wanted]
        m3.groups = [g for g in m3.groups if g in wanted]
    meta = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": " ".join([os.path.basename(sys.executable)] + sys.argv), "machine": machine(),
            "versions": versions(), "m3": os.path.abspath(a.m3), "levels": levels}
    results = {}
    for name in names:
        fc, times = run_model(name, groups, a.n_jobs, levels)
        path = os.path.join(fdir, f"peer-{name}.csv")
        fc.to_csv(path, index=False)
        df = score.read_forecasts([path])
        spec = score.model_columns(df)[name]
        r = score.attach_times(score.score_model(m3, df, name, spec), times)
        r["files"] = [path]
        results[name] = r
        with open(a.out, "w") as f:  # after every model, so a stopped run keeps what it has
            json.dump({"models": results, "meta": meta}, f, indent=1)
    meta["process_seconds"] = round(time.perf_counter() - t_start, 1)
    meta["machine"]["loadavg_end"] = list(os.getloadavg())
    with open(a.out, "w") as f:
        json.dump({"models": results, "meta": meta}, f, indent=1)
    print()
    print(score.markdown(results, m3.groups))
    print(f"\nstatsforecast {meta['versions']['statsforecast']}, n_jobs={a.n_jobs}; whole process {meta['process_seconds']} s; "
          f"results: {a.out}")


if __name__ == "__main__":
    main()
