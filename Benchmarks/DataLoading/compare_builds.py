#!/usr/bin/env python3
"""Load time of two tsfc builds on the same files, interleaved round by round (the first side
alternates): `tsfc inspect --timing FILE`'s in-process load wall and CPU time. Prints medians and
the B/A ratios. Usage:

    python3 Benchmarks/DataLoading/compare_builds.py ROUNDS TSFC_A TSFC_B FILE [FILE...]
"""
import re, statistics, subprocess, sys

rounds, a, b = int(sys.argv[1]), sys.argv[2], sys.argv[3]

def load(binary, path):
    result = subprocess.run([binary, "inspect", "--timing", path], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {binary} inspect --timing {path}\n{result.stderr}")
    wall, cpu = map(float, re.search(r"load: ([0-9.]+) s, cpu ([0-9.]+) s", result.stderr).groups())
    return wall, cpu

for path in sys.argv[4:]:
    samples = {"A": [], "B": []}
    for r in range(rounds):
        for side in (("A", "B") if r % 2 == 0 else ("B", "A")):
            samples[side].append(load(a if side == "A" else b, path))
    med = {s: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v)) for s, v in samples.items()}
    print(f"{path}: {rounds} rounds; A {a}, B {b}")
    print(f"  load wall median  A {med['A'][0]:.3f} s  B {med['B'][0]:.3f} s  B/A {med['B'][0] / med['A'][0]:.3f}")
    print(f"  load CPU median   A {med['A'][1]:.3f} s  B {med['B'][1]:.3f} s  B/A {med['B'][1] / med['A'][1]:.3f}")
