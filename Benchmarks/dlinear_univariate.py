#!/usr/bin/env python3
"""DLinear on ETTh1's OT column alone (the univariate "S" setting that SpaceTime reports), with
the peer benchmark's training recipe (`shared/peers/dlinear_bench.py`: LTSF-Linear's DLinear,
Adam 0.005, batch 32, 10 epochs, patience 3, lr halved per epoch, every test window) and tsfc's
protocol (Informer splits, scaler fitted on the train rows). Prints the median over seeds per
horizon as JSON.

Usage: dlinear_univariate.py [--peers DIR] [--data Data/ETTh1.csv] [--horizons 96,192,336,720]
"""
import argparse
import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True

ap = argparse.ArgumentParser()
ap.add_argument("--peers", default=str(Path(__file__).resolve().parents[2] / "shared" / "peers"))
ap.add_argument("--data", default="Data/ETTh1.csv")
ap.add_argument("--horizons", default="96,192,336,720")
ap.add_argument("--seeds", default="2021,2022,2023")
ap.add_argument("--seq-len", type=int, default=336)
args = ap.parse_args()

sys.path.insert(0, args.peers)
import torch  # noqa: E402
from common import load_etth1, med, standardize_on_train  # noqa: E402
import dlinear_bench  # noqa: E402

torch.set_num_threads(1)
data, _, _ = standardize_on_train(load_etth1(Path(args.data)))
ot = data[:, [6]]                                   # OT is the last of the 7 channels
results = {}
for h in [int(x) for x in args.horizons.split(",")]:
    run_args = argparse.Namespace(seq_len=args.seq_len, pred_len=h, batch=32, lr=0.005, epochs=10, patience=3)
    runs = [dlinear_bench.run_one(ot, run_args, int(s)) for s in args.seeds.split(",")]
    results[h] = dict(mse=med([r["mse"] for r in runs]), mae=med([r["mae"] for r in runs]),
                      per_seed=[(r["seed"], round(r["mse"], 4), round(r["mae"], 4)) for r in runs],
                      test_windows=runs[0]["test_windows"])
print(json.dumps(results, indent=1))
