#!/usr/bin/env python3
"""Medians over rounds of run_foundation.sh's JSON lines, and tsfc/torch ratios."""
import json
import statistics
import sys
from collections import defaultdict


def main(path):
    rows = [json.loads(l) for l in open(path) if l.startswith("{")]
    by = defaultdict(list)
    for r in rows:
        key = (r["bench"], r["impl"], r.get("n"))
        by[key].append(r)
    med = lambda rs, k: statistics.median(r[k] for r in rs if r.get(k) is not None)
    print("| bench | tsfc | torch | tsfc / torch (rate) |")
    print("| --- | --- | --- | --- |")
    for n in (256, 512, 1024):
        t, p = by.get(("sgemm", "tsfc", n)), by.get(("sgemm", "torch", n))
        if t:
            raw, api = med(t, "raw_gflops"), med(t, "tensor_gflops")
            pt = med(p, "raw_gflops") if p else float("nan")
            print(f"| sgemm {n} GFLOP/s | Tensor.matmul {api:.1f}, raw cblas_sgemm {raw:.1f} "
                  f"(API/raw {api / raw:.2f}) | torch.mm {pt:.1f} | {api / pt:.2f} |")
    for bench in ("mlp-step", "transformer-step"):
        t, p = by.get((bench, "tsfc", None)), by.get((bench, "torch", None))
        if not t or not p:
            continue
        tm, pm = med(t, "median_ms"), med(p, "median_ms")
        tf, pf = med(t, "fraction_of_sgemm"), med(p, "fraction_of_sgemm")
        tg, pg = med(t, "gflops"), med(p, "gflops")
        per = ", ".join(f"{a['median_ms']:.0f}/{b['median_ms']:.0f}" for a, b in zip(t, p))
        print(f"| {bench} ms/step (GFLOP/s, fraction of sgemm-512) | {tm:.1f} ({tg:.1f}, {tf:.2f}) | "
              f"{pm:.1f} ({pg:.1f}, {pf:.2f}) | **{pm / tm:.2f}x** (per round tsfc/torch ms: {per}) |")


if __name__ == "__main__":
    main(sys.argv[1])
