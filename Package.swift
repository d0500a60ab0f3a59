// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// MPI (issue 19) is optional: the CMPI system library and MPICommunicator are built only where
/// Open MPI's headers are installed (`make deps` installs libopenmpi-dev) and TSFC_MPI is not 0;
/// elsewhere tsfc builds and runs exactly as before, on one process.
let mpiHeaders = ["x86_64-linux-gnu", "aarch64-linux-gnu"].map { "/usr/lib/\($0)/openmpi/include/mpi.h" } + ["/usr/include/mpi.h"]
let withMPI = ProcessInfo.processInfo.environment["TSFC_MPI"] != "0"
    && mpiHeaders.contains { FileManager.default.fileExists(atPath: $0) }

/// tsfc — time-series forecasting and anomaly detection.
/// The target graph (ARCHITECTURE.md): C shims → tensor → nn → optim → training; data; backbone → models → detection → TSFC → commands.
let package = Package(
    name: "tsfc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tsfc", targets: ["tsfc"]),
        .library(name: "TSFC", targets: ["TSFC"]),
        .library(name: "TSFCTensor", targets: ["TSFCTensor"]),
        .library(name: "TSFCNN", targets: ["TSFCNN"]),
        .library(name: "TSFCOptim", targets: ["TSFCOptim"]),
        .library(name: "TSFCTraining", targets: ["TSFCTraining"]),
        .library(name: "TSFCModels", targets: ["TSFCModels"]),
        .library(name: "TSFCDetection", targets: ["TSFCDetection"]),
        .library(name: "TSFCData", targets: ["TSFCData"]),
        .library(name: "TSFCBackbone", targets: ["TSFCBackbone"]),
        .library(name: "TSFCCorpus", targets: ["TSFCCorpus"]),
        .library(name: "TSFCPlot", targets: ["TSFCPlot"]),
        .library(name: "TSFCDistributed", targets: ["TSFCDistributed"]),
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
        .target(name: "TSFCTensor", dependencies: ["COpenBLAS"]),
        .target(name: "TSFCDistributed", dependencies: withMPI ? ["CMPI"] : []),
        .target(name: "TSFCNN", dependencies: ["TSFCTensor"]),
        .target(name: "TSFCOptim", dependencies: ["TSFCNN"]),
        .target(name: "TSFCTraining", dependencies: ["TSFCTensor", "TSFCNN", "TSFCOptim", "TSFCDistributed"]),
        .target(
            name: "TSFCData", dependencies: ["TSFCTensor", "TSFCDistributed", "CCSV", "CHDF5"]),
        .target(name: "TSFCBackbone", dependencies: ["TSFCNN"]),
        .target(name: "TSFCCorpus", dependencies: ["TSFCData", "TSFCTensor"]),
        // Self-contained SVG figures (scales, calendar ticks, lines, bands, small multiples):
        // Foundation only, a leaf, so the commands draw results without the library knowing.
        .target(name: "TSFCPlot"),
        .target(name: "TSFCModels", dependencies: ["TSFCNN", "TSFCBackbone", "TSFCOptim", "TSFCTraining", "TSFCData", "COpenBLAS"]),
        .target(name: "TSFCDetection", dependencies: ["TSFCTensor", "TSFCNN", "TSFCTraining", "TSFCModels"]),
        .target(
            name: "TSFC",
            dependencies: ["TSFCTensor", "TSFCNN", "TSFCOptim", "TSFCTraining", "TSFCData", "TSFCBackbone", "TSFCModels",
                           "TSFCDetection", "TSFCCorpus", "TSFCDistributed", "Yams"]),
        .target(
            name: "TSFCCommands",
            dependencies: [
                "TSFC", "TSFCTensor", "TSFCNN", "TSFCOptim", "TSFCData", "TSFCPlot", "TSFCDistributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "tsfc", dependencies: ["TSFCCommands"]),
        // Helpers and fixtures shared by the test targets (temporary directories, running the
        // built tsfc, the tiny checkpoints and tokenizer); in no product.
        .target(name: "TSFCTestSupport", path: "Tests/TSFCTestSupport", resources: [.copy("Fixtures")]),
        .testTarget(name: "TSFCPlotTests", dependencies: ["TSFCPlot", "TSFCTestSupport"]),
        .testTarget(name: "TSFCTensorTests", dependencies: ["TSFCTensor", "TSFCTestSupport"]),
        .testTarget(name: "TSFCCorpusTests", dependencies: ["TSFCCorpus", "TSFCData", "TSFCTensor"]),
        .testTarget(name: "TSFCNNTests", dependencies: ["TSFCNN", "TSFCOptim"]),
        .testTarget(name: "TSFCTrainingTests", dependencies: ["TSFCTraining", "TSFCNN", "TSFCOptim", "TSFCTensor"]),
        .testTarget(name: "TSFCTests", dependencies: ["TSFC", "TSFCTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TSFCDetectionTests", dependencies: ["TSFCDetection", "TSFC"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TSFCCommandsTests", dependencies: ["tsfc", "TSFC", "TSFCCommands", "TSFCTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TSFCBackboneTests", dependencies: ["TSFCBackbone", "TSFCOptim", "TSFCTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "SpaceTimeTests", dependencies: ["TSFC", "TSFCOptim"]),
        .testTarget(name: "PatchQuantileTests", dependencies: ["TSFC", "TSFCModels", "TSFCNN", "TSFCOptim"]),
        .testTarget(name: "ARNetTests", dependencies: ["TSFC", "TSFCModels", "TSFCOptim"]),
        .testTarget(
            name: "TSFCDataTests", dependencies: ["TSFCData", "TSFCDistributed", "CHDF5", "tsfc", "TSFCTestSupport"],
            resources: [.copy("Fixtures")]),
    ] + (withMPI ? [
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])])
    ] : []),
    swiftLanguageModes: [.v5]
)
