#!/usr/bin/env python3
"""Split the M3 competition set (long format, as in shared/data/M3) into per-frequency-group
input files that `tsfc forecast` / `tsfc backtest` read.

usage: python3 split.py M3_DIR OUT_DIR [--full]

M3_DIR holds train.csv / test.csv (unique_id, ds, y) and info.csv (unique_id, frequency,
season_length, horizon, category, n_train). Writes into OUT_DIR (never into the repository:
M3 is evaluation-only data):

  train-<group>.csv   unique_id,ds,y  -- the competition's training part of every series of the
                      group (group = yearly, quarterly, monthly, other), rows in time order
  full-<group>.csv    (with --full) train + test rows: the whole series, for backtests whose
                      last window is the competition hold-out
  groups.csv          group,season_length,horizon,n_series,n_train_rows,min_len,max_len,file

`ds` is written as in M3_DIR: calendar dates for yearly / quarterly / monthly (synthetic but
calendar-true starts: 1970 / 1980 / 1985), plain integers 1, 2, ... for "other" (unknown
frequency). Standard library only (no pandas), so it runs with any python3.
"""
import argparse
import csv
import os
import sys
from collections import OrderedDict, defaultdict

GROUP_ORDER = ["yearly", "quarterly", "monthly", "other"]


def read_info(m3_dir):
    info = OrderedDict()
    with open(os.path.join(m3_dir, "info.csv"), newline="") as f:
        for r in csv.DictReader(f):
            info[r["unique_id"]] = {"group": r["frequency"], "season_length": int(r["season_length"]),
                                    "horizon": int(r["horizon"]), "n_train": int(r["n_train"])}
    return info


def read_long(path):
    rows = defaultdict(list)
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            rows[r["unique_id"]].append((r["ds"], r["y"]))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("m3_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--full", action="store_true", help="also write full-<group>.csv (train + test rows)")
    a = ap.parse_args(argv)

    info = read_info(a.m3_dir)
    train = read_long(os.path.join(a.m3_dir, "train.csv"))
    test = read_long(os.path.join(a.m3_dir, "test.csv")) if a.full else {}
    missing = [u for u in info if u not in train]
    if missing:
        sys.exit(f"split.py: {len(missing)} series of info.csv have no rows in train.csv (first: {missing[0]})")
    os.makedirs(a.out_dir, exist_ok=True)

    groups = OrderedDict()
    for uid, meta in info.items():
        groups.setdefault(meta["group"], []).append(uid)
    names = [g for g in GROUP_ORDER if g in groups] + [g for g in groups if g not in GROUP_ORDER]

    summary = []
    for g in names:
        ids = groups[g]
        ms = {info[u]["season_length"] for u in ids}
        hs = {info[u]["horizon"] for u in ids}
        if len(ms) != 1 or len(hs) != 1:
            sys.exit(f"split.py: group {g} mixes season lengths {sorted(ms)} or horizons {sorted(hs)}")
        lens = []
        for kind, parts in (("train", (train,)), ("full", (train, test))):
            if kind == "full" and not a.full:
                continue
            path = os.path.join(a.out_dir, f"{kind}-{g}.csv")
            with open(path, "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["unique_id", "ds", "y"])
                for u in ids:
                    rows = [r for p in parts for r in p.get(u, [])]
                    if kind == "train":
                        if len(rows) != info[u]["n_train"]:
                            sys.exit(f"split.py: {u} has {len(rows)} train rows, info.csv says {info[u]['n_train']}")
                        lens.append(len(rows))
                    elif len(rows) != info[u]["n_train"] + info[u]["horizon"]:
                        sys.exit(f"split.py: {u} has {len(rows)} train+test rows, expected "
                                 f"{info[u]['n_train']} + {info[u]['horizon']}")
                    for ds, y in rows:
                        w.writerow([u, ds, y])
        summary.append({"group": g, "season_length": ms.pop(), "horizon": hs.pop(), "n_series": len(ids),
                        "n_train_rows": sum(lens), "min_len": min(lens), "max_len": max(lens),
                        "file": f"train-{g}.csv"})

    with open(os.path.join(a.out_dir, "groups.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(summary[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(summary)
    for s in summary:
        print(f"{s['group']:10s} season {s['season_length']:2d}  horizon {s['horizon']:2d}  "
              f"{s['n_series']:5d} series  {s['n_train_rows']:7d} rows  length {s['min_len']}-{s['max_len']}  "
              f"-> {os.path.join(a.out_dir, s['file'])}")


if __name__ == "__main__":
    main()
