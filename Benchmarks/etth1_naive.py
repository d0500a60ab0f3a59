#!/usr/bin/env python3
"""Naive ETTh1 reference forecasts under tsfc's protocol (Informer splits, StandardScaler on the
train rows, every test window with lookback L, all 7 columns): the lag mean and the seasonal
naive forecast (the last 24 hours repeated). Usage: etth1_naive.py [Data/ETTh1.csv] [L] [column]
(with a column name, e.g. OT, only that column is scored: the univariate setting)."""
import csv
import sys

import numpy as np

path = sys.argv[1] if len(sys.argv) > 1 else "Data/ETTh1.csv"
L = int(sys.argv[2]) if len(sys.argv) > 2 else 336
rows = list(csv.reader(open(path)))[1:]
X = np.array([[float(v) for v in r[1:]] for r in rows], dtype=np.float64)
if len(sys.argv) > 3:
    header = next(csv.reader(open(path)))[1:]
    X = X[:, [header.index(sys.argv[3])]]
train = X[:8640]
Z = (X - train.mean(0)) / train.std(0)
test = Z[8640 + 2880 - L: 8640 + 2880 + 2880]
for H in [96, 192, 336, 720]:
    sums = np.zeros(4)
    count = 0
    for s in range(len(test) - L - H + 1):
        ctx, tgt = test[s:s + L], test[s + L:s + L + H]
        mean = ctx.mean(0)
        seasonal = np.tile(ctx[-24:], (H // 24, 1))
        sums += [((tgt - mean) ** 2).sum(), np.abs(tgt - mean).sum(),
                 ((tgt - seasonal) ** 2).sum(), np.abs(tgt - seasonal).sum()]
        count += tgt.size
    m = sums / count
    print(f"H={H}: lag mean {m[0]:.3f} / {m[1]:.3f}   seasonal naive {m[2]:.3f} / {m[3]:.3f}")
