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
    def med(rs, k):
        vals = [r[k] for r in rs if r.get(k) is not None]
        return statistics.median(vals) if vals else float("nan")
    print("| bench | tsfc | torch | tsfc / torch (rate) |")
    print("| --- | --- | --- | --- |")
    for n in (256, 512, 1024):
        t, p = by.get(("sgemm", "tsfc", n)), by.get(("sgemm", "torch", n))
        if t:
            raw, api = med(t, "raw_gflops"), med(t, "tensor_gflops")
            ob = med(t, "openblas_threaded_gflops")
            pt = med(p, "raw_gflops") if p else float("nan")
            print(f"| sgemm {n} GFLOP/s | Tensor.matmul {api:.1f}, MatmulKernel.sgemm {raw:.1f} "
                  f"(API/raw {api / raw:.2f}), cblas_sgemm with OpenBLAS threads {ob:.1f} | torch.mm {pt:.1f} | "
                  f"{api / pt:.2f} |")
    for bench in ("mlp-step", "transformer-step"):
        t, p = by.get((bench, "tsfc", None)), by.get((bench, "torch", None))
        if not t or not p:
            continue
        tm, pm = med(t, "median_ms"), med(p, "median_ms")
        tc, pc = med(t, "cpu_ms"), med(p, "cpu_ms")
        tf, pf = med(t, "fraction_of_sgemm"), med(p, "fraction_of_sgemm")
        tg, pg = med(t, "gflops"), med(p, "gflops")
        pairs = list(zip(t, p))
        per = ", ".join(f"{a['median_ms']:.0f}/{b['median_ms']:.0f}" for a, b in pairs)
        rr = statistics.median(b["median_ms"] / a["median_ms"] for a, b in pairs)
        print(f"| {bench} ms/step wall (CPU ms; GFLOP/s; fraction of same-run sgemm-512) | "
              f"{tm:.1f} ({tc:.1f}; {tg:.1f}; {tf:.2f}) | {pm:.1f} ({pc:.1f}; {pg:.1f}; {pf:.2f}) | "
              f"**{pm / tm:.2f}x** of medians, {rr:.2f}x median per-round; CPU-time ratio {pc / tc:.2f}x "
              f"(per round tsfc/torch ms: {per}) |")

if __name__ == "__main__":
    main(sys.argv[1])
