// swift-tools-version: 6.0
// Stand-alone benchmark of safetensors reading (see BENCHMARKS.md); not part of the tsfc package.
// Run from this directory: swift run -c release safetensors-read-bench [path.safetensors]
import Foundation
import PackageDescription

// The tsfc checkout two levels up; SwiftPM names a path dependency after its directory.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "safetensors-read-bench",
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "safetensors-read-bench",
            dependencies: [.product(name: "TSFCTensor", package: root.lastPathComponent)]),
    ],
    swiftLanguageModes: [.v5])
