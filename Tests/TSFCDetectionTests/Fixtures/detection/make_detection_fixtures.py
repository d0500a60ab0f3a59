#!/usr/bin/env python3
"""Writes metrics.json and pot.json for tsfc's detection tests (run by hand; tests never run Python).

metrics.json: random label/score cases, every metric computed by the project's Python reference
implementation (peers/anomaly_baselines.py, whose VUS and PATE match the TSB-AD and PATE packages to
1e-15 on real data) and by scikit-learn. pot.json: generalized Pareto fits of excesses by scipy's
maximum likelihood (genpareto.fit with floc=0) and the resulting SPOT thresholds.

Usage: PEERS=/path/to/peers $VENV/bin/python make_detection_fixtures.py
"""
import json, os, sys
import numpy as np

sys.path.insert(0, os.environ["PEERS"])
import anomaly_baselines as ab  # noqa: E402
from scipy.stats import genpareto  # noqa: E402


def f32(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32)]


def labels_with_events(rng, n, k, max_len):
    y = np.zeros(n, dtype=int)
    for _ in range(k):
        a = int(rng.integers(0, n - 1))
        y[a:min(n, a + int(rng.integers(1, max_len + 1)))] = 1
    return y


cases = []
rng = np.random.default_rng(20261126)
specs = [  # n, events, max event length, score ties (rounding), signal strength
    (300, 3, 25, None, 1.0), (400, 5, 12, 1, 0.8), (250, 1, 40, None, 0.3),
    (500, 8, 6, 2, 1.5), (350, 4, 30, None, 0.0),
]
for ci, (n, k, L, dec, sig) in enumerate(specs):
    y = labels_with_events(rng, n, k, L)
    if ci == 2:
        y[:5] = 1          # an event at the very start
        y[-3:] = 1         # and one at the very end
    s = rng.random(n) + sig * y * rng.random(n)
    if dec is not None:
        s = np.round(s, dec)
    s = np.asarray(s, dtype=np.float32).astype(np.float64)
    thr = float(np.quantile(s, 0.9))
    pred = (s > thr).astype(int)
    pm = ab.point_metrics(y, s)
    bm = ab.binary_point_metrics(y, pred)
    vr, vp = ab.vus(y, s, 30)
    lr, lp = ab.vus_legacy(y, s, 30)
    ap, ar, af = ab.affiliation_f1(y, pred, step=0.001)
    tp = int(np.sum((y == 1) & (pred == 1)))
    cases.append({
        "labels": y.tolist(), "scores": f32(s), "predictions": pred.tolist(),
        "auc_roc": pm["AUC-ROC"], "average_precision": pm["AUC-PR"], "auc_pr": pm["AUC-PR-trapz"],
        "best_f1": pm["best-F1"], "best_pa_f1": pm["PA-F1"],
        "point_precision": tp / max(pred.sum(), 1), "point_recall": tp / max(y.sum(), 1),
        "pa_precision": bm["PA-P"], "pa_recall": bm["PA-R"],
        "vus_window": 30, "vus_roc": vr, "vus_pr": vp, "vus_legacy_roc": lr, "vus_legacy_pr": lp,
        "pate_buffer": 15,
        "pate_default": ab.pate(y, s, 15, 15),
        "pate_all_thresholds_no_zero": ab.pate(y, s, 15, 15, include_zero=False, big_data=False),
        "pate_two_splits": ab.pate(y, s, 15, 15, include_zero=True, n_splits=2),
        "pate_f1": ab.pate_f1(y, pred, 15, 15),
        "affiliation_precision": ap, "affiliation_recall": ar,
    })

pot = []
prng = np.random.default_rng(7)
for shape, scale, n, q0, risk in [(0.2, 1.0, 4000, 0.95, 1e-3), (-0.2, 2.0, 5000, 0.9, 1e-4), (0.0, 1.0, 3000, 0.98, 1e-4), (0.5, 0.5, 3000, 0.95, 1e-3)]:
    x = np.asarray(prng.standard_normal(n) if shape == 0.0 else genpareto.rvs(shape, scale=scale, size=n, random_state=prng),
                   dtype=np.float32).astype(np.float64)
    srt = np.sort(x)
    t = float(np.quantile(srt, q0))
    peaks = srt[srt > t] - t
    c, loc, sc = genpareto.fit(peaks, floc=0)
    ll = float(np.sum(genpareto.logpdf(peaks, c, loc=0, scale=sc)))
    r = risk * n / len(peaks)
    z = t + sc / c * (r ** (-c) - 1) if abs(c) > 1e-12 else t - sc * np.log(r)
    pot.append({"scores": f32(x), "initial_quantile": q0, "risk": risk, "initial_threshold": t, "peaks": int(len(peaks)),
                "shape": float(c), "scale": float(sc), "log_likelihood": ll, "threshold": float(z)})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "metrics.json"), "w") as f:
    json.dump(cases, f)
with open(os.path.join(here, "pot.json"), "w") as f:
    json.dump(pot, f)
print("wrote", len(cases), "metric cases and", len(pot), "POT cases")
for p in pot:
    print({k: v for k, v in p.items() if k != "scores"})
