// swift-tools-version: 6.0
// Stand-alone benchmark of AR-Net vs Classic-AR fit time as the order p grows (see BENCHMARKS.md,
// "AR-Net (issue 8)"). Not part of the tsfc package. Run from this directory:
//   swift run arnet-bench [n] [epochs] [p …]          (BENCHMARKS.md's figures: a debug build)
//   swift run -c release arnet-bench [n] [epochs] [p …]
import Foundation
import PackageDescription

// The tsfc checkout two levels up; SwiftPM names a path dependency after its directory.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let tsfc = root.lastPathComponent

let package = Package(
    name: "arnet-bench",
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "arnet-bench",
            dependencies: [
                .product(name: "TSFCModels", package: tsfc),
                .product(name: "TSFCTensor", package: tsfc),
            ]),
    ],
    swiftLanguageModes: [.v5])
