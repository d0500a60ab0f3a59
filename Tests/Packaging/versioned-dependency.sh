#!/usr/bin/env bash
# tsfc as a versioned dependency: a throwaway package that declares
#   .package(url: "file://…/tsfc.git", from: "0.1.0")
# and depends on the product TSFC must resolve, build and run `import TSFC` code. SwiftPM refuses
# a package whose products carry unsafeFlags when it is used by version, so this fails as soon as
# any library target gets them again.
#
#   bash Tests/Packaging/versioned-dependency.sh        (`make test` runs it beside `swift test`)
#
# What a consumer gets of the current working tree — Package.swift, Sources/ and Data/, tracked
# and untracked files that git does not ignore, uncommitted changes included — is committed to a
# snapshot repository and tagged 0.1.N whenever it changed. The snapshot and the consumer package
# live in .build/versioned-dependency/: a rerun with no change there (only tests or docs edited)
# rebuilds nothing; a change there rebuilds the consumer's copy of tsfc (SwiftPM rewrites its
# checkout), without index store or debug info to keep that cheap. Env: TSFC_ROOT (the checkout,
# default the one holding this script), TSFC_PACKAGING_DIR (the work folder), SWIFT (default swift).
# Prints one PASS/FAIL line per check and a final "N passed, M failed"; exits 1 on any failure.
set -uo pipefail
ROOT=$(cd "${TSFC_ROOT:-$(dirname "$0")/../..}" && pwd)
WORK=${TSFC_PACKAGING_DIR:-$ROOT/.build/versioned-dependency}
SWIFT=${SWIFT:-swift}
SNAPSHOT=$WORK/tsfc.git
CONSUMER=$WORK/consumer
LOG=$WORK/build.log
# What a consumer of the package needs: the manifest, the sources, the shipped data and model.
PUBLISHED="Package.swift Sources Data"

fail() {
  echo "versioned-dependency: FAIL: $1" >&2
  [[ -f $LOG ]] && { echo "--- last lines of $LOG:" >&2; tail -n 25 "$LOG" >&2; }
  echo "versioned-dependency: 0 passed, 1 failed"
  exit 1
}

mkdir -p "$WORK" || fail "cannot create $WORK"
: > "$LOG"

# 1. Snapshot the working tree into a git repository and tag it 0.1.N.
snap() { git --git-dir="$SNAPSHOT" --work-tree="$ROOT" "$@"; }
if [[ ! -d $SNAPSHOT ]]; then
  git init -q --bare "$SNAPSHOT" || fail "git init $SNAPSHOT"
  git --git-dir="$SNAPSHOT" config core.bare false
fi
snap read-tree --empty && snap add -A -- $PUBLISHED >> "$LOG" 2>&1 || fail "could not snapshot $ROOT"
if ! snap rev-parse -q --verify HEAD > /dev/null || ! snap diff --cached --quiet; then
  snap -c user.name=tsfc-packaging-check -c user.email=packaging@tsfc.invalid \
    commit -q -m "snapshot of $ROOT for the versioned-dependency check" >> "$LOG" 2>&1 || fail "git commit in $SNAPSHOT"
  snap tag "0.1.$(snap rev-list --count HEAD)" || fail "git tag in $SNAPSHOT"
fi
VERSION=$(snap describe --tags --exact-match HEAD 2>/dev/null) || fail "no version tag on the snapshot"

# 2. The consumer package: depends on the product TSFC by version, nothing else.
mkdir -p "$CONSUMER/Sources/consumer"
cat > "$CONSUMER/Package.swift" <<EOF
// swift-tools-version: 6.0
// Written by Tests/Packaging/versioned-dependency.sh: tsfc used by version, as another project would.
import PackageDescription

let package = Package(
    name: "consumer",
    dependencies: [.package(url: "file://$SNAPSHOT", from: "0.1.0")],
    targets: [.executableTarget(name: "consumer", dependencies: [.product(name: "TSFC", package: "tsfc")])],
    swiftLanguageModes: [.v5])
EOF
cat > "$CONSUMER/Sources/consumer/main.swift" <<'EOF'
// Library use through `import TSFC` only: closed forms, then the shipped model on ETTh1.
import Foundation
import TSFC

var passed = 0, failed = 0
func check(_ name: String, _ ok: Bool, _ detail: @autoclosure () -> String = "") {
    if ok { passed += 1; print("PASS \(name)") } else { failed += 1; print("FAIL \(name): \(detail())") }
}

let root = URL(fileURLWithPath: CommandLine.arguments[1])

// The tensor engine: [[1 2 3] [4 5 6]] · [[7 8] [9 10] [11 12]] = [[58 64] [139 154]].
let product = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).matmul(Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12]))
check("matmul closed form", product.shape == [2, 2] && product.scalars == [58, 64, 139, 154], "\(product.scalars)")

// Standardisation on the training rows: 1, 2, 3, 4 → mean 2.5, population std √1.25.
let frame = TimeSeriesFrame(timestamps: nil, columns: ["a"], values: [1, 2, 3, 4, 100])
let scaler = StandardScaler.fit(frame, rows: 0..<4)
check("standard scaler closed form", scaler.mean == [2.5] && abs(scaler.std[0] - Float(1.25).squareRoot()) < 1e-6, "\(scaler)")

// The shipped model forecasts every ETTh1 column 96 hours past the data's last row.
do {
    let (model, metadata) = try ModelBundle.loadForecaster(contentsOf: root.appendingPathComponent("Data/models/default.tsfc"))
    let data = try DataFile.open(root.appendingPathComponent("Data/ETTh1.csv").path)
    let result = try model.forecast(data, metadata: metadata, horizon: 96)
    let last = data.timestamps!.last!
    check("shipped model: one series per column", result.series.map(\.id) == data.columns, "\(result.series.map(\.id))")
    for series in result.series {
        let column = data.column(data.columns.firstIndex(of: series.id)!)
        let (low, high) = (column.min()!, column.max()!), span = high - low
        check("shipped model: \(series.id) has 96 finite values in the data's range",
              series.values.count == 96 && series.values.allSatisfy { $0.isFinite && $0 > low - span && $0 < high + span },
              "\(series.values.prefix(5))…")
        check("shipped model: \(series.id) is dated hourly after the last row",
              series.timestamps == (1...96).map { last + Int64($0) * 3600 }, "\(series.timestamps?.prefix(3) ?? [])…")
    }
} catch {
    check("shipped model forecasts ETTh1", false, "\(error)")
}
print("consumer: \(passed) passed, \(failed) failed")
exit(failed == 0 && passed > 0 ? 0 : 1)
EOF

# 3. Resolve by version (to the newest 0.1.x), build, run.
echo "versioned-dependency: tsfc $VERSION from $SNAPSHOT (snapshot of $ROOT)"
"$SWIFT" package --package-path "$CONSUMER" update >> "$LOG" 2>&1 \
  || fail "SwiftPM could not resolve tsfc $VERSION as a versioned dependency"
resolved=$(grep -A6 '"identity" : "tsfc"' "$CONSUMER/Package.resolved" | sed -n 's/.*"version" : "\(.*\)".*/\1/p')
[[ $resolved == "$VERSION" ]] || fail "resolved tsfc ${resolved:-?}, expected $VERSION"
if ! "$SWIFT" build --package-path "$CONSUMER" --disable-index-store -debug-info-format none >> "$LOG" 2>&1; then
  grep -q "unsafe build flags" "$LOG" \
    && fail "tsfc $VERSION carries unsafeFlags in a target of product TSFC, which SwiftPM refuses in a dependency used by version"
  fail "a package depending on tsfc $VERSION by version does not build"
fi
OUT=$("$CONSUMER/.build/debug/consumer" "$CONSUMER/.build/checkouts/tsfc" 2>&1); status=$?
echo "$OUT"
[[ $status == 0 ]] || fail "the consumer of tsfc $VERSION failed its checks (exit $status)"
echo "versioned-dependency: 1 passed, 0 failed (tsfc $VERSION by version: resolved, built, import TSFC ran)"
