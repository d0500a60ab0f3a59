#!/usr/bin/env bash
# Foundation benchmarks: tsfc-bench and its PyTorch twin, interleaved round by round (the machine
# is shared and noisy, so both sides see the same conditions), then medians and ratios.
#
#   bash Benchmarks/run_foundation.sh [ROUNDS] [STEPS]      (defaults 3 and 20)
#
# Env: TSFC_THREADS (default 2, used by both sides), PYTHON (default the peers venv,
# $PEERS_DIR/venv/bin/python with PEERS_DIR=$HOME/.cache/tsfc-peers), OUT (JSON-lines log).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
STEPS=${2:-20}
export TSFC_THREADS=${TSFC_THREADS:-2}
PEERS_DIR=${PEERS_DIR:-$HOME/.cache/tsfc-peers}
PYTHON=${PYTHON:-$PEERS_DIR/venv/bin/python}
OUT=${OUT:-$(mktemp /tmp/tsfc-foundation-bench.XXXXXX.jsonl)}
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "run_foundation.sh: no torch in $PYTHON; set PYTHON, or create the peers venv (see BENCHMARKS.md)" >&2
  exit 2
fi
swift build -c release --package-path Benchmarks/TSFCBench >&2
BIN=Benchmarks/TSFCBench/.build/release/tsfc-bench
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; TSFC_THREADS=$TSFC_THREADS; rounds=$ROUNDS steps=$STEPS" >&2
for r in $(seq 1 "$ROUNDS"); do
  for bench in sgemm mlp-step transformer-step; do
    # Alternate which side goes first each round.
    if (( r % 2 == 1 )); then order="tsfc torch"; else order="torch tsfc"; fi
    for side in $order; do
      if [[ $side == tsfc ]]; then
        "$BIN" "$bench" --steps "$STEPS" | sed "s/^{/{\"round\": $r, /" | tee -a "$OUT" >&2
      else
        "$PYTHON" Benchmarks/torch_step_bench.py "$bench" --steps "$STEPS" | sed "s/^{/{\"round\": $r, /" | tee -a "$OUT" >&2
      fi
    done
  done
done
echo "raw JSON lines: $OUT" >&2
"$PYTHON" Benchmarks/summarize_foundation.py "$OUT"
