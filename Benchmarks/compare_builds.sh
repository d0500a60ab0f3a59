#!/usr/bin/env bash
# Two release builds of `tsfc` (A and B, e.g. before and after a change to Package.swift),
# interleaved round by round on the same commands — the machine is shared and noisy, so both see
# the same conditions; the first side alternates each round. Prints one line per run
# (side, command, wall, user, sys seconds; GNU time) and then medians over rounds and B/A ratios.
#
#   bash Benchmarks/compare_builds.sh BIN_A BIN_B [ROUNDS]      (default 6 rounds)
#
# Commands (run from the checkout; TSFC_THREADS as set, default all cores):
#   train     tsfc train --config Configs/default.yaml, 1 epoch of 8192 windows, 64 validation windows
#   evaluate  tsfc evaluate (shipped model) --horizons 96 --subset val   (19,495 windows)
#   forecast  tsfc forecast Data/ETTh1.csv --horizon 720 --columns OT, 10 times in a row
set -euo pipefail
cd "$(dirname "$0")/.."
A=${1:?usage: compare_builds.sh BIN_A BIN_B [ROUNDS]}
B=${2:?usage: compare_builds.sh BIN_A BIN_B [ROUNDS]}
ROUNDS=${3:-6}
LOG=$(mktemp /tmp/tsfc-compare-builds.XXXXXX)
SCRATCH=$(mktemp -d /tmp/tsfc-compare-runs.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; A=$A B=$B; rounds=$ROUNDS" >&2

timed() { # side label command...
  local side=$1 label=$2; shift 2
  /usr/bin/time -f "$side $label %e %U %S" -o "$SCRATCH/time" "$@" > /dev/null 2>&1
  tee -a "$LOG" < "$SCRATCH/time"
}
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 == 1 )); then order="A B"; else order="B A"; fi
  for side in $order; do
    if [[ $side == A ]]; then bin=$A; else bin=$B; fi
    rm -rf "$SCRATCH/run"
    timed "$side" train "$bin" train --config Configs/default.yaml --set training.epochs=1 \
      --set training.max_train_windows=8192 --set training.max_validation_windows=64 --output "$SCRATCH/run"
    timed "$side" evaluate "$bin" evaluate --horizons 96 --subset val
    timed "$side" forecast bash -c "for i in 1 2 3 4 5 6 7 8 9 10; do '$bin' forecast Data/ETTh1.csv --horizon 720 --columns OT; done"
  done
  echo "# round $r, load average $(cut -d' ' -f1 /proc/loadavg)" >&2
done
python3 - "$LOG" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    side, label, wall, user, system = line.split()
    runs[label, side].append((float(wall), float(user) + float(system)))
print(f"{'command':10} {'A wall':>8} {'B wall':>8} {'B/A':>6}   {'A cpu':>8} {'B cpu':>8} {'B/A':>6}   (medians, s)")
for label in ["train", "evaluate", "forecast"]:
    a, b = runs[label, "A"], runs[label, "B"]
    aw, bw = statistics.median(x[0] for x in a), statistics.median(x[0] for x in b)
    ac, bc = statistics.median(x[1] for x in a), statistics.median(x[1] for x in b)
    print(f"{label:10} {aw:8.2f} {bw:8.2f} {bw / aw:6.3f}   {ac:8.2f} {bc:8.2f} {bc / ac:6.3f}")
PY
echo "raw lines: $LOG" >&2
