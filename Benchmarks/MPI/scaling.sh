#!/usr/bin/env bash
# Issue 19's measurements on one machine: 1 vs 2 MPI ranks for a pretraining run of the default
# model's recipe and for forecasting a panel, interleaved ROUNDS times; then the allreduce time
# per byte on loopback (tsfc-bench allreduce).
#   Benchmarks/MPI/scaling.sh TSFC TSFC_BENCH PANEL.csv [HORIZON]
# TSFC: a release tsfc built with MPI; TSFC_BENCH: Benchmarks/TSFCBench's release tsfc-bench;
# PANEL: a long-layout CSV (the M3 monthly training panel in BENCHMARKS.md, made by
# Benchmarks/M3/split.py). Prints one line per run: what, ranks, wall s, CPU s (all ranks).
set -euo pipefail
TSFC="$1"; BENCH="$2"; PANEL="$3"; H="${4:-18}"
ROUNDS="${ROUNDS:-3}"; STEPS="${STEPS:-60}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
MPI=(mpirun --oversubscribe --bind-to none --mca mpi_yield_when_idle 1 --mca btl self,tcp --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo)
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
TRAIN=(train --config "$HERE/Configs/pretrain.yaml" --set "pretraining.steps=$STEPS" --set "training.validate_every=$STEPS"
       --set pretraining.validation_windows=64)
timed() {  # timed LABEL CMD...: wall and user+sys CPU of CMD and its children
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S" -o "$OUT/time" "$@" > "$OUT/stdout" 2> "$OUT/stderr" || { cat "$OUT/stderr" >&2; exit 1; }
  local comm; comm="$(grep -o '[0-9.]* s of [0-9.]* s ([0-9.]* %)' "$OUT/stderr" || true)"
  awk -v l="$label" -v c="$comm" '{ printf "%-34s wall %7.2f s  cpu %7.2f s  %s\n", l, $1, $2 + $3, c }' "$OUT/time"
}
for r in $(seq "$ROUNDS"); do
  rm -rf "$OUT"/run-*
  timed "pretrain $STEPS steps, 1 rank x 2 thr" "$TSFC" "${TRAIN[@]}" --output "$OUT/run-a" --threads 2
  timed "pretrain $STEPS steps, 1 rank x 1 thr" "$TSFC" "${TRAIN[@]}" --output "$OUT/run-b" --threads 1
  timed "pretrain $STEPS steps, 2 ranks x 1 thr" "${MPI[@]}" -np 2 "$TSFC" "${TRAIN[@]}" --output "$OUT/run-c" --threads 1
  timed "forecast, 1 rank x 2 thr" "$TSFC" forecast "$PANEL" --horizon "$H" --level 80,95 --output "$OUT/f1.csv" --threads 2
  timed "forecast, 1 rank x 1 thr" "$TSFC" forecast "$PANEL" --horizon "$H" --level 80,95 --output "$OUT/f1.csv" --threads 1
  timed "forecast, 2 ranks x 1 thr" "${MPI[@]}" -np 2 "$TSFC" forecast "$PANEL" --horizon "$H" --level 80,95 --output "$OUT/f2.csv" --threads 1
  cmp -s "$OUT/f1.csv" "$OUT/f2.csv" && echo "  (the 2-rank forecast file is byte-identical)" || echo "  (the 2-rank forecast file DIFFERS)"
done
"${MPI[@]}" -np 2 "$BENCH" allreduce --reps 20
