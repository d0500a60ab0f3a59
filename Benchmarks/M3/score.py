#!/usr/bin/env python3
"""Score forecasts of the M3 competition set (shared/data/M3 layout) the same way for every model.

usage:
  score.py --m3 DIR --forecasts F.csv [F2.csv ...] [--column tsfc[,other]] [--times T.json]
           [--missing fill|skip] [--wql-levels default|all|0.1,0.5,0.9] [--out R.json] [--label NAME]
  score.py --merge R1.json R2.json ...      # one combined table from earlier --out files

Forecast files are in Nixtla's long format: `unique_id, ds, <model>` and optionally
`<model>-lo-80, <model>-hi-80, <model>-lo-95, <model>-hi-95` (any levels) and/or quantile
columns `<model>-q-0.1, ...`. Several files are concatenated (e.g. one per frequency group).
Rows are aligned with test.csv by series and step order (the first `horizon` rows of each
series in file order), never by the `ds` string, so the stamps may be dates, integers or absent.
Without --column every model column of the files is scored.

Metrics (per frequency group and overall):
  sMAPE     M3 competition definition: mean over the horizon of 200·|y−f| / (|y|+|f|), then the
            mean over series (0–200).
  MASE      mean |y−f| over the horizon ÷ the in-sample mean |x_t − x_{t−m}| of the training part,
            m = season_length from info.csv (1 if the series is not longer than m); series whose
            scale is 0 are left out of the mean (as shared/peers/competition_baselines.py).
            Overall = series-weighted mean of the group means.
  relMASE   geometric mean over the groups of (group mean MASE ÷ SeasonalNaive's group mean MASE),
            SeasonalNaive computed here from train.csv (last season repeated), so the ratio needs
            nothing else. Per group the table shows the plain ratio.
  WQL       GluonTS / Chronos weighted quantile loss: for each quantile level q,
            2·Σ pinball_q(y, ŷ_q) / Σ|y| over all series and steps of the group (pooled; overall
            pools all 3,003 series), then averaged over the levels. Default levels:
            0.025, 0.1, 0.5, 0.9, 0.975 — the bounds of the 80 % and 95 % intervals and the point
            forecast as the median, taken from `-q-` columns when present, else from the
            `-lo-/-hi-` columns, the point column standing in for 0.5 when there is no `-q-0.5`.
            The levels used are reported (`wql_levels`); `--wql-levels all` uses every `-q-`
            column instead.
  cov80/95  fraction of test points inside [lo, hi] of the 80 % / 95 % interval (from -lo/-hi-80,
            else -q-0.1/-q-0.9; -lo/-hi-95, else -q-0.025/-q-0.975).
  width80/95  mean relative interval width: Σ(hi − lo) / Σ|y| over the group's points (pooled).

Missing series (fewer than `horizon` rows, or NaN points): with --missing fill (default) their
point forecast is SeasonalNaive's and they count in sMAPE/MASE; the interval metrics use only
the series that have intervals. The number is reported (n_missing) and flagged in the table.
"""
import argparse
import json
import math
import os
import re
import sys

import numpy as np
import pandas as pd

GROUP_ORDER = ["yearly", "quarterly", "monthly", "other"]
DEFAULT_WQL_LEVELS = [0.025, 0.1, 0.5, 0.9, 0.975]
RESERVED = {"unique_id", "ds", "cutoff", "y", "index", "Unnamed: 0"}
INTERVAL_RE = re.compile(r"^(?P<model>.+)-(?P<side>lo|hi)-(?P<level>\d+(?:\.\d+)?)$")
QUANTILE_RE = re.compile(r"^(?P<model>.+)-q-(?P<q>0?\.\d+|0|1(?:\.0+)?)$")


# ---------------------------------------------------------------- data --------------------------

class M3:
    """train/test/info of the competition set: per series its group, season length, horizon,
    training values x, test values y, in info.csv order."""

    def __init__(self, m3_dir):
        info = pd.read_csv(os.path.join(m3_dir, "info.csv"), dtype={"unique_id": str})
        tr = pd.read_csv(os.path.join(m3_dir, "train.csv"), dtype={"unique_id": str, "ds": str})
        te = pd.read_csv(os.path.join(m3_dir, "test.csv"), dtype={"unique_id": str, "ds": str})
        xs = {u: g.to_numpy(dtype=float) for u, g in tr.groupby("unique_id", sort=False)["y"]}
        ys = {u: g.to_numpy(dtype=float) for u, g in te.groupby("unique_id", sort=False)["y"]}
        self.ids, self.group, self.m, self.h, self.x, self.y = [], {}, {}, {}, {}, {}
        for r in info.itertuples(index=False):
            u = r.unique_id
            if u not in xs or u not in ys:
                raise SystemExit(f"score.py: {u} of info.csv is missing from train.csv or test.csv")
            if len(ys[u]) != int(r.horizon):
                raise SystemExit(f"score.py: {u} has {len(ys[u])} test rows, info.csv horizon {r.horizon}")
            self.ids.append(u)
            self.group[u], self.m[u], self.h[u] = r.frequency, int(r.season_length), int(r.horizon)
            self.x[u], self.y[u] = xs[u], ys[u]
        present = set(self.group.values())
        self.groups = [g for g in GROUP_ORDER if g in present] + sorted(present - set(GROUP_ORDER))
        self.snaive = {u: seasonal_naive(self.x[u], self.m[u], self.h[u]) for u in self.ids}


def seasonal_naive(x, m, h):
    m = m if len(x) >= m else 1
    last = x[-m:]
    return np.array([last[k % m] for k in range(h)], dtype=float)


# ---------------------------------------------------------------- metrics -----------------------

def smape(y, f):
    return float(np.mean(200.0 * np.abs(y - f) / np.maximum(np.abs(y) + np.abs(f), 1e-12)))


def mase_scale(x, m):
    m = m if len(x) > m else 1
    if len(x) <= m:
        return float("nan")
    s = float(np.mean(np.abs(x[m:] - x[:-m])))
    return s if s > 0 else float("nan")


def mase(x, y, f, m):
    s = mase_scale(x, m)
    return float(np.mean(np.abs(y - f)) / s) if s == s else float("nan")


def pinball_sum(y, qhat, q):
    d = y - qhat
    return float(np.sum(np.maximum(q * d, (q - 1.0) * d)))


# ---------------------------------------------------------------- forecasts ---------------------

def read_forecasts(paths):
    frames = []
    for p in paths:
        df = pd.read_csv(p, dtype={"unique_id": str})
        if "unique_id" not in df.columns:
            raise SystemExit(f"score.py: {p} has no unique_id column (columns: {list(df.columns)})")
        frames.append(df)
    return pd.concat(frames, ignore_index=True, sort=False) if len(frames) > 1 else frames[0]


def model_columns(df):
    """{model: {"point": col, "intervals": {level: (lo, hi)}, "quantiles": {q: col}}}"""
    models = {}
    for c in df.columns:
        if c in RESERVED:
            continue
        if INTERVAL_RE.match(c) or QUANTILE_RE.match(c):
            continue
        models[c] = {"point": c, "intervals": {}, "quantiles": {}}
    for c in df.columns:
        mi, mq = INTERVAL_RE.match(c), QUANTILE_RE.match(c)
        if mi and mi["model"] in models:
            lv = float(mi["level"])
            lv = int(lv) if lv.is_integer() else lv
            models[mi["model"]]["intervals"].setdefault(lv, [None, None])[0 if mi["side"] == "lo" else 1] = c
        elif mq and mq["model"] in models:
            models[mq["model"]]["quantiles"][round(float(mq["q"]), 6)] = c
    for spec in models.values():
        spec["intervals"] = {lv: tuple(p) for lv, p in spec["intervals"].items() if None not in p}
    return models


def quantile_sources(spec, wql_levels):
    """[(q, column or None for 'the point column')] for the WQL, and a note on where they came from."""
    qs = spec["quantiles"]
    if wql_levels == "all":
        if not qs:
            return [], "no -q- columns"
        out = [(q, qs[q]) for q in sorted(qs)]
        if 0.5 not in qs:
            out = sorted(out + [(0.5, None)])
        return out, "all -q- columns" + ("" if 0.5 in qs else " + point as 0.5")
    wanted = DEFAULT_WQL_LEVELS if wql_levels == "default" else wql_levels
    from_intervals = {}
    for lv, (lo, hi) in spec["intervals"].items():
        a = round((1 - lv / 100.0) / 2, 6)
        from_intervals[a], from_intervals[round(1 - a, 6)] = lo, hi
    out, srcs = [], set()
    for q in wanted:
        q = round(q, 6)
        if q in qs:
            out.append((q, qs[q])); srcs.add("-q-")
        elif q in from_intervals:
            out.append((q, from_intervals[q])); srcs.add("-lo/-hi-")
        elif q == 0.5:
            out.append((0.5, None)); srcs.add("point as 0.5")
    if all(c is None for _, c in out):
        return [], "point forecast only: no WQL"
    missing = [q for q in wanted if round(q, 6) not in {q2 for q2, _ in out}]
    note = ", ".join(sorted(srcs)) + (f"; missing levels {missing}" if missing else "")
    return out, note


def interval_columns(spec, level):
    if level in spec["intervals"]:
        return spec["intervals"][level]
    a = round((1 - level / 100.0) / 2, 6)
    lo, hi = spec["quantiles"].get(a), spec["quantiles"].get(round(1 - a, 6))
    return (lo, hi) if lo and hi else None


# ---------------------------------------------------------------- scoring -----------------------

def score_model(m3, df, model, spec, missing="fill", wql_levels="default"):
    """Scores one model column of a forecast frame. Returns a dict with per-group and overall
    figures (JSON-ready)."""
    qsrc, qnote = quantile_sources(spec, wql_levels)
    ivs = {lv: interval_columns(spec, lv) for lv in (80, 95)}
    cols = [spec["point"]] + [c for _, c in qsrc if c] + [c for p in ivs.values() if p for c in p]
    cols = list(dict.fromkeys(cols))
    by_id = {u: g[cols].to_numpy(dtype=float) for u, g in df[["unique_id"] + cols].groupby("unique_id", sort=False)}
    ci = {c: k for k, c in enumerate(cols)}
    unknown = [u for u in by_id if u not in m3.group]

    acc = {g: {"n": 0, "n_missing": 0, "smape": [], "mase": [], "snaive_mase": [], "abs_y": 0.0,
               "ql": {q: 0.0 for q, _ in qsrc}, "ql_abs_y": 0.0, "n_q_series": 0,
               "cov": {80: [0, 0], 95: [0, 0]}, "width": {80: [0.0, 0.0], 95: [0.0, 0.0]}} for g in m3.groups}
    for u in m3.ids:
        g, h, m, x, y = m3.group[u], m3.h[u], m3.m[u], m3.x[u], m3.y[u]
        a = acc[g]
        arr = by_id.get(u)
        ok = arr is not None and len(arr) >= h and not np.isnan(arr[:h, 0]).any()
        if not ok:
            a["n_missing"] += 1
            if missing == "skip":
                continue
            f = m3.snaive[u]
        else:
            arr = arr[:h]
            f = arr[:, 0]
        a["n"] += 1
        a["smape"].append(smape(y, f))
        a["mase"].append(mase(x, y, f, m))
        a["snaive_mase"].append(mase(x, y, m3.snaive[u], m))
        if not ok:
            continue
        if qsrc:
            qv = [(q, arr[:, ci[c]] if c else f) for q, c in qsrc]
            if not any(np.isnan(v).any() for _, v in qv):
                a["n_q_series"] += 1
                a["ql_abs_y"] += float(np.sum(np.abs(y)))
                for q, v in qv:
                    a["ql"][q] += pinball_sum(y, v, q)
        for lv, p in ivs.items():
            if not p:
                continue
            lo, hi = arr[:, ci[p[0]]], arr[:, ci[p[1]]]
            if np.isnan(lo).any() or np.isnan(hi).any():
                continue
            a["cov"][lv][0] += int(np.sum((y >= lo) & (y <= hi)))
            a["cov"][lv][1] += h
            a["width"][lv][0] += float(np.sum(hi - lo))
            a["width"][lv][1] += float(np.sum(np.abs(y)))

    def finish(parts):
        n = sum(p["n"] for p in parts)
        out = {"n": n, "n_missing": sum(p["n_missing"] for p in parts)}
        if n == 0:
            return out
        out["smape"] = float(np.mean([s for p in parts for s in p["smape"]]))
        gm = [(p["n"], float(np.nanmean(p["mase"])), float(np.nanmean(p["snaive_mase"]))) for p in parts if p["n"]]
        out["mase"] = sum(k * v for k, v, _ in gm) / n
        out["snaive_mase"] = sum(k * v for k, _, v in gm) / n
        if len(parts) == 1:
            out["mase_ratio"] = out["mase"] / out["snaive_mase"]
        else:
            out["relative_mase"] = float(np.exp(np.mean([math.log(v / s) for _, v, s in gm])))
        qa = sum(p["ql_abs_y"] for p in parts)
        if qsrc and qa > 0:
            per_q = {q: 2.0 * sum(p["ql"][q] for p in parts) / qa for q, _ in qsrc}
            out["wql"] = float(np.mean(list(per_q.values())))
            out["wql_per_level"] = {str(q): v for q, v in per_q.items()}
            out["n_wql_series"] = sum(p["n_q_series"] for p in parts)
        for lv in (80, 95):
            hit, tot = sum(p["cov"][lv][0] for p in parts), sum(p["cov"][lv][1] for p in parts)
            if tot:
                out[f"coverage_{lv}"] = hit / tot
                out[f"width_{lv}"] = sum(p["width"][lv][0] for p in parts) / sum(p["width"][lv][1] for p in parts)
        return out

    res = {"groups": {g: finish([acc[g]]) for g in m3.groups},
           "overall": finish([acc[g] for g in m3.groups]),
           "wql_levels": [q for q, _ in qsrc], "wql_source": qnote,
           "intervals": sorted(str(k) for k, v in ivs.items() if v), "missing_policy": missing}
    if unknown:
        res["unknown_ids"] = len(unknown)
    return res


def attach_times(res, times):
    """times: {"total": s, "groups": {g: s}, ...} as written by run.sh / peers.py."""
    if not times:
        return res
    for key, field in (("groups", "seconds"), ("cpu_groups", "cpu_seconds")):
        for g, s in (times.get(key) or {}).items():
            if g in res["groups"]:
                res["groups"][g][field] = s
    if "total" in times:
        res["overall"]["seconds"] = times["total"]
    if "cpu_total" in times:
        res["overall"]["cpu_seconds"] = times["cpu_total"]
    for k, v in times.items():
        if k not in ("groups", "total", "cpu_groups", "cpu_total"):
            res.setdefault("timing", {})[k] = v
    return res


# ---------------------------------------------------------------- tables ------------------------

def _f(v, fmt):
    return "–" if v is None or (isinstance(v, float) and v != v) else format(v, fmt)


def markdown(results, groups=None):
    """results: {model: score_model(...) output}. Returns two markdown tables as one string."""
    if not results:
        return "(no results)"
    groups = groups or [g for g in GROUP_ORDER if any(g in r["groups"] for r in results.values())]
    lines = ["| model | " + " | ".join(f"{g} sMAPE / MASE" for g in groups)
             + " | overall sMAPE | overall MASE | relative MASE | WQL | cov 80 % | cov 95 % | wall (s) | CPU (s) |",
             "|---" * (len(groups) + 9) + "|"]
    for name, r in results.items():
        o = r["overall"]
        cells = []
        for g in groups:
            gr = r["groups"].get(g, {})
            cells.append(f"{_f(gr.get('smape'), '.2f')} / {_f(gr.get('mase'), '.3f')}")
        flag = f" ({o['n_missing']} missing)" if o.get("n_missing") else ""
        lines.append(f"| {name}{flag} | " + " | ".join(cells) + f" | {_f(o.get('smape'), '.2f')} | {_f(o.get('mase'), '.3f')}"
                     f" | {_f(o.get('relative_mase'), '.3f')} | {_f(o.get('wql'), '.4f')} | {_f(o.get('coverage_80'), '.3f')}"
                     f" | {_f(o.get('coverage_95'), '.3f')} | {_f(o.get('seconds'), '.1f')} | {_f(o.get('cpu_seconds'), '.1f')} |")
    lines += ["", "| model | group | n | missing | sMAPE | MASE | MASE ÷ SNaive | WQL | cov 80 % | cov 95 % | width 80 % | width 95 % | wall (s) | CPU (s) |",
              "|---" * 14 + "|"]
    for name, r in results.items():
        for g in groups + ["overall"]:
            gr = r["overall"] if g == "overall" else r["groups"].get(g)
            if gr is None:
                continue
            ratio = gr.get("relative_mase") if g == "overall" else gr.get("mase_ratio")
            lines.append(f"| {name} | {g} | {gr.get('n', 0)} | {gr.get('n_missing', 0)} | {_f(gr.get('smape'), '.2f')}"
                         f" | {_f(gr.get('mase'), '.3f')} | {_f(ratio, '.3f')} | {_f(gr.get('wql'), '.4f')}"
                         f" | {_f(gr.get('coverage_80'), '.3f')} | {_f(gr.get('coverage_95'), '.3f')}"
                         f" | {_f(gr.get('width_80'), '.3f')} | {_f(gr.get('width_95'), '.3f')} | {_f(gr.get('seconds'), '.1f')}"
                         f" | {_f(gr.get('cpu_seconds'), '.1f')} |")
    notes = sorted({f"{n}: WQL levels {r['wql_levels']} ({r['wql_source']})" for n, r in results.items() if r.get("wql_levels")})
    if notes:
        lines += ["", "WQL levels: " + "; ".join(notes)]
    return "\n".join(lines)


def score_files(m3, paths, columns=None, missing="fill", wql_levels="default", times=None, label=None):
    df = read_forecasts(paths)
    models = model_columns(df)
    if columns:
        absent = [c for c in columns if c not in models]
        if absent:
            raise SystemExit(f"score.py: column(s) {absent} not in {paths} (model columns: {list(models)})")
        models = {c: models[c] for c in columns}
    if not models:
        raise SystemExit(f"score.py: no model columns in {paths}")
    out = {}
    for name, spec in models.items():
        r = score_model(m3, df, name, spec, missing=missing, wql_levels=wql_levels)
        t = None
        if isinstance(times, dict):
            t = times[name] if name in times else (times if ("total" in times or "groups" in times) else None)
        r = attach_times(r, t)
        r["files"] = [os.path.abspath(p) for p in paths]
        out[(label or name) if len(models) == 1 else name] = r
    return out


def parse_levels(s):
    if s in ("default", "all"):
        return s
    return [float(v) for v in s.split(",") if v.strip()]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--m3", help="directory with train.csv, test.csv, info.csv")
    ap.add_argument("--forecasts", nargs="+", help="forecast CSV file(s), Nixtla long format")
    ap.add_argument("--column", help="comma-separated model column(s) to score (default: all)")
    ap.add_argument("--label", help="name of the row in the table/JSON (one column only)")
    ap.add_argument("--times", help='JSON with {"total": s, "groups": {group: s}} (or {model: {...}})')
    ap.add_argument("--missing", choices=["fill", "skip"], default="fill")
    ap.add_argument("--wql-levels", default="default", type=parse_levels)
    ap.add_argument("--out", help="write the results JSON here")
    ap.add_argument("--merge", nargs="+", metavar="JSON", help="print one table from earlier --out files")
    a = ap.parse_args(argv)

    if a.merge:
        results = {}
        for p in a.merge:
            with open(p) as f:
                results.update(json.load(f)["models"])
        print(markdown(results))
        if a.out:
            with open(a.out, "w") as f:
                json.dump({"models": results, "merged_from": a.merge}, f, indent=1)
        return
    if not a.m3 or not a.forecasts:
        ap.error("--m3 and --forecasts are required (or --merge)")
    m3 = M3(a.m3)
    times = None
    if a.times:
        with open(a.times) as f:
            times = json.load(f)
    cols = [c.strip() for c in a.column.split(",")] if a.column else None
    results = score_files(m3, a.forecasts, cols, a.missing, a.wql_levels, times, a.label)
    print(markdown(results, m3.groups))
    if a.out:
        with open(a.out, "w") as f:
            json.dump({"models": results, "m3": os.path.abspath(a.m3)}, f, indent=1)


if __name__ == "__main__":
    main()
