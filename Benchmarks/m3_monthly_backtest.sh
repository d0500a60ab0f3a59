#!/usr/bin/env bash
# Conformal intervals of the baselines on the M3 monthly panel (issue 17):
#   Benchmarks/m3_monthly_backtest.sh <M3 folder with train.csv and info.csv> [tsfc binary] [work folder]
# Filters train.csv to the monthly ids of info.csv (into the work folder, never the repo), runs
# `tsfc backtest --horizon 18 --windows 3 --baselines --level 80,95` and prints its time and the
# panel's aggregate metrics. M3 is evaluation-only data: nothing here trains on it.
set -euo pipefail
m3=${1:?usage: $0 <M3 folder> [tsfc binary] [work folder]}
tsfc=${2:-/tmp/rel-intervals/release/tsfc}
work=${3:-$(mktemp -d)}
mkdir -p "$work"
awk -F, 'NR == FNR { if (FNR > 1 && $2 == "monthly") keep[$1] = 1; next }
         FNR == 1 || ($1 in keep)' "$m3/info.csv" "$m3/train.csv" > "$work/m3-monthly.csv"
echo "series: $(cut -d, -f1 "$work/m3-monthly.csv" | tail -n +2 | sort -u | wc -l), rows: $(($(wc -l < "$work/m3-monthly.csv") - 1))"
start=$(date +%s.%N)
"$tsfc" backtest "$work/m3-monthly.csv" --horizon 18 --windows 3 --level 80,95 --threads 1 \
    --format json --output "$work/cv.json" 2> "$work/table.txt"
end=$(date +%s.%N)
echo "backtest wall time: $(echo "$end - $start" | bc) s"
python3 - "$work/cv.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
agg = doc["aggregate"]
cols = ["MASE", "sMAPE", "WQL", "coverage-80", "width-80", "coverage-95", "width-95"]
print("| model | " + " | ".join(cols) + " |")
print("|---|" + "---:|" * len(cols))
for model, m in agg.items():
    print(f"| {model} | " + " | ".join("-" if m.get(c) is None else f"{m[c]:.3f}" for c in cols) + " |")
print(f"rows: {len(doc['cross_validation'])}, notes: {len(doc['notes'])}")
for n in doc["notes"][:5]: print("note:", n[:300])
PY
