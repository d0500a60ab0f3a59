#!/usr/bin/env python3
"""Anomaly-detection benchmark for `tsfc detect` (issue 9).

For each labelled series it fits tsfc's residual and reconstruction detectors on the training
part (`tsfc detect --train ... --config Configs/detect-*.yaml --format json`) and scores the test
part; in the same run it scores simple baselines (k-sigma on raw values, scikit-learn
IsolationForest on sliding windows, i.i.d. random scores), then computes for every score vector:

* VUS-PR / VUS-ROC: TSB-AD 1.5 `RangeAUC_volume_opt`, buffer 100 (PyPI `TSB-AD`, installed --no-deps)
* PATE: PyPI `pate` package defaults (e = d = 100, buffers {0, 100}^2), as TriP-LLM reports
* best point F1 and point-adjusted F1 (PA-F1), both at the best threshold (oracle, legacy)
* scoring throughput (test points / second of fit + score wall time)

Data: the folders of the tsfc shared data set given with --data (SMD, ASD, SMAP_MSL, NAB,
UCR_anomaly); nothing is downloaded. Series used (fixed, see SERIES below): SMD machine-1-6,
2-1, 3-4; ASD omi-1..3; SMAP A-1; MSL C-1; 10 NAB files (one to three per category, first 15 %
trains); UCR 135-138. Train / test splits follow the data sets' own files (NAB: first 15 %).

Usage:
  python3 -m venv venv && venv/bin/pip install numpy scikit-learn && venv/bin/pip install --no-deps TSB-AD pate
  venv/bin/python Benchmarks/anomaly_bench.py --data ../shared/data --tsfc .build/release/tsfc --out results/anomaly
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

NAB_FILES = [
    "artificialWithAnomaly/art_daily_jumpsup.csv",
    "artificialWithAnomaly/art_increase_spike_density.csv",
    "realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv",
    "realAWSCloudwatch/rds_cpu_utilization_cc0c53.csv",
    "realAdExchange/exchange-2_cpc_results.csv",
    "realKnownCause/nyc_taxi.csv",
    "realKnownCause/ambient_temperature_system_failure.csv",
    "realTraffic/speed_7578.csv",
    "realTraffic/occupancy_6005.csv",
    "realTweets/Twitter_volume_GOOG.csv",
]
SMD_MACHINES = ["machine-1-6", "machine-2-1", "machine-3-4"]
ASD_ENTITIES = ["omi-1", "omi-2", "omi-3"]
WINDOW = 32  # IsolationForest window (as the peers' baseline)
PATE_TIMEOUT = 240  # seconds per PATE package call (it is slow on long series with many predicted ranges)


class Series:
    def __init__(self, dataset, name, train, test, labels):
        self.dataset, self.name = dataset, name
        self.train = np.asarray(train, dtype=np.float64)
        self.test = np.asarray(test, dtype=np.float64)
        if self.train.ndim == 1:
            self.train, self.test = self.train[:, None], self.test[:, None]
        self.labels = np.asarray(labels, dtype=int)
        assert len(self.labels) == len(self.test), name


def load_txt(path):
    return np.loadtxt(path, delimiter=",", ndmin=2)


def load_all(root: Path, want: set[str]) -> list[Series]:
    out = []
    if "SMD" in want:
        for m in SMD_MACHINES:
            out.append(Series("SMD", m, load_txt(root / f"SMD/train/{m}.txt"), load_txt(root / f"SMD/test/{m}.txt"),
                              np.loadtxt(root / f"SMD/test_label/{m}.txt")))
    if "ASD" in want:
        for m in ASD_ENTITIES:
            out.append(Series("ASD", m, load_txt(root / f"ASD/train/{m}.txt"), load_txt(root / f"ASD/test/{m}.txt"),
                              np.loadtxt(root / f"ASD/test_label/{m}.txt")))
    if "SMAP" in want or "MSL" in want:
        import csv
        ranges = {}
        with open(root / "SMAP_MSL/labeled_anomalies.csv") as f:
            for row in csv.DictReader(f):
                ranges[row["chan_id"]] = (row["spacecraft"], json.loads(row["anomaly_sequences"]))
        for ch in ["A-1", "C-1"]:
            craft, seqs = ranges[ch]
            if craft not in want:
                continue
            test = load_txt(root / f"SMAP_MSL/test/{ch}.csv")
            lab = np.zeros(len(test), dtype=int)
            for a, b in seqs:
                lab[a:b + 1] = 1  # inclusive ranges
            out.append(Series(craft, ch, load_txt(root / f"SMAP_MSL/train/{ch}.csv"), test, lab))
    if "NAB" in want:
        windows = json.load(open(root / "NAB/labels/combined_windows.json"))
        for name in NAB_FILES:
            stamps, values = [], []
            with open(root / "NAB/data" / name) as f:
                next(f)
                for line in f:
                    s, v = line.strip().split(",")
                    stamps.append(np.datetime64(s.replace(" ", "T")))
                    values.append(float(v))
            stamps = np.array(stamps)
            lab = np.zeros(len(values), dtype=int)
            for a, b in windows[name]:
                lo = np.datetime64(a.replace(" ", "T")[:19]); hi = np.datetime64(b.replace(" ", "T")[:19])
                lab[(stamps >= lo) & (stamps <= hi)] = 1
            cut = int(len(values) * 0.15)
            out.append(Series("NAB", name, values[:cut], values[cut:], lab[cut:]))
    if "UCR" in want:
        for p in sorted((root / "UCR_anomaly").glob("*.txt")):
            m = re.match(r"(\d+)_UCR_Anomaly_(\w+?)_(\d+)_(\d+)_(\d+)\.txt", p.name)
            if not m:
                continue
            v = np.loadtxt(p)
            tr, a, b = int(m.group(3)), int(m.group(4)), int(m.group(5))
            lab = np.zeros(len(v), dtype=int)
            lab[a:b] = 1
            out.append(Series("UCR", f"{m.group(1)}_{m.group(2)}", v[:tr], v[tr:], lab[tr:]))
    return out


# ----------------------------------------------------------------------------- detectors
def det_random(s: Series):
    return np.random.default_rng(0).random(len(s.test))


def det_ksigma(s: Series):
    mu, sd = s.train.mean(0), s.train.std(0)
    sd = np.where(sd > 1e-12, sd, 1.0)
    return np.abs((s.test - mu) / sd).max(1)


def det_iforest(s: Series):
    from sklearn.ensemble import IsolationForest
    mu, sd = s.train.mean(0), s.train.std(0)
    sd = np.where(sd > 1e-12, sd, 1.0)
    ztr, zte = (s.train - mu) / sd, (s.test - mu) / sd
    win = lambda x: np.lib.stride_tricks.sliding_window_view(x, WINDOW, axis=0).reshape(-1, x.shape[1] * WINDOW)
    model = IsolationForest(n_estimators=100, max_samples=256, random_state=0).fit(win(ztr))
    ctx = np.concatenate([ztr[-(WINDOW - 1):], zte]) if len(ztr) >= WINDOW - 1 else np.concatenate([np.repeat(zte[:1], WINDOW - 1, 0), zte])
    return -model.score_samples(win(ctx))  # window ending at each test step (causal)


def write_csv(path: Path, x: np.ndarray):
    cols = [f"c{i}" for i in range(x.shape[1])]
    with open(path, "w") as f:
        f.write(",".join(cols) + "\n")
        np.savetxt(f, x, delimiter=",", fmt="%.7g")


def det_tsfc(s: Series, scorer: str, args, work: Path):
    train, test = work / "train.csv", work / "test.csv"
    write_csv(train, s.train)
    write_csv(test, s.test)
    uni = s.train.shape[1] == 1
    name = ("detect-univariate" if uni else "detect-smd") + ("-residual" if scorer == "residual" else "")
    config = Path(args.configs) / f"{name}.yaml"
    out = work / "scores.json"
    cmd = [args.tsfc, "detect", str(test), "--train", str(train), "--config", str(config), "--format", "json",
           "--output", str(out), "--top-channels", "0", "--threads", str(args.threads)]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}\n{p.stderr}")
    doc = json.load(open(out))
    sc = np.array([r["score"] for r in doc["rows"]], dtype=np.float64)
    m = re.search(r"scored (\d+) rows × (\d+) channels in ([\d.]+) s", p.stderr)
    score_s = float(m.group(3)) if m else float("nan")
    return sc, wall, score_s, doc, p.stderr


# ----------------------------------------------------------------------------- metrics
def best_f1(y, s):
    order = np.argsort(-s, kind="mergesort")
    ys, ss = y[order], s[order]
    tp = np.cumsum(ys)
    k = np.r_[np.flatnonzero(np.diff(ss)), len(ss) - 1]  # last index of each distinct score
    tp, n = tp[k], k + 1
    prec, rec = tp / n, tp / max(y.sum(), 1)
    f1 = np.where(prec + rec > 0, 2 * prec * rec / np.maximum(prec + rec, 1e-12), 0)
    return float(f1.max())


def pa_f1(y, s):
    adj = s.copy()
    d = np.diff(np.r_[0, y, 0])
    for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)):
        adj[a:b] = s[a:b].max()
    return best_f1(y, adj)


def metrics(y, s):
    from TSB_AD.evaluation.basic_metrics import basic_metricor
    r = basic_metricor().RangeAUC_volume_opt(labels_original=y.astype(int), score=s, windowSize=100)
    out = {"VUS-ROC": float(r[4]), "VUS-PR": float(r[5]), "best-F1": best_f1(y, s), "PA-F1": pa_f1(y, s)}
    try:
        import sklearn.metrics._ranking as skr
        if not hasattr(skr, "_binary_clf_curve"):  # removed from recent scikit-learn; pate imports it
            def _bcc(y_true, y_score, pos_label=1, sample_weight=None):
                o = np.argsort(y_score, kind="mergesort")[::-1]
                ss, yy = np.asarray(y_score)[o], (np.asarray(y_true)[o] == pos_label).astype(float)
                idx = np.r_[np.flatnonzero(np.diff(ss)), len(ss) - 1]
                tps = np.cumsum(yy)[idx]
                return 1 + idx - tps, tps, ss[idx]
            skr._binary_clf_curve = _bcc
        import logging
        from pate.PATE_metric import PATE
        logging.getLogger().setLevel(logging.WARNING)
        import signal

        def _timeout(*_):
            raise TimeoutError(f"PATE package over {PATE_TIMEOUT} s")
        signal.signal(signal.SIGALRM, _timeout)
        signal.alarm(PATE_TIMEOUT)
        try:
            out["PATE"] = float(PATE(y.astype(int), s))
        finally:
            signal.alarm(0)
    except Exception as e:  # noqa: BLE001
        out["PATE"] = float("nan")
        out["PATE-error"] = repr(e)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="folder with SMD/, ASD/, SMAP_MSL/, NAB/, UCR_anomaly/")
    ap.add_argument("--tsfc", default=".build/release/tsfc")
    ap.add_argument("--configs", default="Configs")
    ap.add_argument("--datasets", default="UCR,NAB,ASD,SMAP,MSL,SMD")
    ap.add_argument("--detectors", default="ksigma,iforest,tsfc-residual,tsfc-reconstruction")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-pate", action="store_true", help="skip PATE (slow package)")
    ap.add_argument("--out", default="anomaly_results")
    args = ap.parse_args()
    wanted = args.datasets.split(",")
    series = sorted(load_all(Path(args.data), set(wanted)), key=lambda s: wanted.index(s.dataset))
    dets = args.detectors.split(",")
    rows = []
    T0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for s in series:
            for d in dets:
                t0 = time.perf_counter()
                extra = {}
                if d.startswith("tsfc-"):
                    sc, wall, score_s, doc, log = det_tsfc(s, d[5:], args, work)
                    extra = {"threshold": doc["threshold"], "alarms": int(sum(r["is_anomaly"] for r in doc["rows"])),
                             "score_s": score_s}
                else:
                    sc = {"random": det_random, "ksigma": det_ksigma, "iforest": det_iforest}[d](s)
                    wall = time.perf_counter() - t0
                assert sc.shape == (len(s.test),) and np.all(np.isfinite(sc)), (s.name, d, sc.shape)
                m = metrics(s.labels, sc) if not args.no_pate else metrics_no_pate(s.labels, sc)
                r = {"dataset": s.dataset, "series": s.name, "detector": d, "n_train": len(s.train), "n_test": len(s.test),
                     "channels": s.train.shape[1], "anomaly_ratio": float(s.labels.mean()), "wall_s": wall,
                     "pts_per_s": len(s.test) / max(wall, 1e-9), "metrics": m, **extra}
                rows.append(r)
                print(f"[{time.perf_counter() - T0:7.1f}s] {s.dataset:4s} {s.name[:38]:38s} {d:20s} {wall:7.2f}s "
                      f"VUS-PR {m['VUS-PR']:.3f} PATE {m.get('PATE', float('nan')):.3f} F1 {m['best-F1']:.3f} "
                      f"PA-F1 {m['PA-F1']:.3f}", flush=True)
                Path(args.out + ".json").write_text(json.dumps({"rows": rows}, indent=1))
    Path(args.out + ".md").write_text(markdown(rows))
    print(f"done in {time.perf_counter() - T0:.1f}s -> {args.out}.json / .md")


def metrics_no_pate(y, s):
    from TSB_AD.evaluation.basic_metrics import basic_metricor
    r = basic_metricor().RangeAUC_volume_opt(labels_original=y.astype(int), score=s, windowSize=100)
    return {"VUS-ROC": float(r[4]), "VUS-PR": float(r[5]), "best-F1": best_f1(y, s), "PA-F1": pa_f1(y, s), "PATE": float("nan")}


def markdown(rows):
    order = ["SMD", "ASD", "SMAP", "MSL", "NAB", "UCR"]
    dets = list(dict.fromkeys(r["detector"] for r in rows))
    L = ["| dataset (series, test pts) | detector | VUS-PR | PATE | best F1 | PA-F1 | VUS-ROC | fit+score s | test pts/s |",
         "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for ds in order:
        rs = [r for r in rows if r["dataset"] == ds]
        if not rs:
            continue
        n = len({r["series"] for r in rs})
        pts = sum(r["n_test"] for r in rs if r["detector"] == rs[0]["detector"])
        best = max(np.mean([r["metrics"]["VUS-PR"] for r in rs if r["detector"] == d]) for d in dets)
        for d in dets:
            dr = [r for r in rs if r["detector"] == d]
            if not dr:
                continue
            mean = lambda k: float(np.nanmean([r["metrics"][k] for r in dr]))
            wall = sum(r["wall_s"] for r in dr)
            v = f"{mean('VUS-PR'):.3f}"
            v = f"**{v}**" if abs(mean("VUS-PR") - best) < 5e-4 else v
            L.append(f"| {ds} ({n}, {pts:,}) | {d} | {v} | {mean('PATE'):.3f} | {mean('best-F1'):.3f} | {mean('PA-F1'):.3f} | "
                     f"{mean('VUS-ROC'):.3f} | {wall:.1f} | {pts / max(wall, 1e-9):,.0f} |")
    L.append("")
    L.append("| dataset | series | detector | VUS-PR | PATE | best F1 | PA-F1 | wall s |")
    L.append("|---|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        m = r["metrics"]
        L.append(f"| {r['dataset']} | {r['series']} | {r['detector']} | {m['VUS-PR']:.3f} | {m.get('PATE', float('nan')):.3f} | "
                 f"{m['best-F1']:.3f} | {m['PA-F1']:.3f} | {r['wall_s']:.1f} |")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    sys.exit(main())
