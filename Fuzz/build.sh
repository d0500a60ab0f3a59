#!/usr/bin/env bash
# Builds the libFuzzer target for the CSV reader: TSFCTensor as a static library, then the
# TSFCData sources plus Fuzz/FuzzCSV.swift with -sanitize=fuzzer,address. Kept out of
# `swift build` / `swift test` because it needs these flags.
#   Fuzz/build.sh && taskset -c 0 /tmp/tsfc-fuzz/fuzz-csv -max_total_time=300 -max_len=4096 \
#       /tmp/tsfc-fuzz/corpus Tests/TSFCDataTests/Fixtures/malformed
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/tsfc-fuzz}
mkdir -p "$OUT/corpus"
HDF5_INCLUDE=$(pkg-config --cflags-only-I hdf5 | sed 's/^-I//; s/ .*//')
HDF5_LIBDIR=$(pkg-config --libs-only-L hdf5 | sed 's/^-L//; s/ .*//')
swiftc -O -parse-as-library -module-name TSFCTensor -I Sources/COpenBLAS \
    -emit-module -emit-module-path "$OUT/TSFCTensor.swiftmodule" \
    -emit-library -static -o "$OUT/libTSFCTensor.a" \
    $(find Sources/TSFCTensor -name '*.swift')
swiftc -O -g -parse-as-library -sanitize=fuzzer,address -module-name FuzzCSV \
    -I "$OUT" -I Sources/COpenBLAS -I Sources/CCSV -I Sources/CHDF5 -Xcc -I"$HDF5_INCLUDE" \
    Sources/TSFCData/*.swift Fuzz/FuzzCSV.swift \
    -L "$OUT" -lTSFCTensor -L "$HDF5_LIBDIR" -lhdf5 -lcsv -lopenblas \
    -o "$OUT/fuzz-csv"
# Seed corpus: the malformed fixtures and the head of a shipped file.
cp Tests/TSFCDataTests/Fixtures/malformed/*.csv "$OUT/corpus/" 2>/dev/null || true
head -c 2000 Data/ETTh1.csv > "$OUT/corpus/etth1-head.csv"
echo "built $OUT/fuzz-csv"
