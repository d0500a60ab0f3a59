// Issue 19: tsfc under `mpirun -np 2 --oversubscribe` on loopback — data-parallel training equals
// one process, sharded forecast and backtest write the same bytes as one process, and jobs that
// cannot run (rank counts, disagreeing ranks, a killed rank) stop with a message and no output.
import Foundation
import TSFC
import TSFCTestSupport
import XCTest

final class DistributedTests: XCTestCase {
    /// mpirun on loopback only, as CI runs it (root is allowed: CI containers run as root).
    static let mpiOptions = ["--oversubscribe", "--mca", "btl", "self,tcp", "--mca", "btl_tcp_if_include", "lo",
                             "--mca", "oob_tcp_if_include", "lo"]

    var tsfc: URL!
    var mpirun: URL!

    override func setUpWithError() throws {
        guard World.mpiAvailable else { throw XCTSkip("this build has no MPI (libopenmpi-dev was not installed when it was built)") }
        let found = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let found else { throw XCTSkip("mpirun is not installed (make deps installs openmpi-bin)") }
        mpirun = URL(fileURLWithPath: found)
        tsfc = try ProcessRunner.builtExecutable("tsfc")
        setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1)
        setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1)
    }

    func run(_ arguments: [String], in dir: URL) throws -> ProcessResult {
        try ProcessRunner.run(tsfc, arguments, in: dir)
    }

    func mpi(_ ranks: Int, _ arguments: [String], in dir: URL) throws -> ProcessResult {
        try ProcessRunner.run(mpirun, ["-np", String(ranks)] + Self.mpiOptions + [tsfc.path] + arguments, in: dir)
    }

    /// A long-layout panel of `count` monthly series of different lengths (trend, season, noise).
    static func panel(count: Int, seed: UInt64, interleaved: Bool = false) -> String {
        var rng = SeededGenerator(seed: seed)
        var rows: [(Int, String)] = []
        for s in 0..<count {
            let length = 20 + (s * 37) % 90
            let level = 50 + rng.uniform() * 100
            for t in 0..<length {
                let y = level + 0.4 * Double(t) + 10 * sin(2 * .pi * Double(t) / 12) + 3 * rng.normal()
                let month = 1950 * 12 + t
                rows.append((t, "S\(s),\(month / 12)-\(String(format: "%02d", month % 12 + 1))-01,\(String(format: "%.3f", y))"))
            }
        }
        if interleaved { rows.sort { $0.0 < $1.0 } }                // by date: a series' rows are not contiguous
        return "unique_id,ds,y\n" + rows.map(\.1).joined(separator: "\n") + "\n"
    }

    func testShardedForecastWritesTheSameBytesAsOneProcess() throws {
        let dir = try makeTemporaryDirectory(removedAfter: self)
        _ = try writeFile(Self.panel(count: 23, seed: 3), named: "panel.csv", in: dir)
        _ = try writeFile(Self.panel(count: 9, seed: 4, interleaved: true), named: "interleaved.csv", in: dir)
        let etth1 = try String(contentsOf: Checkout.data("ETTh1.csv"), encoding: .utf8).split(separator: "\n").prefix(600)
        _ = try writeFile(etth1.joined(separator: "\n") + "\n", named: "wide.csv", in: dir)
        try HDF5Writer.write(try DataFile.open(dir.appendingPathComponent("wide.csv").path), to: dir.appendingPathComponent("wide.h5").path)
        for (file, extra) in [("panel.csv", ["--level", "80,95"]), ("panel.csv", ["--format", "json", "--horizon", "70"]),
                              ("interleaved.csv", ["--quantiles", "0.1,0.9"]), ("wide.csv", ["--level", "90"]),
                              ("wide.h5", ["--horizon", "5"])] {
            let args = ["forecast", file] + (extra.contains("--horizon") ? [] : ["--horizon", "12"]) + extra
            let one = try run(args + ["--output", "one.out"], in: dir)
            XCTAssertEqual(one.status, 0, one.stderr)
            for ranks in file == "panel.csv" && extra.contains("--level") ? [2, 3] : [2] {
                let many = try mpi(ranks, args + ["--output", "many.out"], in: dir)
                XCTAssertEqual(many.status, 0, many.stderr)
                let a = try Data(contentsOf: dir.appendingPathComponent("one.out"))
                let b = try Data(contentsOf: dir.appendingPathComponent("many.out"))
                XCTAssertGreaterThan(a.count, 1000)
                XCTAssertEqual(a, b, "\(file) \(extra) on \(ranks) ranks differs from one process")
            }
        }
        // CSV on stdout, streamed from the ranks to rank 0 one part after another.
        let one = try run(["forecast", "panel.csv", "--horizon", "5"], in: dir)
        let three = try mpi(3, ["forecast", "panel.csv", "--horizon", "5"], in: dir)
        XCTAssertEqual(three.status, 0, three.stderr)
        XCTAssertEqual(one.stdout.split(separator: "\n").count, 1 + 23 * 5)
        XCTAssertEqual(one.stdout, three.stdout)
    }

    func testShardedConformalIntervalsPoolEveryRanksResiduals() throws {
        // A model without a quantile head (DLinear, 16 → 4) gets conformal intervals; the short
        // series borrow the panel's pooled residuals, which must come from every rank.
        let dir = try makeTemporaryDirectory(removedAfter: self)
        let etth1 = try String(contentsOf: Checkout.data("ETTh1.csv"), encoding: .utf8).split(separator: "\n").prefix(200)
        _ = try writeFile(etth1.joined(separator: "\n") + "\n", named: "small.csv", in: dir)
        let config = Checkout.root.appendingPathComponent("Configs/dlinear-etth1.yaml").path
        let trained = try run(["train", "--config", config, "--set", "data.path=\(dir.path)/small.csv", "--set", "data.split=ratios",
                               "--set", "model.context_length=16", "--set", "model.horizon=4", "--output", "run", "--bundle", "dl.tsfc"], in: dir)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        var text = "unique_id,ds,y\n"
        for s in 0..<7 { for t in 0..<(20 + 9 * s) { text += "s\(s),\(2000 + t),\(String(format: "%.3f", sin(Double(t) / 3) + Double(s) + 0.1 * Double(t)))\n" } }
        _ = try writeFile(text, named: "seven.csv", in: dir)
        let args = ["forecast", "seven.csv", "--horizon", "4", "--level", "80,95", "--model", "dl.tsfc"]
        let one = try run(args + ["--output", "one.csv"], in: dir)
        let three = try mpi(3, args + ["--output", "three.csv"], in: dir)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(three.status, 0, three.stderr)
        XCTAssertTrue(one.stderr.contains("2 of 7 series had fewer than"), one.stderr)
        XCTAssertEqual(one.stderr, three.stderr, "the pooling note counts the whole panel")
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("one.csv")), try Data(contentsOf: dir.appendingPathComponent("three.csv")))
    }

    func testAForecastDependsOnlyOnItsOwnHistory() throws {
        // The property sharding rests on: a series forecast alone gives the bits it gets in a panel.
        let dir = try makeTemporaryDirectory(removedAfter: self)
        let text = Self.panel(count: 23, seed: 3)
        _ = try writeFile(text, named: "panel.csv", in: dir)
        let alone = "unique_id,ds,y\n" + text.split(separator: "\n").filter { $0.hasPrefix("S7,") }.joined(separator: "\n") + "\n"
        _ = try writeFile(alone, named: "alone.csv", in: dir)
        let panel = try run(["forecast", "panel.csv", "--horizon", "12", "--level", "80"], in: dir)
        let single = try run(["forecast", "alone.csv", "--horizon", "12", "--level", "80"], in: dir)
        XCTAssertEqual(panel.status, 0, panel.stderr)
        XCTAssertEqual(single.status, 0, single.stderr)
        let fromPanel = panel.stdout.split(separator: "\n").filter { $0.hasPrefix("S7,") }
        let fromAlone = single.stdout.split(separator: "\n").dropFirst()
        XCTAssertEqual(fromPanel.count, 12)
        XCTAssertEqual(Array(fromPanel), Array(fromAlone))
    }

    func testShardedBacktestWritesTheSameBytesAsOneProcess() throws {
        let dir = try makeTemporaryDirectory(removedAfter: self)
        _ = try writeFile(Self.panel(count: 17, seed: 5), named: "panel.csv", in: dir)
        let model = Checkout.data("models/default.tsfc").path
        for extra in [["--level", "80", "--format", "json"], ["--model", model, "--baselines", "--level", "80,95"]] {
            let args = ["backtest", "panel.csv", "--horizon", "6", "--windows", "2"] + extra
            let one = try run(args + ["--output", "one.out"], in: dir)
            XCTAssertEqual(one.status, 0, one.stderr)
            let many = try mpi(2, args + ["--output", "many.out"], in: dir)
            XCTAssertEqual(many.status, 0, many.stderr)
            XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("one.out")),
                           try Data(contentsOf: dir.appendingPathComponent("many.out")), "backtest \(extra)")
            XCTAssertEqual(one.stderr, many.stderr, "the notes and the accuracy table")
        }
    }

    /// A short pretraining run of the default model's recipe.
    static let pretraining = ["--set", "pretraining.steps=4", "--set", "training.batch_size=8", "--set", "pretraining.validation_windows=16",
                              "--set", "training.validate_every=2", "--set", "pretraining.training_context=64"]

    func testTwoRanksTrainAsOneProcessDoes() throws {
        let dir = try makeTemporaryDirectory(removedAfter: self)
        let config = Checkout.root.appendingPathComponent("Configs/pretrain.yaml").path
        let one = try run(["train", "--config", config, "--output", "one"] + Self.pretraining, in: dir)
        XCTAssertEqual(one.status, 0, one.stderr)
        let two = try mpi(2, ["train", "--config", config, "--output", "two"] + Self.pretraining, in: dir)
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertTrue(two.stderr.contains("2 ranks:"), two.stderr)
        // The losses: the same global batches, summed in another order.
        func losses(_ run: String) throws -> [Double] {
            try String(contentsOf: dir.appendingPathComponent("\(run)/metrics.jsonl"), encoding: .utf8).split(separator: "\n").flatMap { line in
                let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                return [record["train_loss"] as! Double, record["validation_loss"] as! Double]
            }
        }
        let (a, b) = (try losses("one"), try losses("two"))
        XCTAssertEqual(a.count, 4)
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5 * abs(x), "losses of 1 and 2 ranks") }
        // The weights after four AdamW steps (learning rate up to 1e-3).
        let p1 = try ModelBundle.read(contentsOf: dir.appendingPathComponent("one/model.tsfc")).parameters
        let p2 = try ModelBundle.read(contentsOf: dir.appendingPathComponent("two/model.tsfc")).parameters
        XCTAssertEqual(Set(p1.keys), Set(p2.keys))
        var worst: Float = 0
        for (name, w) in p1 { worst = max(worst, zip(w.scalars, p2[name]!.scalars).map { abs($0 - $1) }.max() ?? 0) }
        XCTAssertLessThan(worst, 2e-5, "largest weight difference between 1 and 2 ranks")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("two/failed.txt").path))
    }

    func testARankCountThatCannotSplitTheBatchIsRefused() throws {
        let dir = try makeTemporaryDirectory(removedAfter: self)
        let config = Checkout.root.appendingPathComponent("Configs/pretrain.yaml").path
        let three = try mpi(3, ["train", "--config", config, "--output", "three"] + Self.pretraining, in: dir)
        XCTAssertNotEqual(three.status, 0)
        XCTAssertTrue(three.stderr.contains("training.batch_size 8 cannot be split evenly over 3 ranks"), three.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("three/model.tsfc").path))
    }

    func testRanksThatDisagreeStopBeforeWriting() throws {
        let dir = try makeTemporaryDirectory(removedAfter: self)
        _ = try writeFile(Self.panel(count: 5, seed: 6), named: "panel.csv", in: dir)
        // MPMD: rank 0 and rank 1 are given different horizons.
        let result = try ProcessRunner.run(mpirun, Self.mpiOptions + ["-np", "1", tsfc.path, "forecast", "panel.csv", "--horizon", "3", "--output", "f.csv",
                                                                      ":", "-np", "1", tsfc.path, "forecast", "panel.csv", "--horizon", "4", "--output", "f.csv"],
                                           in: dir)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("the ranks disagree on the command line"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("f.csv").path))
        // Commands that do not share work refuse to run on several ranks.
        let detect = try mpi(2, ["detect", "panel.csv"], in: dir)
        XCTAssertNotEqual(detect.status, 0)
        XCTAssertTrue(detect.stderr.contains("runs on one process, not on 2 MPI ranks"), detect.stderr)
    }

    /// Pretraining for 20 steps, validated every 5.
    static let longer = ["--set", "pretraining.steps=20", "--set", "training.batch_size=8", "--set", "training.validate_every=5",
                         "--set", "pretraining.validation_windows=8", "--set", "pretraining.training_context=64"]

    func testAKilledRankStopsTheJobAndOneProcessResumesIt() throws {
        let dir = try makeTemporaryDirectory(removedAfter: self)
        let config = Checkout.root.appendingPathComponent("Configs/pretrain.yaml").path
        let process = Process()
        process.executableURL = mpirun
        process.arguments = ["-np", "2"] + Self.mpiOptions + [tsfc.path, "train", "--config", config, "--output", "run"] + Self.longer
        process.currentDirectoryURL = dir
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until training has validated (the checkpoint exists), then kill rank 1.
        let checkpoint = dir.appendingPathComponent("run/checkpoint.safetensors")
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: checkpoint.path) && Date() < deadline { usleep(100_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint.path), "training did not start")
        let ranks = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/pgrep"), ["-P", String(process.processIdentifier)])
        let pids = ranks.stdout.split(separator: "\n").compactMap { Int32($0) }
        XCTAssertEqual(pids.count, 2, "mpirun's children: \(ranks.stdout)")
        kill(pids.max()!, SIGKILL)
        let errorBytes = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertNotEqual(process.terminationStatus, 0)
        let message = String(decoding: errorBytes, as: UTF8.self)
        XCTAssertTrue(message.contains("signal 9") || message.contains("Killed"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("run/model.tsfc").path))
        // The checkpoint was written atomically by rank 0; one process resumes it (another rank
        // count) and ends where an uninterrupted one-process run ends.
        let stoppedAt = try XCTUnwrap(Int(try Safetensors.readMetadata(contentsOf: checkpoint)["step"] ?? ""))
        XCTAssertLessThan(stoppedAt, 20)
        let resumed = try run(["train", "--resume", "run"], in: dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let straight = try run(["train", "--config", config, "--output", "straight"] + Self.longer, in: dir)
        XCTAssertEqual(straight.status, 0, straight.stderr)
        let p1 = try ModelBundle.read(contentsOf: dir.appendingPathComponent("run/model.tsfc")).parameters
        let p2 = try ModelBundle.read(contentsOf: dir.appendingPathComponent("straight/model.tsfc")).parameters
        var worst: Float = 0
        for (name, w) in p1 { worst = max(worst, zip(w.scalars, p2[name]!.scalars).map { abs($0 - $1) }.max() ?? 0) }
        XCTAssertLessThan(worst, 1e-5, "resumed on 1 process after \(stoppedAt) steps on 2 ranks vs 20 steps on 1")
    }
}
