#!/usr/bin/env bash
# ETTh1 one-for-all table: train Configs/autotimes-etth1.yaml with three seeds and evaluate each
# on the test split (H = 96/192/336/720, all windows, renormalising rollout; also the KV-cached
# rollout). Writes runs/etth1-<seed>/{model.tsfc,eval.json,eval-cached.json}. Seeds are run one
# after another (2 cores). Usage: Benchmarks/etth1_table.sh [seeds...]
set -euo pipefail
cd "$(dirname "$0")/.."
TSFC=${TSFC:-.build/release/tsfc}
mkdir -p runs
seeds=("${@:-2021 2022 2023}")
for seed in ${seeds[@]}; do
  out=runs/etth1-$seed
  if [ ! -f "$out/model.tsfc" ]; then
    /usr/bin/time -f "train wall %e s, peak RSS %M KB" \
      "$TSFC" train --config Configs/autotimes-etth1.yaml --set seed=$seed --output "$out" 2> "$out.train.log" || { cat "$out.train.log"; exit 1; }
  fi
  "$TSFC" evaluate --model "$out/model.tsfc" --json > "$out/eval.json"
  "$TSFC" evaluate --model "$out/model.tsfc" --rollout cached --horizons 96,192,336,720 --json > "$out/eval-cached.json" || true
done
