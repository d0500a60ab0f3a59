#!/usr/bin/env bash
# M3 zero-shot benchmark, end to end: tsfc beside statsforecast, scored by the same code.
#
#   Benchmarks/M3/run.sh M3_DIR TSFC_BINARY [MODEL]
#
#   M3_DIR       train.csv / test.csv / info.csv (e.g. ../shared/data/M3); never copied into the repo
#   TSFC_BINARY  a release build, e.g. /tmp/rel-m3/release/tsfc
#   MODEL        a .tsfc bundle (default: tsfc's own default model)
#
# Environment:
#   OUT=DIR        where everything goes (default /tmp/tsfc-m3-<UTC time>)
#   PY=python      interpreter with statsforecast + pandas (default ~/.cache/tsfc-peers/sfvenv, then venv)
#   N_JOBS=2       statsforecast n_jobs           NICE=10   nice level of every timed step (0: none)
#   THREADS=N      tsfc --threads (default: tsfc's own, all cores)
#   LEVELS=80,95   interval levels (tsfc: only when its --help lists --level)
#   SKIP_TSFC=1 / SKIP_PEERS=1 / SKIP_BACKTEST=1   leave a part out
#   ARIMA=1        also statsforecast AutoARIMA (slow: >14 min on monthly on a 2-vCPU VM)
#   PEERS_JSON=F   reuse an earlier peers.py result instead of running the peers again
#   BACKTEST_PEER_JSON=F  reuse an earlier backtest_peer.py result (statsforecast cross_validation)
#
# Steps: split.py -> tsfc forecast per frequency group (whole process timed) -> score.py ->
# peers.py (statsforecast Naive, SeasonalNaive, AutoETS, AutoTheta) -> tsfc backtest and
# statsforecast cross_validation on the monthly panel (1,428 series, 3 windows of 18) ->
# one combined table in $OUT/table.md. A group tsfc fails on is recorded and scored with
# SeasonalNaive standing in (flagged "missing" in the table) so the run still finishes.
set -uo pipefail

if [ $# -lt 2 ]; then sed -n '2,25p' "$0"; exit 2; fi
M3="$(cd "$1" && pwd)" || { echo "run.sh: no directory $1" >&2; exit 2; }
TSFC="$2"
MODEL="${3:-}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${OUT:-/tmp/tsfc-m3-$(date -u +%Y%m%dT%H%M%S)}"
N_JOBS="${N_JOBS:-2}"
NICE="${NICE:-10}"
LEVELS="${LEVELS:-80,95}"
[ -x "$TSFC" ] || { echo "run.sh: $TSFC is not an executable" >&2; exit 2; }
for f in train.csv test.csv info.csv; do [ -f "$M3/$f" ] || { echo "run.sh: $M3/$f missing" >&2; exit 2; }; done
if [ -n "$MODEL" ]; then [ -f "$MODEL" ] || { echo "run.sh: model $MODEL not found" >&2; exit 2; }; MODEL="$(cd "$(dirname "$MODEL")" && pwd)/$(basename "$MODEL")"; fi
if [ -z "${PY:-}" ]; then
  for c in "$HOME/.cache/tsfc-peers/sfvenv/bin/python" "$HOME/.cache/tsfc-peers/venv/bin/python"; do
    if [ -x "$c" ] && "$c" -c 'import statsforecast, pandas' 2>/dev/null; then PY="$c"; break; fi
  done
fi
if [ -z "${PY:-}" ]; then
  echo "run.sh: no python with statsforecast; make one (see Benchmarks/M3/README.md) or set PY=" >&2; exit 2
fi
mkdir -p "$OUT/split" "$OUT/tsfc" "$OUT/peers" "$OUT/backtest"
LOG="$OUT/run.log"
say() { echo "[m3] $*" | tee -a "$LOG"; }
nice_run() { if [ "$NICE" != "0" ]; then nice -n "$NICE" "$@"; else "$@"; fi; }
# timed TIMEFILE CMD...: runs CMD (niced) under GNU time when there is one: TIMEFILE gets
# "wall user sys maxrss_kb"; the wall is also measured by the shell (no GNU time: CPU unknown).
timed() {
  local tf="$1"; shift
  if [ -x /usr/bin/time ]; then nice_run /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@"; else nice_run "$@"; fi
}
cpu_of() { [ -s "$1" ] && awk 'END { printf "%.2f", $2 + $3 }' "$1" || echo null; }
rss_of() { [ -s "$1" ] && awk 'END { printf "%.0f", $4 / 1024 }' "$1" || echo null; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
MODEL_ARGS=(); BT_MODEL_ARGS=()
[ -n "$MODEL" ] && { MODEL_ARGS=(--model "$MODEL"); BT_MODEL_ARGS=(--model "$MODEL" --baselines); }
THREAD_ARGS=(); [ -n "${THREADS:-}" ] && THREAD_ARGS=(--threads "$THREADS")
LABEL="tsfc${MODEL:+ ($(basename "$MODEL"))}"

say "M3 $M3; tsfc $TSFC ($("$TSFC" --version 2>/dev/null || echo '?')); model ${MODEL:-default}; out $OUT"
say "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
say "python $PY: $("$PY" -c 'import statsforecast, pandas, numpy; print("statsforecast", statsforecast.__version__, "pandas", pandas.__version__, "numpy", numpy.__version__)')"

# ---- 1. split ----------------------------------------------------------------------------------
"$PY" "$HERE/split.py" "$M3" "$OUT/split" --full | tee -a "$LOG" || { say "split failed"; exit 1; }

# ---- 2. tsfc forecast per group ------------------------------------------------------------------
LEVEL_ARGS=(); BT_LEVEL_ARGS=()
if [ -n "$LEVELS" ] && "$TSFC" forecast --help 2>/dev/null | grep -- '--level' > /dev/null; then LEVEL_ARGS=(--level "$LEVELS"); fi
if [ -n "$LEVELS" ] && "$TSFC" backtest --help 2>/dev/null | grep -- '--level' > /dev/null; then BT_LEVEL_ARGS=(--level "$LEVELS"); fi
say "tsfc forecast intervals: ${LEVEL_ARGS[*]:-none (no --level in tsfc forecast --help)}; backtest: ${BT_LEVEL_ARGS[*]:-none}"

if [ "${SKIP_TSFC:-0}" != "1" ]; then
  TIMES="{\"groups\": {"; CPUS="\"cpu_groups\": {"; RSS="\"max_rss_mib\": {"; TOTAL=0; CPU_TOTAL=0; SEP=""; FILES=(); FAILED=""
  while IFS=, read -r g m h n rows lmin lmax file; do
    [ "$g" = "group" ] && continue
    out="$OUT/tsfc/forecast-$g.csv"
    t0=$(now)
    timed "$OUT/tsfc/time-$g.txt" "$TSFC" forecast "$OUT/split/$file" --horizon "$h" "${MODEL_ARGS[@]}" "${LEVEL_ARGS[@]}" \
      "${THREAD_ARGS[@]}" --output "$out" > "$OUT/tsfc/forecast-$g.log" 2>&1
    rc=$?
    t1=$(now); s=$(elapsed "$t0" "$t1"); c=$(cpu_of "$OUT/tsfc/time-$g.txt"); r=$(rss_of "$OUT/tsfc/time-$g.txt")
    if [ $rc -eq 0 ] && [ -s "$out" ]; then
      FILES+=("$out"); say "tsfc forecast $g: $n series, h=$h, ${s} s wall, ${c} s CPU, ${r} MiB (whole process; load $(cut -d' ' -f1 /proc/loadavg))"
    else
      FAILED="$FAILED $g"; say "tsfc forecast $g FAILED (rc $rc, ${s} s): $(tail -n 2 "$OUT/tsfc/forecast-$g.log" | tr '\n' ' ' | cut -c1-300)"
    fi
    TIMES="$TIMES$SEP\"$g\": $s"; CPUS="$CPUS$SEP\"$g\": $c"; RSS="$RSS$SEP\"$g\": $r"; SEP=", "
    TOTAL=$(awk -v a="$TOTAL" -v b="$s" 'BEGIN { printf "%.2f", a + b }')
    CPU_TOTAL=$(awk -v a="$CPU_TOTAL" -v b="$c" 'BEGIN { printf "%.2f", a + b }')
  done < "$OUT/split/groups.csv"
  [ -x /usr/bin/time ] || CPU_TOTAL=null
  echo "$TIMES}, $CPUS}, $RSS}, \"total\": $TOTAL, \"cpu_total\": $CPU_TOTAL, \"what\": \"wall of each whole tsfc forecast process (load, forecast, write)\", \"level\": \"${LEVEL_ARGS[*]:-}\", \"failed\": \"${FAILED# }\"}" > "$OUT/tsfc/times.json"
  say "tsfc forecast, all groups: $TOTAL s wall, $CPU_TOTAL s CPU${FAILED:+ (failed:$FAILED)}"
  if [ ${#FILES[@]} -gt 0 ]; then
    "$PY" "$HERE/score.py" --m3 "$M3" --forecasts "${FILES[@]}" --column tsfc --label "$LABEL" \
      --times "$OUT/tsfc/times.json" --out "$OUT/tsfc/scores.json" > "$OUT/tsfc/scores.md" || say "scoring tsfc failed"
  fi
fi

# ---- 3. statsforecast peers ----------------------------------------------------------------------
PEERS="$OUT/peers/peers.json"
if [ -n "${PEERS_JSON:-}" ]; then
  cp "$PEERS_JSON" "$PEERS"; say "peers: reusing $PEERS_JSON"
elif [ "${SKIP_PEERS:-0}" != "1" ]; then
  say "statsforecast peers (n_jobs=$N_JOBS)..."
  nice_run "$PY" "$HERE/peers.py" --m3 "$M3" --out "$PEERS" --n-jobs "$N_JOBS" --levels "$LEVELS" \
    ${ARIMA:+--arima} > "$OUT/peers/peers.log" 2>&1 || say "peers.py failed: $(tail -n 3 "$OUT/peers/peers.log")"
fi

# ---- 4. backtest on the monthly panel ----------------------------------------------------------
if [ "${SKIP_BACKTEST:-0}" != "1" ]; then
  BT="$OUT/backtest/tsfc-backtest.csv"
  t0=$(now)
  timed "$OUT/backtest/tsfc-time.txt" "$TSFC" backtest "$OUT/split/full-monthly.csv" --horizon 18 --windows 3 --step 18 --season-length 12 \
    "${BT_MODEL_ARGS[@]}" "${BT_LEVEL_ARGS[@]}" "${THREAD_ARGS[@]}" --output "$BT" > /dev/null 2> "$OUT/backtest/tsfc-backtest.log"
  rc=$?; s=$(elapsed "$t0" "$(now)"); c=$(cpu_of "$OUT/backtest/tsfc-time.txt")
  echo "{\"total\": $s, \"cpu_total\": $c}" > "$OUT/backtest/tsfc-times.json"
  if [ $rc -eq 0 ]; then
    say "tsfc backtest monthly (1,428 series x 3 windows of 18): $s s wall, $c s CPU (whole process)"
    "$PY" "$HERE/backtest_peer.py" --m3 "$M3" --score-frame "$BT" --times "$OUT/backtest/tsfc-times.json" \
      --label-prefix "tsfc backtest: " --out "$OUT/backtest/tsfc.json" > "$OUT/backtest/tsfc.md" || say "scoring the tsfc backtest failed"
  else
    say "tsfc backtest FAILED (rc $rc): $(tail -n 2 "$OUT/backtest/tsfc-backtest.log" | tr '\n' ' ' | cut -c1-300)"
  fi
  if [ -n "${BACKTEST_PEER_JSON:-}" ]; then
    cp "$BACKTEST_PEER_JSON" "$OUT/backtest/statsforecast.json"; say "statsforecast cross_validation: reusing $BACKTEST_PEER_JSON"
    "$PY" -c 'import json, sys; sys.path.insert(0, sys.argv[2]); import backtest_peer as b; print(b.markdown(json.load(open(sys.argv[1]))["models"]))' \
      "$OUT/backtest/statsforecast.json" "$HERE" > "$OUT/backtest/statsforecast.md"
  else
    say "statsforecast cross_validation (SeasonalNaive, AutoETS; n_jobs=$N_JOBS)..."
    nice_run "$PY" "$HERE/backtest_peer.py" --m3 "$M3" --out "$OUT/backtest/statsforecast.json" --n-jobs "$N_JOBS" \
      --levels "$LEVELS" --label-prefix "statsforecast: " > "$OUT/backtest/statsforecast.md" 2>&1 || say "backtest_peer.py failed"
  fi
fi

# ---- 5. one table ----------------------------------------------------------------------------------
{
  echo "# M3 zero-shot, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "tsfc: \`$TSFC\` model ${MODEL:-default}; intervals: ${LEVEL_ARGS[*]:-none}. Times: tsfc = whole process per group (sum);"
  echo "statsforecast = fit+forecast calls (n_jobs=$N_JOBS). Machine: $(nproc) cores, load at end $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  J=(); [ -f "$OUT/peers/peers.json" ] && J+=("$OUT/peers/peers.json"); [ -f "$OUT/tsfc/scores.json" ] && J+=("$OUT/tsfc/scores.json")
  if [ ${#J[@]} -gt 0 ]; then "$PY" "$HERE/score.py" --merge "${J[@]}" --out "$OUT/all.json"; fi
  if [ "${SKIP_BACKTEST:-0}" != "1" ]; then
    echo; echo "## Backtest, M3 monthly (1,428 series, 3 windows of 18, step 18; whole series: last window = hold-out)"; echo
    [ -f "$OUT/backtest/tsfc.md" ] && cat "$OUT/backtest/tsfc.md" && echo
    [ -f "$OUT/backtest/statsforecast.md" ] && grep '^|' "$OUT/backtest/statsforecast.md"
  fi
} > "$OUT/table.md"
cat "$OUT/table.md"
say "done: $OUT/table.md, $OUT/all.json"
