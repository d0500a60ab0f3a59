#!/usr/bin/env python3
"""Data-loading benchmark: `tsfc inspect --timing FILE` against pandas.read_csv(parse_dates=...),
alternating runs in the same session. Reports medians of in-process load time, whole-process
wall and CPU time, and peak RSS (GNU time). Usage:

    python3 Benchmarks/DataLoading/run.py RUNS TSFC_BINARY PANDAS_PYTHON FILE [FILE...]
"""
import re, statistics, subprocess, sys, os

runs, tsfc, python = int(sys.argv[1]), sys.argv[2], sys.argv[3]
here = os.path.dirname(os.path.abspath(__file__))

def measure(command):
    result = subprocess.run(["/usr/bin/time", "-f", "TIME %e %U %S %M"] + command,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {command}\n{result.stderr}")
    load, load_cpu = map(float, re.search(r"load: ([0-9.]+) s, cpu ([0-9.]+) s", result.stderr).groups())
    wall, user, system, rss = re.search(r"TIME ([0-9.]+) ([0-9.]+) ([0-9.]+) (\d+)", result.stderr).groups()
    return load, load_cpu, float(wall), float(user) + float(system), int(rss) / 1024

for path in sys.argv[4:]:
    size = os.path.getsize(path) / 1e6
    samples = {"tsfc": [], "pandas": []}
    for _ in range(runs):
        samples["tsfc"].append(measure([tsfc, "inspect", "--timing", path]))
        samples["pandas"].append(measure([python, os.path.join(here, "pandas_load.py"), path]))
    print(f"\n{path}: {size:.1f} MB, {runs} runs each, medians")
    print("| reader | load wall | load CPU | MB/s (wall) | MB/s (CPU) | process wall | process CPU | peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    medians = {}
    for name, rows in samples.items():
        load, load_cpu, wall, cpu, rss = (statistics.median(r[k] for r in rows) for k in range(5))
        medians[name] = (load, load_cpu)
        print(f"| {name} | {load:.3f} s | {load_cpu:.3f} s | {size / load:.0f} | {size / load_cpu:.0f} | "
              f"{wall:.2f} s | {cpu:.2f} s | {rss:.0f} MB |")
    print(f"tsfc/pandas throughput: {medians['pandas'][0] / medians['tsfc'][0]:.2f}x by load wall time, "
          f"{medians['pandas'][1] / medians['tsfc'][1]:.2f}x by load CPU time")
