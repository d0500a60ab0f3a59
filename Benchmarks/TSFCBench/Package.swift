// swift-tools-version: 6.0
// Stand-alone speed benchmarks of the tensor engine and the models (see BENCHMARKS.md): sgemm,
// MLP and transformer training steps, the backbone, AutoTimes and Time-LLM training/inference.
// Not part of the tsfc package. Run from this directory:
//   swift run -c release tsfc-bench [sgemm|mlp-step|transformer-step|backbone|autotimes-train|…]
// or build once (`swift build -c release`) and run `.build/release/tsfc-bench` (as the
// Benchmarks/run_*.sh runners do).
import Foundation
import PackageDescription

// The tsfc checkout two levels up; SwiftPM names a path dependency after its directory.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let tsfc = root.lastPathComponent

let package = Package(
    name: "tsfc-bench",
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "tsfc-bench",
            dependencies: [
                .product(name: "TSFC", package: tsfc),
                .product(name: "TSFCModels", package: tsfc),
                .product(name: "TSFCBackbone", package: tsfc),
                .product(name: "TSFCNN", package: tsfc),
                .product(name: "TSFCOptim", package: tsfc),
                .product(name: "TSFCTensor", package: tsfc),
            ]),
    ],
    swiftLanguageModes: [.v5])
