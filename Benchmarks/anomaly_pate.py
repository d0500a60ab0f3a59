#!/usr/bin/env python3
"""PATE (PyPI `pate` package, defaults e = d = 100) for score vectors saved by
`anomaly_bench.py --save-scores DIR`; for the long SMD series, where the package needs minutes
per call. Usage: venv/bin/python Benchmarks/anomaly_pate.py DIR PATTERN [n_jobs]
(PATTERN e.g. 'SMD_*__tsfc-reconstruction.npy'). Prints one JSON line per file."""
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import anomaly_bench  # noqa: E402  (patches the scikit-learn helper the package imports)


def main():
    folder, pattern = Path(sys.argv[1]), sys.argv[2]
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    anomaly_bench.PATE_TIMEOUT = 3600
    for f in sorted(folder.glob(pattern)):
        series = f.name.split("__")[0]
        y = np.load(folder / f"{series}__labels.npy")
        s = np.load(f)
        t0 = time.perf_counter()
        anomaly_bench.install_sklearn_helper()
        from pate.PATE_metric import PATE
        value = float(PATE(y.astype(int), s, n_jobs=jobs))
        print(json.dumps({"file": f.name, "PATE": value, "seconds": time.perf_counter() - t0}), flush=True)


if __name__ == "__main__":
    main()
