#!/usr/bin/env bash
# Draws the README's figures with the real CLI (`--plot`) on the bundled data, into docs/images/:
#   forecast.svg  tsfc forecast  — ETTh1's oil temperature and high useful load, 96 hours ahead
#   backtest.svg  tsfc backtest  — the shipped model against the baselines, 4 windows of 24 hours
#   detect.svg    tsfc detect    — a small detector fitted on the first 40 % of Aug–Sep 2017
#   inspect.svg   tsfc inspect   — three months of ETTh1 with two days cut out and a few cells blanked
# Run by `make readme-images`; the same code as `--plot` draws them, so they are what users get.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
$SWIFT build --product tsfc
tsfc="$($SWIFT build --show-bin-path)/tsfc"
out=docs/images
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$tsfc" forecast Data/ETTh1.csv --horizon 96 --columns OT,HUFL --output "$work/forecast.csv" --plot "$out/forecast.svg"

"$tsfc" backtest Data/ETTh1.csv --columns OT --horizon 24 --windows 4 --model Data/models/default.tsfc --baselines \
  --output "$work/cv.csv" --plot "$out/backtest.svg" > /dev/null

# Oil temperature from 2017-07-31 on (ETTh1's validation months): 2,160 hourly rows.
awk -F, 'NR == 1 { print $1 "," $8; next } NR > 8641 && NR <= 10801 { print $1 "," $8 }' Data/ETTh1.csv > "$work/ETTh1-OT-2017.csv"
cat > "$work/detector.yaml" <<'YAML'
# A small reconstruction detector that fits in seconds.
version: 1
seed: 7
model:
  backbone: { kind: scratch, layers: 1, width: 16, heads: 2, dropout: 0.0 }
training: { epochs: 3, batch_size: 32, learning_rate: 0.003, weight_decay: 0.0, warmup_steps: 2, patience: 5, max_train_windows: 600 }
detection:
  scorer: reconstruction
  aggregation: mean
  threshold: { method: ksigma, value: 4 }
  calibration_fraction: 0.25
  window: 24
  patch_length: 4
  dropout: 0.0
YAML
"$tsfc" detect "$work/ETTh1-OT-2017.csv" --config "$work/detector.yaml" --train-fraction 0.4 --min-gap 12 --min-length 3 \
  --output "$work/scores.csv" --plot "$out/detect.svg"

# The first 92 days of ETTh1, with 2016-08-20 and 2016-08-21 cut out and three cells left empty.
awk -F, 'BEGIN { OFS = "," }
  NR == 1 { print $1, $2, $4, $8; next }
  NR > 2209 { exit }
  $1 ~ /^2016-08-2[01]/ { next }
  NR == 400 || NR == 1500 { $8 = "" }
  NR == 700 { $2 = "" }
  { print $1, $2, $4, $8 }' Data/ETTh1.csv > "$work/ETTh1-with-gaps.csv"
"$tsfc" inspect "$work/ETTh1-with-gaps.csv" --plot "$out/inspect.svg" > /dev/null

ls -l "$out"/*.svg
