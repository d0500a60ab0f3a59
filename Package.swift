// swift-tools-version: 6.0
import PackageDescription

/// tsfc — time-series forecasting and anomaly detection.
/// The target graph follows DESIGN.md: C shims → tensor → nn → optim/data/backbone → adapters → TSFC → commands.
let optimized: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "tsfc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tsfc", targets: ["tsfc"]),
        .library(name: "TSFC", targets: ["TSFC"]),
        .executable(name: "tsfc-bench", targets: ["tsfc-bench"]),
        .library(name: "TSFCTensor", targets: ["TSFCTensor"]),
        .library(name: "TSFCNN", targets: ["TSFCNN"]),
        .library(name: "TSFCOptim", targets: ["TSFCOptim"]),
        .library(name: "TSFCTraining", targets: ["TSFCTraining"]),
        .library(name: "TSFCModels", targets: ["TSFCModels"]),
        .library(name: "TSFCDetection", targets: ["TSFCDetection"]),
        .library(name: "TSFCData", targets: ["TSFCData"]),
        .library(name: "TSFCBackbone", targets: ["TSFCBackbone"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CCSV",
            providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(
            name: "CHDF5", pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]),
        .target(name: "TSFCTensor", dependencies: ["COpenBLAS"], swiftSettings: optimized),
        .target(name: "TSFCNN", dependencies: ["TSFCTensor"], swiftSettings: optimized),
        .target(name: "TSFCOptim", dependencies: ["TSFCNN"], swiftSettings: optimized),
        .target(name: "TSFCTraining", dependencies: ["TSFCTensor", "TSFCNN", "TSFCOptim"], swiftSettings: optimized),
        .target(
            name: "TSFCData", dependencies: ["TSFCTensor", "CCSV", "CHDF5"], swiftSettings: optimized),
        .target(name: "TSFCBackbone", dependencies: ["TSFCNN"], swiftSettings: optimized),
        .target(
            name: "TSFCModels", dependencies: ["TSFCNN", "TSFCBackbone", "TSFCOptim", "TSFCTraining", "TSFCData", "COpenBLAS"],
            swiftSettings: optimized),
        .target(
            name: "TSFCDetection", dependencies: ["TSFCTensor", "TSFCNN", "TSFCTraining", "TSFCModels"],
            swiftSettings: optimized),
        .target(
            name: "TSFC",
            dependencies: ["TSFCTensor", "TSFCNN", "TSFCOptim", "TSFCTraining", "TSFCData", "TSFCBackbone", "TSFCModels",
                           "TSFCDetection", "Yams"],
            swiftSettings: optimized),
        .target(
            name: "TSFCCommands",
            dependencies: [
                "TSFC", "TSFCTensor", "TSFCNN", "TSFCOptim", "TSFCData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "tsfc", dependencies: ["TSFCCommands"]),
        .executableTarget(
            name: "tsfc-bench", dependencies: ["COpenBLAS", "TSFC", "TSFCBackbone", "TSFCTensor", "TSFCNN", "TSFCOptim"], swiftSettings: optimized),
        .testTarget(
            name: "TSFCTensorTests", dependencies: ["TSFCTensor"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "TSFCNNTests", dependencies: ["TSFCNN", "TSFCOptim"]),
        .testTarget(name: "TSFCTrainingTests", dependencies: ["TSFCTraining", "TSFCNN", "TSFCOptim", "TSFCTensor"]),
        .testTarget(name: "TSFCTests", dependencies: ["TSFC"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TSFCDetectionTests", dependencies: ["TSFCDetection", "TSFC"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TSFCCommandsTests", dependencies: ["tsfc"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TSFCBackboneTests", dependencies: ["TSFCBackbone", "TSFCOptim"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "SpaceTimeTests", dependencies: ["TSFC", "TSFCOptim"]),
        .executableTarget(name: "arnet-bench", dependencies: ["TSFCModels", "TSFCTensor"], swiftSettings: optimized),
        .testTarget(name: "ARNetTests", dependencies: ["TSFC", "TSFCModels", "TSFCOptim"]),
        .testTarget(
            name: "TSFCDataTests", dependencies: ["TSFCData", "CHDF5", "tsfc"],
            resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v5]
)
