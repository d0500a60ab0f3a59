#!/usr/bin/env python3
"""statsforecast `cross_validation` on the M3 monthly panel, beside `tsfc backtest`, scored alike.

usage:
  backtest_peer.py --m3 DIR --out R.json [--group monthly] [--part full|train] [--models SeasonalNaive,AutoETS]
                   [--horizon 18] [--windows 3] [--step 18] [--n-jobs 2] [--levels 80,95]
  backtest_peer.py --m3 DIR --score-frame tsfc-backtest.csv [--columns seasonal_naive,tsfc] [--times T.json] --out R.json

The panel is one frequency group of M3 (default: the 1,428 monthly series) with season length
from info.csv. `--part full` (default) uses each whole series (train.csv + test.csv, as
split.py's full-<group>.csv), so every series has 3 windows of 18 and the last window is the
competition hold-out (the shortest monthly series, 66 points, keeps 12 points before its first
cutoff); `--part train` uses the training parts only (48–126 points: statsforecast then needs
every series to hold the windows, `tsfc backtest` gives short series fewer windows).

Each model is one `StatsForecast(models=[model], freq=1, n_jobs=N).cross_validation(df, h,
n_windows, step_size, level=[80, 95])` call (refit per window, statsforecast's default), timed
from the call to its return. The frame is written as `cv-<Model>.csv` next to --out.

Scores over all windows (the same code for statsforecast's and tsfc's frames): sMAPE (M3
definition, mean over windows), MASE (scale: in-sample seasonal difference of the series up to
the window's cutoff, mean over windows), WQL over the levels 0.025, 0.1, 0.5, 0.9, 0.975 (interval
bounds and the point as 0.5; pooled over all windows), coverage and relative width of the 80 %
and 95 % intervals. Windows are aligned by series, cutoff order and step order; each frame's `y`
is checked against the panel, so a misaligned frame is refused rather than mis-scored.
"""
import argparse
import datetime
import json
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score  # noqa: E402
import peers  # noqa: E402


def load_panel(m3_dir, group, part):
    info = pd.read_csv(os.path.join(m3_dir, "info.csv"), dtype={"unique_id": str})
    gi = info[info.frequency == group]
    if gi.empty:
        raise SystemExit(f"backtest_peer.py: no series of frequency {group!r} in info.csv")
    ids = set(gi.unique_id)
    parts = [pd.read_csv(os.path.join(m3_dir, "train.csv"), dtype={"unique_id": str, "ds": str})]
    if part == "full":
        parts.append(pd.read_csv(os.path.join(m3_dir, "test.csv"), dtype={"unique_id": str, "ds": str}))
    df = pd.concat(parts, ignore_index=True)
    df = df[df.unique_id.isin(ids)]
    order = {u: k for k, u in enumerate(gi.unique_id)}
    df = df.assign(_o=df.unique_id.map(order), _p=np.arange(len(df)))  # train rows before test rows
    df = df.sort_values(["_o", "_p"], kind="stable").drop(columns=["_o", "_p"]).reset_index(drop=True)
    df["ds"] = df.groupby("unique_id", sort=False).cumcount() + 1
    return df, int(gi.season_length.iloc[0]), int(gi.horizon.iloc[0])


def score_cv(frame, panel, column, m, h, n_windows, step, levels_wql=score.DEFAULT_WQL_LEVELS):
    """Scores one model column of a cross-validation frame (unique_id, cutoff, y, model, model-lo-80 ...)."""
    spec = score.model_columns(frame.drop(columns=[c for c in ("y", "cutoff") if c in frame.columns]))[column]
    qsrc, qnote = score.quantile_sources(spec, levels_wql)
    ivs = {lv: score.interval_columns(spec, lv) for lv in (80, 95)}
    series = {u: g.to_numpy(dtype=float) for u, g in panel.groupby("unique_id", sort=False)["y"]}
    sm, ms, n_win = [], [], 0
    ql = {q: 0.0 for q, _ in qsrc}
    absy = 0.0
    cov = {lv: [0, 0, 0.0, 0.0] for lv in ivs}
    for u, g in frame.groupby("unique_id", sort=False):
        x = series.get(u)
        if x is None:
            raise SystemExit(f"backtest_peer.py: {u} of the frame is not in the panel")
        cutoffs = list(dict.fromkeys(g["cutoff"].tolist()))
        k0 = n_windows - len(cutoffs)  # a series given fewer windows keeps the last ones
        for j, c in enumerate(cutoffs):
            w = g[g["cutoff"] == c]
            start = len(x) - h - (n_windows - 1 - (k0 + j)) * step
            y = x[start:start + h]
            if len(w) != h or start <= 0 or not np.allclose(w["y"].to_numpy(float), y, rtol=1e-4, atol=1e-3):
                raise SystemExit(f"backtest_peer.py: {u} window {j} (cutoff {c}) does not line up with the panel "
                                 f"(h={h}, windows={n_windows}, step={step})")
            f = w[column].to_numpy(float)
            n_win += 1
            sm.append(score.smape(y, f))
            ms.append(score.mase(x[:start], y, f, m))
            if qsrc:
                absy += float(np.sum(np.abs(y)))
                for q, col in qsrc:
                    ql[q] += score.pinball_sum(y, w[col].to_numpy(float) if col else f, q)
            for lv, p in ivs.items():
                if p:
                    lo, hi = w[p[0]].to_numpy(float), w[p[1]].to_numpy(float)
                    cov[lv][0] += int(np.sum((y >= lo) & (y <= hi)))
                    cov[lv][1] += h
                    cov[lv][2] += float(np.sum(hi - lo))
                    cov[lv][3] += float(np.sum(np.abs(y)))
    out = {"windows": n_win, "series": int(frame.unique_id.nunique()), "smape": float(np.mean(sm)),
           "mase": float(np.nanmean(ms))}
    if qsrc and absy > 0:
        out["wql"] = float(np.mean([2 * v / absy for v in ql.values()]))
        out["wql_levels"], out["wql_source"] = [q for q, _ in qsrc], qnote
    for lv, (hit, tot, wsum, ysum) in cov.items():
        if tot:
            out[f"coverage_{lv}"], out[f"width_{lv}"] = hit / tot, wsum / ysum
    return out


def markdown(results):
    f = score._f
    lines = ["| model | series | windows | sMAPE | MASE | WQL | cov 80 % | cov 95 % | width 80 % | width 95 % | wall (s) | CPU (s) |",
             "|---" * 12 + "|"]
    for name, r in results.items():
        lines.append(f"| {name} | {r.get('series')} | {r.get('windows')} | {f(r.get('smape'), '.2f')} | {f(r.get('mase'), '.3f')}"
                     f" | {f(r.get('wql'), '.4f')} | {f(r.get('coverage_80'), '.3f')} | {f(r.get('coverage_95'), '.3f')}"
                     f" | {f(r.get('width_80'), '.3f')} | {f(r.get('width_95'), '.3f')} | {f(r.get('seconds'), '.2f')}"
                     f" | {f(r.get('cpu_seconds'), '.2f')} |")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--m3", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--group", default="monthly")
    ap.add_argument("--part", choices=["full", "train"], default="full")
    ap.add_argument("--models", default="SeasonalNaive,AutoETS")
    ap.add_argument("--horizon", type=int, help="default: the group's competition horizon (monthly 18)")
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--step", type=int, help="default: the horizon")
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--levels", default="80,95")
    ap.add_argument("--score-frame", help="score this cross-validation frame (e.g. tsfc backtest --output) instead of running statsforecast")
    ap.add_argument("--columns", help="with --score-frame: model columns to score (default: all)")
    ap.add_argument("--times", help='with --score-frame: JSON {"total": s} of the run that wrote it')
    ap.add_argument("--label-prefix", default="", help="prefix for the row names (e.g. 'tsfc ')")
    ap.add_argument("--exclude", default="", help="series ids to leave out of the scores (comma-separated), e.g. to show "
                    "how much one exploding interval weighs in the pooled WQL; the run itself is unchanged")
    ap.add_argument("--rescore", metavar="JSON", help="rescore the cv-<Model>.csv frames of an earlier run (with --exclude) instead of running statsforecast")
    a = ap.parse_args(argv)

    t_start = time.perf_counter()
    panel, m, h_default = load_panel(a.m3, a.group, a.part)
    h = a.horizon or h_default
    step = a.step or h
    levels = [int(v) for v in a.levels.split(",") if v.strip()]
    meta = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": " ".join([os.path.basename(sys.executable)] + sys.argv), "group": a.group, "part": a.part,
            "series": int(panel.unique_id.nunique()), "rows": len(panel), "season_length": m, "horizon": h,
            "windows": a.windows, "step": step, "machine": peers.machine()}
    results = {}
    excluded = {u.strip() for u in a.exclude.split(",") if u.strip()}
    if excluded:
        meta["excluded"] = sorted(excluded)
    if a.rescore:
        prev = json.load(open(a.rescore))
        for name, r in prev["models"].items():
            fr = pd.read_csv(r["frame"], dtype={"unique_id": str})
            fr = fr[~fr.unique_id.isin(excluded)]
            col = name[len(a.label_prefix):] if a.label_prefix and name.startswith(a.label_prefix) else name.split(": ")[-1]
            r2 = score_cv(fr, panel, col, m, h, a.windows, step)
            r2.update({k: r[k] for k in ("seconds", "cpu_seconds", "n_jobs", "frame") if k in r})
            results[name + (f" (without {', '.join(sorted(excluded))})" if excluded else "")] = r2
        meta["rescored"] = os.path.abspath(a.rescore)
    elif a.score_frame:
        fr = pd.read_csv(a.score_frame, dtype={"unique_id": str, "cutoff": str})
        fr = fr[~fr.unique_id.isin(excluded)]
        cols = [c.strip() for c in a.columns.split(",")] if a.columns else \
            list(score.model_columns(fr.drop(columns=[c for c in ("y", "cutoff") if c in fr.columns])))
        times = json.load(open(a.times)) if a.times else {}
        for c in cols:
            r = score_cv(fr, panel, c, m, h, a.windows, step)
            if "total" in times:
                r["seconds"] = times["total"]
                if "cpu_total" in times:
                    r["cpu_seconds"] = times["cpu_total"]
                r["seconds_note"] = "whole tsfc backtest process (all its columns at once)"
            results[a.label_prefix + c] = r
        meta["frame"] = os.path.abspath(a.score_frame)
    else:
        from statsforecast import StatsForecast
        meta["versions"] = peers.versions()
        fdir = os.path.dirname(os.path.abspath(a.out))
        for name in [s.strip() for s in a.models.split(",") if s.strip()]:
            t0, c0 = time.perf_counter(), peers.cpu_seconds()
            cv = StatsForecast(models=[peers.make_model(name, m)], freq=1, n_jobs=a.n_jobs).cross_validation(
                df=panel, h=h, n_windows=a.windows, step_size=step, level=levels or None)
            secs, cpu = time.perf_counter() - t0, peers.cpu_seconds() - c0
            if "unique_id" not in cv.columns:
                cv = cv.reset_index()
            path = os.path.join(fdir, f"cv-{name}.csv")
            cv.to_csv(path, index=False)
            r = score_cv(cv, panel, name, m, h, a.windows, step)
            r["seconds"], r["cpu_seconds"] = round(secs, 2), round(cpu, 2)
            r["n_jobs"], r["loadavg_after"] = a.n_jobs, os.getloadavg()[0]
            r["frame"] = path
            results[a.label_prefix + name] = r
            print(f"  {name:14s} cross_validation {meta['series']} series x {a.windows} windows of {h}: {secs:7.2f} s wall, {cpu:7.2f} s CPU, load {os.getloadavg()[0]:.1f}", flush=True)
    meta["process_seconds"] = round(time.perf_counter() - t_start, 1)
    with open(a.out, "w") as f:
        json.dump({"models": results, "meta": meta}, f, indent=1)
    print(markdown(results))


if __name__ == "__main__":
    main()
