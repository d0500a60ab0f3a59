#!/usr/bin/env python3
"""Joins the benchmark runs in FOLDER into one table.

Reads FOLDER/ucr_pate.json (UCR rows, PATE by the `pate` package), FOLDER/rest.json and
FOLDER/smd.json (runs with --no-pate and --save-scores into FOLDER/rest_scores, FOLDER/smd_scores).
The `pate` package needs many minutes per call on series of 4k-24k points, so the missing PATE
values are computed from the saved scores with the fast PATE of the peers' baseline script
(shared/peers/anomaly_baselines.py, verified there equal to the package to 1e-16), whose folder
is given as PEERS. Usage: python anomaly_combine.py FOLDER PEERS > table.md
"""
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import anomaly_bench as ab  # noqa: E402


def main():
    folder, peers = Path(sys.argv[1]), sys.argv[2]
    sys.path.insert(0, peers)
    import anomaly_baselines as pb  # the peers' metric code, called, not copied
    rows = []
    for name in ["ucr_pate.json", "rest.json", "smd.json"]:
        path = folder / name
        if not path.exists():
            print(f"missing {path}", file=sys.stderr)
            continue
        rr = json.load(open(path))["rows"]
        if name == "ucr_pate.json":
            rr = [r for r in rr if r["dataset"] == "UCR"]
        rows += rr
    for r in rows:
        if np.isfinite(r["metrics"].get("PATE", float("nan"))):
            r["metrics"]["PATE-source"] = "pate package"
            continue
        tag = f"{r['dataset']}_{r['series'].replace('/', '_')}"
        for sub in ["smd_scores", "rest_scores"]:
            f = folder / sub / f"{tag}__{r['detector']}.npy"
            if f.exists():
                y = np.load(folder / sub / f"{tag}__labels.npy")
                r["metrics"]["PATE"] = float(pb.pate(y, np.load(f)))
                r["metrics"]["PATE-source"] = "peers' fast PATE"
    json.dump({"rows": rows}, open(folder / "combined.json", "w"), indent=1)
    print(ab.markdown(rows))


if __name__ == "__main__":
    main()
