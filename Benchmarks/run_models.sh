#!/usr/bin/env bash
# Backbone (issue 4) and AutoTimes (issue 5) speed, tsfc and PyTorch interleaved: each round runs
# tsfc then torch for every (bench, config), ROUNDS times (default 3). Needs the peers venv
# (bash ../shared/peers/setup.sh → $PEERS_DIR/venv) and a release build of tsfc-bench
# (swift build -c release --package-path Benchmarks/TSFCBench).
# THREADS (default 2) sets both sides' thread count. Output: JSON lines on stdout (pipe into Benchmarks/summarize_models.py).
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS_DIR=${PEERS_DIR:-$HOME/.cache/tsfc-peers}
PY=$PEERS_DIR/venv/bin/python
PEERS=${PEERS:-../shared/peers}
BENCH=Benchmarks/TSFCBench/.build/release/tsfc-bench
ROUNDS=${ROUNDS:-3}
CONFIGS=${CONFIGS:-small full}
THREADS=${THREADS:-2}
export TSFC_THREADS=$THREADS
for round in $(seq "$ROUNDS"); do
  for cfg in $CONFIGS; do
    "$BENCH" backbone --config "$cfg"
    "$PY" Benchmarks/torch_backbone_bench.py --config "$cfg" --threads "$THREADS"
    "$BENCH" autotimes-train --config "$cfg"
    "$BENCH" autotimes-infer --config "$cfg" --repeats 3
    "$PY" "$PEERS/torch_autotimes_bench.py" --configs "$cfg" --threads "$THREADS" --out "/tmp/torch_autotimes_$cfg.json" >&2
    "$PY" - "$cfg" <<'PYEOF'
import json, sys
cfg = sys.argv[1]
d = json.load(open(f"/tmp/torch_autotimes_{cfg}.json"))
print(json.dumps({"bench": "autotimes", "impl": "torch", "config": cfg, "raw": d}))
PYEOF
  done
done
