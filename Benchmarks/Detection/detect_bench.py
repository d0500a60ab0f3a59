#!/usr/bin/env python3
"""Detection benchmark for `tsfc detect` (issue 18): every tsfc scorer beside the simple baselines.

Series, splits, metrics and baselines are those of the peers' script
(`shared/peers/anomaly_baselines.py`, imported, not copied): SMD (3 machines, per machine and
concatenated), ASD (3), SMAP A-1, MSL C-1, NAB (all 52 files with a labelled window after the
15 % training prefix), UCR 135-138. For each series this script

* writes the training and test parts to temporary CSVs (columns c0…, a minute timestamp so that
  the test file continues the training file and tsfc prepends its tail as context, as the peers
  prepend theirs) — the benchmark data never enter the repository;
* runs `tsfc detect TEST --train TRAIN --scorer S --format json` for every tsfc scorer (the
  default configuration otherwise: window from the period, robust normalisation, POT threshold
  with the default event options) and reads the scores, the flags and the fit / score seconds;
* runs the peers' baselines in the same process and session (window scores centred);
* computes with the peers' metric code: VUS-PR, PATE, AUC-PR (average precision), best F1 and
  point-adjusted F1 (both at the oracle threshold), F1 at tsfc's own threshold, and, for tsfc,
  the events: false events (touching no labelled window) and labelled windows hit.

Usage (nice'd; the data folder is read in place):
  nice -n 15 ~/.cache/tsfc-peers/advenv/bin/python Benchmarks/Detection/detect_bench.py \
      --data /work/shared/data --tsfc .build/release/tsfc --out /tmp/detect_bench
Outputs OUT.json (per series) and OUT.md (tables per dataset).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TSFC_SCORERS = ["default", "knn", "lof", "ridge", "ensemble"]
PEER_DETECTORS = ["ksigma", "iforest", "ridge_mean", "knn", "lof"]
DATASETS = ["SMD", "SMD-cat", "ASD", "SMAP", "MSL", "NAB", "UCR"]
COLS = ["VUS-PR", "PATE", "AUC-PR", "best-F1", "PA-F1"]


def load_peers(path: Path):
    spec = importlib.util.spec_from_file_location("anomaly_baselines", path)
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    spec.loader.exec_module(mod)
    return mod


def write_csv(path: Path, x: np.ndarray, start: int) -> None:
    """Columns c0…; `ds` minutes from 2000-01-01 + start (so test continues train)."""
    base = np.datetime64("2000-01-01T00:00")
    stamps = (base + np.arange(start, start + len(x)).astype("timedelta64[m]")).astype(str)
    with path.open("w") as f:
        f.write("ds," + ",".join(f"c{k}" for k in range(x.shape[1])) + "\n")
        for t, row in zip(stamps, x):
            f.write(t + "," + ",".join(repr(float(v)) for v in row) + "\n")


def run_tsfc(binary: str, train: Path, test: Path, scorer: str | None, threads: int | None) -> dict:
    cmd = [binary, "detect", str(test), "--train", str(train), "--format", "json", "--top-channels", "0"]
    if scorer and scorer != "default":  # "knn" or "knn:32" (a fixed --window); "default": no --scorer
        name, _, window = scorer.partition(":")
        cmd += ["--scorer", name] + (["--window", window] if window else [])
    if threads:
        cmd += ["--threads", str(threads)]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr[-2000:]}")
    doc = json.loads(p.stdout)
    doc["wall_s"] = wall
    doc["stderr"] = p.stderr
    return doc


def event_counts(labels: np.ndarray, events: list[dict], events_of) -> dict:
    """False events (overlapping no labelled window) and labelled windows hit by some event."""
    wins = events_of(labels)
    false_ev, hit = 0, set()
    for e in events:
        a, b = e["first_step"], e["last_step"]
        touched = [k for k, (s, t) in enumerate(wins) if a <= t and s <= b]
        hit.update(touched)
        false_ev += not touched
    return {"events": len(events), "false_events": false_ev, "windows": len(wins), "windows_hit": len(hit)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="the shared data folder (SMD, ASD, SMAP_MSL, NAB, UCR_anomaly)")
    ap.add_argument("--tsfc", default=".build/release/tsfc")
    ap.add_argument("--peers-script", default="/work/shared/peers/anomaly_baselines.py")
    ap.add_argument("--datasets", default=",".join(DATASETS))
    ap.add_argument("--scorers", default=",".join(TSFC_SCORERS), help="tsfc scorers (--scorer values)")
    ap.add_argument("--peers", default=",".join(PEER_DETECTORS), help="peers' detectors ('' for none)")
    ap.add_argument("--threads", type=int, default=None, help="tsfc --threads")
    ap.add_argument("--out", default="detect_bench")
    ap.add_argument("--render", nargs="+", metavar="JSON",
                    help="only print the tables of earlier runs' OUT.json files (per-series rows joined; a later file's row replaces an earlier one)")
    ap.add_argument("--default", default=None, help="with --render: the tsfc row (e.g. 'tsfc knn:32') to label as the default")
    args = ap.parse_args()
    if args.render:
        # Later files replace earlier rows of the same series and detector (a rerun of some scorers).
        keyed = {(r["dataset"], r["series"], r["detector"]): r
                 for f in args.render for r in json.loads(Path(f).read_text())["per_series"]}
        rows = list(keyed.values())
        tsfc = list(dict.fromkeys(r["detector"][5:] for r in rows if r["detector"].startswith("tsfc ")))
        peers = list(dict.fromkeys(r["detector"] for r in rows if not r["detector"].startswith("tsfc ")))
        print(markdown(rows, tsfc, peers, args.default))
        return 0

    pb = load_peers(Path(args.peers_script))
    root, want = Path(args.data), args.datasets.split(",")
    series = []
    if "SMD" in want or "SMD-cat" in want:
        smd = pb.load_smd(root, 0)
        series += smd if "SMD" in want else []
        if "SMD-cat" in want:
            series.append(pb.concat_series(smd, "SMD-cat", "3 machines concatenated"))
    if "ASD" in want:
        series += pb.load_asd(root)
    if "SMAP" in want or "MSL" in want:
        series += [s for s in pb.load_smap_msl(root) if s.dataset in want]
    if "NAB" in want:
        series += pb.load_nab(root, "all")
    if "UCR" in want:
        series += pb.load_ucr(root)

    scorers = [s for s in args.scorers.split(",") if s]
    peers = [d for d in args.peers.split(",") if d]
    results, failures, T0 = [], [], time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for sr in series:
            tr, te = Path(tmp) / "train.csv", Path(tmp) / "test.csv"
            write_csv(tr, sr.train, 0)
            write_csv(te, sr.test, len(sr.train))
            base = {"dataset": sr.dataset, "series": sr.name, "n_train": len(sr.train), "n_test": len(sr.test),
                    "channels": sr.train.shape[1]}
            for s in scorers:
                try:
                    doc = run_tsfc(args.tsfc, tr, te, s, args.threads)
                except RuntimeError as e:  # recorded and reported, the run goes on
                    failures.append({**base, "detector": f"tsfc {s}", "error": str(e)[-600:]})
                    print(f"FAILED {sr.dataset} {sr.name} tsfc {s}: {str(e)[-300:]}", flush=True)
                    continue
                sc = np.array([r["score"] for r in doc["rows"]], dtype=np.float64)
                flags = np.array([r["is_anomaly"] for r in doc["rows"]], dtype=bool)
                assert len(sc) == len(sr.test), (sr.name, s, len(sc), len(sr.test))
                m = pb.all_metrics(sr.labels, sc)
                m["F1@threshold"] = pb.binary_point_metrics(sr.labels, flags)["F1"]
                m["flagged"] = float(flags.mean())
                results.append({**base, "detector": f"tsfc {s}", "fit_s": doc["fit_seconds"], "score_s": doc["score_seconds"],
                                "wall_s": doc["wall_s"], "metrics": m,
                                "events": event_counts(sr.labels, doc["events"], pb.events_of),
                                "notes": [l.strip() for l in doc["stderr"].splitlines() if "chose" in l or "warning" in l or "note:" in l]})
                log(T0, sr, f"tsfc {s}", results[-1])
            for d in peers:
                sc, fit_s, score_s = pb.DETECTORS[d](sr.train, sr.test)
                results.append({**base, "detector": d, "fit_s": fit_s, "score_s": score_s, "wall_s": fit_s + score_s,
                                "metrics": pb.all_metrics(sr.labels, sc)})
                log(T0, sr, d, results[-1])
            save(args, T0, results, failures)  # after every series: a crash keeps what was measured
    save(args, T0, results, failures)
    Path(args.out + ".md").write_text(markdown(results, scorers, peers))
    print(f"done in {time.perf_counter() - T0:.0f}s, {len(failures)} failed runs -> {args.out}.json / .md")
    return 0


def save(args, T0, results, failures):
    meta = {"date": time.strftime("%Y-%m-%d"), "total_s": time.perf_counter() - T0, "args": vars(args)}
    Path(args.out + ".json").write_text(json.dumps({"meta": meta, "per_series": results, "failures": failures}, indent=1))


def log(T0, sr, det, r):
    m = r["metrics"]
    print(f"[{time.perf_counter() - T0:7.1f}s] {sr.dataset:7s} {sr.name[:38]:38s} {det:14s} fit {r['fit_s']:6.2f}s "
          f"score {r['score_s']:6.2f}s VUS-PR {m['VUS-PR']:.3f} PATE {m['PATE']:.3f} AUC-PR {m['AUC-PR']:.3f}", flush=True)


def markdown(results: list[dict], scorers: list[str], peers: list[str], default: str | None = None) -> str:
    """Per dataset, the mean over its series; best of each metric in bold; rows/s = test rows over
    fit + score seconds; events and false events (touching no labelled window) per series."""
    dets = [f"tsfc {s}" for s in scorers] + peers
    L = ["| dataset (series) | detector | VUS-PR | PATE | AUC-PR | best F1 | PA-F1 | F1 @ thr | flagged | rows/s (fit+score) | events / series (false) | windows hit |",
         "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for ds in DATASETS:
        rs = [r for r in results if r["dataset"] == ds]
        if not rs:
            continue
        best = {k: max(np.mean([r["metrics"][k] for r in rs if r["detector"] == d]) for d in dets
                       if any(r["detector"] == d for r in rs)) for k in COLS}
        for d in dets:
            g = [r for r in rs if r["detector"] == d]
            if not g:
                continue
            cells = []
            for k in COLS:
                v = np.mean([r["metrics"][k] for r in g])
                cells.append(f"**{v:.3f}**" if abs(v - best[k]) < 5e-4 else f"{v:.3f}")
            rate = sum(r["n_test"] for r in g) / max(sum(r["fit_s"] + r["score_s"] for r in g), 1e-9)
            if d.startswith("tsfc"):
                f1 = f"{np.mean([r['metrics']['F1@threshold'] for r in g]):.3f}"
                fl = f"{100 * np.mean([r['metrics']['flagged'] for r in g]):.1f} %"
                ev = [sum(r["events"][k] for r in g) / len(g) for k in ("events", "false_events")]
                hit = sum(r["events"]["windows_hit"] for r in g), sum(r["events"]["windows"] for r in g)
                tail = f"{f1} | {fl} | {rate:,.0f} | {ev[0]:.1f} ({ev[1]:.1f}) | {hit[0]}/{hit[1]}"
            else:
                tail = f"– | – | {rate:,.0f} | – | –"
            name = f"**{d} (default)**" if d == default else d
            L.append(f"| {ds} ({len(g)}) | {name} | " + " | ".join(cells) + f" | {tail} |")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    sys.exit(main())
