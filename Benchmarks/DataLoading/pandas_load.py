# pandas side of the data-loading benchmark: read_csv with the timestamp column parsed.
import sys, time
import pandas as pd

started, cpu_started = time.perf_counter(), time.process_time()
frame = pd.read_csv(sys.argv[1], parse_dates=["date"])
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
print(f"load: {seconds:.3f} s, cpu {cpu:.3f} s ({len(frame)} rows x {frame.shape[1] - 1} columns)", file=sys.stderr)
