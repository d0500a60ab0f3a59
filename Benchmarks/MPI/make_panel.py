"""A synthetic long-layout panel for the sharded-forecast benchmark (issue 19): SERIES hourly
series of LENGTH points each (level, trend, a daily cycle, Gaussian noise), stored contiguously.
    python3 Benchmarks/MPI/make_panel.py OUT.csv [SERIES=4000] [LENGTH=500] [SEED=1]
"""
import math
import random
import sys
import time

out = sys.argv[1]
series = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
length = int(sys.argv[3]) if len(sys.argv) > 3 else 500
random.seed(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
start = 1262304000  # 2010-01-01 00:00 UTC
with open(out, "w") as f:
    f.write("unique_id,ds,y\n")
    for s in range(series):
        level, trend, amplitude = random.uniform(50, 500), random.uniform(-0.2, 0.5), random.uniform(0, 30)
        rows = []
        for t in range(length):
            y = level + trend * t + amplitude * math.sin(2 * math.pi * t / 24) + random.gauss(0, 3)
            rows.append(f"S{s},{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(start + 3600 * t))},{y:.3f}")
        f.write("\n".join(rows) + "\n")
