import Foundation
import TSFCCorpus
import TSFCTensor
import TSFCData
import XCTest

final class PretrainingCorpusTests: XCTestCase {
    var dataRoot: URL { Stats.packageRoot.appendingPathComponent("Data") }

    func syntheticSettings(seed: UInt64 = 1) -> CorpusSettings {
        var s = CorpusSettings()
        s.seed = seed
        s.weights.real = 0
        return s
    }

    func testSameSeedSameSeriesDifferentSeedDifferent() throws {
        let a = try PretrainingCorpus(settings: syntheticSettings(seed: 5), dataRoot: dataRoot)
        let b = try PretrainingCorpus(settings: syntheticSettings(seed: 5), dataRoot: dataRoot)
        let c = try PretrainingCorpus(settings: syntheticSettings(seed: 6), dataRoot: dataRoot)
        // Order of access does not matter: b reads backwards.
        let forward = (0..<60).map { a.series(at: $0) }
        let backward = (0..<60).reversed().map { b.series(at: $0) }.reversed()
        XCTAssertEqual(forward, Array(backward))
        let other = (0..<60).map { c.series(at: $0) }
        XCTAssertEqual(zip(forward, other).filter { $0.0.values == $0.1.values }.count, 0)
        XCTAssertNotEqual(a.series(at: 0).values, a.series(at: 1).values)
    }

    func testLengthsStayWithinBoundsAndEverySourceAppears() throws {
        var s = syntheticSettings(seed: 2)
        s.minLength = 30
        s.maxLength = 700
        let corpus = try PretrainingCorpus(settings: s, dataRoot: dataRoot)
        var sources = Set<String>(), frequencies = Set<String>()
        for i in 0..<400 {
            let x = corpus.series(at: i)
            XCTAssertTrue((30...700).contains(x.values.count), "series \(i): \(x.values.count)")
            XCTAssertTrue(x.values.allSatisfy(\.isFinite), "series \(i) (\(x.source)) has non-finite values")
            XCTAssertTrue(x.seasonLength >= 1 && x.seasonLength <= x.values.count)
            sources.insert(x.source)
            frequencies.insert(x.frequency.map(\.description) ?? "none")
        }
        XCTAssertEqual(sources, ["kernel_synth", "forecast_pfn", "arma", "random_walk", "intermittent"])
        XCTAssertGreaterThanOrEqual(frequencies.count, 10, "\(frequencies)")
    }

    func testValidationSplitIsDeterministicAndAboutItsFraction() throws {
        var s = syntheticSettings(seed: 3)
        s.validationFraction = 0.1
        let a = try PretrainingCorpus(settings: s, dataRoot: dataRoot)
        let b = try PretrainingCorpus(settings: s, dataRoot: dataRoot)
        let held = (0..<5000).filter { a.isValidation(index: $0) }
        XCTAssertEqual(held, (0..<5000).filter { b.isValidation(index: $0) })
        XCTAssertEqual(Double(held.count) / 5000, 0.1, accuracy: 0.015)
        let train = Set(0..<5000).subtracting(held)
        XCTAssertTrue(train.isDisjoint(with: held))
        s.validationFraction = 0
        XCTAssertFalse((0..<1000).contains { (try? PretrainingCorpus(settings: s, dataRoot: dataRoot))!.isValidation(index: $0) })
    }

    func testRealWindowsAreCutFromTheFileUnchanged() throws {
        var s = CorpusSettings()
        s.weights = CorpusWeights()
        s.weights.kernelSynth = 0; s.weights.forecastPFN = 0; s.weights.arma = 0
        s.weights.randomWalk = 0; s.weights.intermittent = 0; s.weights.real = 1
        s.realPaths = ["corpus/illness/national_illness.csv"]
        s.realLeadingFraction = 1
        s.minLength = 24
        s.maxLength = 300
        let corpus = try PretrainingCorpus(settings: s, dataRoot: dataRoot)
        let frame = try DataFile.open(dataRoot.appendingPathComponent("corpus/illness/national_illness.csv").path)
        for i in 0..<40 {
            let x = corpus.series(at: i)
            let column = String(x.source.split(separator: ":").last!)
            let c = try XCTUnwrap(frame.columnIndex(column), x.source)
            let full = frame.column(c)
            let found = (0...(full.count - x.values.count)).contains { Array(full[$0..<$0 + x.values.count]) == x.values }
            XCTAssertTrue(found, "series \(i) is not a window of \(x.source)")
            XCTAssertEqual(x.frequency?.description, frame.frequency?.description)
            XCTAssertEqual(x.seasonLength, x.values.count >= 104 ? 52 : 1)
        }
    }

    func testLeadingFractionAndAnomalyWindowsAreLeftOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("set"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // 100 hourly rows of value = row; rows 40…49 are a labelled anomaly window.
        var csv = "timestamp,value\n"
        for t in 0..<100 { csv += "\(Timestamp.format(Int64(t) * 3600 + 1_400_000_000 / 3600 * 3600)),\(t)\n" }
        try csv.write(to: dir.appendingPathComponent("set/a.csv"), atomically: true, encoding: .utf8)
        try csv.write(to: dir.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        let base = Int64(1_400_000_000 / 3600 * 3600)
        let windows = "{\"set/a.csv\": [[\"\(Timestamp.format(base + 40 * 3600)).000000\", \"\(Timestamp.format(base + 49 * 3600)).000000\"]]}"
        try windows.write(to: dir.appendingPathComponent("w.json"), atomically: true, encoding: .utf8)
        let pool = try RealSeriesPool(paths: ["set", dir.appendingPathComponent("b.csv").path], dataRoot: dir,
                                      anomalyWindows: "w.json", leadingFraction: 0.5, minLength: 10)
        XCTAssertEqual(pool.files.count, 2)
        XCTAssertEqual(pool.files[0][0].source, "set/a.csv:value")
        XCTAssertEqual(pool.files[0][0].segments, [(0..<40).map(Float.init), (50..<100).map(Float.init)])
        XCTAssertEqual(pool.files[1][0].segments, [(0..<50).map(Float.init)])
    }

    func testBadPathsAndForbiddenDataAreRefusedByName() throws {
        var s = CorpusSettings()
        s.realPaths = ["nowhere/missing.csv"]
        XCTAssertThrowsError(try PretrainingCorpus(settings: s, dataRoot: dataRoot)) { error in
            XCTAssertTrue("\(error)".contains("missing.csv"), "\(error)")
        }
        s.realPaths = ["/work/shared/data/M3/train.csv"]
        XCTAssertThrowsError(try PretrainingCorpus(settings: s, dataRoot: dataRoot)) { error in
            XCTAssertTrue("\(error)".contains("M3"), "\(error)")
        }
        XCTAssertFalse(CorpusSettings.isForbidden("corpus/weather/weather.csv"))
        XCTAssertTrue(CorpusSettings.isForbidden("data/m4/Monthly-train.csv"))
        s = CorpusSettings()
        s.maxLength = 10
        XCTAssertThrowsError(try PretrainingCorpus(settings: s, dataRoot: dataRoot))
    }

    func testSettingsDecodeFromPartialJSON() throws {
        let json = #"{"seed": 9, "weights": {"arma": 2}, "max_length": 512}"#
        let s = try JSONDecoder().decode(CorpusSettings.self, from: Data(json.utf8))
        XCTAssertEqual(s.seed, 9)
        XCTAssertEqual(s.weights.arma, 2)
        XCTAssertEqual(s.weights.kernelSynth, CorpusWeights().kernelSynth)
        XCTAssertEqual(s.maxLength, 512)
        XCTAssertEqual(s.minLength, CorpusSettings().minLength)
        let back = try JSONDecoder().decode(CorpusSettings.self, from: try JSONEncoder().encode(s))
        XCTAssertEqual(back, s)
    }

    /// Generation speed per source (logged; the bound is loose because debug builds are slow).
    func testGenerationSpeedPerSource() throws {
        let corpus = try PretrainingCorpus(settings: syntheticSettings(seed: 4), dataRoot: dataRoot)
        for source in CorpusSource.allCases where source != .real {
            let count = 200
            let start = Date()
            var points = 0
            for i in 0..<count {
                var rng = SeededGenerator(seed: CorpusSeeds.mix(4, UInt64(i)))
                points += corpus.generate(source, using: &rng).values.count
            }
            let seconds = Date().timeIntervalSince(start)
            print("corpus speed: \(source.rawValue): \(Int(Double(count) / seconds)) series/s, \(String(format: "%.3f", 1000 * seconds / Double(count))) ms/series, mean length \(points / count)")
            XCTAssertLessThan(seconds / Double(count), 0.05)
        }
    }
}
