#!/usr/bin/env python3
"""Summarises Benchmarks/run_models.sh output (JSON lines on stdin): medians over rounds of
tsfc and PyTorch, their ratio (torch time / tsfc time: > 1 means tsfc is faster), and tsfc's
achieved GFLOP/s beside its sgemm rate. Prints markdown tables."""
import json
import statistics
import sys
from collections import defaultdict

tsfc = defaultdict(list)   # key -> [ms]
torch = defaultdict(list)
gflops = defaultdict(list)
sgemm = []
rss = defaultdict(list)
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    if r["bench"] == "backbone":
        key = ("backbone", r["config"], r["phase"])
        (tsfc if r["impl"] == "tsfc" else torch)[key].append(r["ms"])
        if r["impl"] == "tsfc":
            gflops[key].append(r["gflops"])
            sgemm.append(r["sgemm_gflops"])
            if "peak_rss_mib" in r:
                rss[("backbone", r["config"])].append(r["peak_rss_mib"])
        elif "peak_rss_mib" in r:
            rss[("backbone-torch", r["config"])].append(r["peak_rss_mib"])
    elif r["impl"] == "tsfc":
        if r["phase"] == "train":
            key = ("autotimes", r["config"], f"train b{r['batch']}")
            tsfc[key].append(r["step_ms"])
        else:
            key = ("autotimes", r["config"], f"infer b{r['batch']} H{r['horizon']} {r['mode']}")
            tsfc[key].append(r["ms"])
        gflops[key].append(r["gflops"])
        sgemm.append(r["sgemm_gflops"])
        rss[("autotimes", r["config"])].append(r["peak_rss_mib"])
    else:
        for res in r["raw"]["results"]:
            if res.get("failed"):
                continue
            if res["phase"] == "train":
                torch[("autotimes", r["config"], f"train b{res['batch']}")].append(res["step_s_median"] * 1e3)
            else:
                for v in res["infer"].values():
                    torch[("autotimes", r["config"], f"infer b{v['batch']} H{v['horizon']} {v['mode']}")].append(v["s_median"] * 1e3)
            rss[("autotimes-torch", r["config"])].append(res["peak_rss_mib"])

med = statistics.median
print(f"sgemm 512³ through the Tensor API (tsfc, median of runs): {med(sgemm):.1f} GFLOP/s\n")
print("| bench | config | phase | tsfc ms | torch ms | torch/tsfc | tsfc GFLOP/s | % of sgemm |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for key in sorted(tsfc):
    t = med(tsfc[key])
    p = med(torch[key]) if torch.get(key) else float("nan")
    g = med(gflops[key])
    print(f"| {key[0]} | {key[1]} | {key[2]} | {t:.1f} | {p:.1f} | {p / t:.2f}× | {g:.1f} | {100 * g / med(sgemm):.0f}% |")
print()
for key in sorted(rss):
    print(f"peak RSS {key[0]} {key[1]}: {med(rss[key]):.0f} MiB")
