import XCTest
import TSFCModels
import TSFCBackbone
import TSFCData
import TSFCNN
import TSFCTensor
@testable import TSFC
import TSFCTestSupport

final class TextTimestampsTests: XCTestCase {
    let hourly = Frequency(seconds: 3600)

    func makeTokenizer() throws -> BPETokenizer {
        try BPETokenizer(tokenizerJSON: SharedFixtures.tokenizerJSON)
    }

    func makeDecoder() throws -> CausalDecoder {
        var rng = SeededGenerator(seed: 11)
        return try CausalDecoder(configuration: .scratch(layers: 2, width: 16, heads: 2, vocab: 600, maxPositions: 128),
                                 using: &rng)
    }

    func testDescriptionMatchesAutoTimes() {
        let start = Timestamp.epochSeconds(year: 2016, month: 7, day: 1)
        XCTAssertEqual(TextTimestamps.description(start: start, segmentLength: 96, frequency: hourly),
                       "This is Time Series from 2016-07-01 00:00:00 to 2016-07-04 23:00:00")
        let quarter = Frequency(seconds: 900)
        XCTAssertEqual(TextTimestamps.description(start: start + 3600 * 23, segmentLength: 96, frequency: quarter),
                       "This is Time Series from 2016-07-01 23:00:00 to 2016-07-02 22:45:00")
    }

    func testEmbeddingIsTheDecodersLastTokenHiddenState() throws {
        let tokenizer = try makeTokenizer(), decoder = try makeDecoder()
        let start = Timestamp.epochSeconds(year: 2016, month: 7, day: 1)
        let texts = (0..<5).map { TextTimestamps.description(start: start + Int64($0 * 7) * 3600 * 24 * 40, segmentLength: 96, frequency: hourly) }
        let batched = try TextTimestamps.embed(texts, decoder: decoder, tokenizer: tokenizer, batchSize: 2)
        XCTAssertEqual(batched.count, 5 * 16)
        for (k, text) in texts.enumerated() {
            // Oracle: the decoder alone on this one string, logits-free: the last row of its hidden states.
            let ids = tokenizer.encode(text)
            XCTAssertGreaterThan(ids.count, 5)
            let hidden = try decoder(tokenIDs: ids, shape: [1, ids.count]).scalars     // [1, n, 16]
            let last = Array(hidden[((ids.count - 1) * 16)..<(ids.count * 16)])
            for j in 0..<16 { XCTAssertEqual(batched[k * 16 + j], last[j], accuracy: 1e-5) }
        }
        XCTAssertNotEqual(Array(batched[0..<16]), Array(batched[16..<32]), "different dates, different embeddings")
    }

    func testCacheIsReusedAndKeyedByItsInputs() throws {
        let tokenizer = try makeTokenizer(), decoder = try makeDecoder()
        let folder = try makeTemporaryDirectory("tsfc-text", removedAfter: self)
        let data = folder.appendingPathComponent("data.csv")
        try "date,x\n".write(to: data, atomically: true, encoding: .utf8)
        let stamps = (0..<7).map { Timestamp.epochSeconds(year: 2016, month: 7, day: 1) + Int64($0) * 3600 }
        let url = TextTimestamps.cacheURL(folder: folder, dataFile: data.path, backbone: "tiny", segmentLength: 4, frequency: hourly)
        let first = try TextTimestamps.rowEmbeddings(timestamps: stamps, segmentLength: 4, frequency: hourly,
                                                     decoder: decoder, tokenizer: tokenizer, cache: url)
        XCTAssertTrue(first.computed)
        let mtime = try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as! Date
        let second = try TextTimestamps.rowEmbeddings(timestamps: stamps, segmentLength: 4, frequency: hourly,
                                                      decoder: decoder, tokenizer: tokenizer, cache: url)
        XCTAssertFalse(second.computed)
        XCTAssertEqual(second.values, first.values)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as! Date, mtime)
        let texts = stamps.map { TextTimestamps.description(start: $0, segmentLength: 4, frequency: hourly) }
        XCTAssertEqual(first.values, try TextTimestamps.embed(texts, decoder: decoder, tokenizer: tokenizer))
        // Another S, backbone or frequency is another cache file.
        XCTAssertNotEqual(url, TextTimestamps.cacheURL(folder: folder, dataFile: data.path, backbone: "tiny", segmentLength: 8, frequency: hourly))
        XCTAssertNotEqual(url, TextTimestamps.cacheURL(folder: folder, dataFile: data.path, backbone: "other", segmentLength: 4, frequency: hourly))
        XCTAssertNotEqual(url, TextTimestamps.cacheURL(folder: folder, dataFile: data.path, backbone: "tiny", segmentLength: 4, frequency: Frequency(seconds: 60)))
    }

    func testUnwritableCacheIsAClearError() throws {
        let tokenizer = try makeTokenizer(), decoder = try makeDecoder()
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("tsfc-blocker-\(UUID())")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let url = blocker.appendingPathComponent("sub/cache.safetensors")   // a folder below a plain file
        XCTAssertThrowsError(try TextTimestamps.rowEmbeddings(timestamps: [0], segmentLength: 4, frequency: hourly,
                                                              decoder: decoder, tokenizer: tokenizer, cache: url)) { error in
            XCTAssertTrue("\(error)".contains("cache"), "\(error)")
        }
    }

    /// A row past the data whose description the decoder refuses (here more tokens than its
    /// positions: a five-digit year) stopped the process with a precondition failure; it is a
    /// `TextTimestampError`, from the embeddings and from the marks built on them.
    func testRowPastTheDataThatCannotBeEmbeddedIsATypedError() throws {
        let tokenizer = try makeTokenizer()
        let start = Timestamp.epochSeconds(year: 2016, month: 7, day: 1)
        let far = Timestamp.epochSeconds(year: 12016, month: 7, day: 1)
        let near = TextTimestamps.description(start: start, segmentLength: 4, frequency: hourly)
        let farText = TextTimestamps.description(start: far, segmentLength: 4, frequency: hourly)
        let positions = tokenizer.encode(near).count
        XCTAssertGreaterThan(tokenizer.encode(farText).count, positions)
        var rng = SeededGenerator(seed: 12)
        let decoder = try CausalDecoder(configuration: .scratch(layers: 1, width: 16, heads: 2, vocab: 600, maxPositions: positions),
                                        using: &rng)
        let row = try TextTimestamps.embed([near], decoder: decoder, tokenizer: tokenizer)
        let embeddings = TextRowEmbeddings(values: row, width: 16, segmentLength: 4, frequency: hourly,
                                           decoder: decoder, tokenizer: tokenizer)
        XCTAssertEqual(try embeddings.embedding(row: 0, timestamp: start), row)
        XCTAssertThrowsError(try embeddings.embedding(row: 7, timestamp: far)) { error in
            XCTAssertTrue(error is TextTimestampError, "\(error)")
            XCTAssertTrue("\(error)".contains("row 7") && "\(error)".contains(farText), "\(error)")
        }
        let marks = SegmentMarks(timestamps: [start], frequency: hourly, segmentLength: 4, text: embeddings)
        let farRow = Int((far - start) / 3600)
        XCTAssertEqual(marks.timestamp(ofRow: farRow), far)
        XCTAssertThrowsError(try marks.marks(startRows: [farRow], tokens: 1)) { XCTAssertTrue($0 is TextTimestampError, "\($0)") }
        XCTAssertEqual(try marks.marks(startRows: [0], tokens: 1).scalars, row)
    }

    func testTextMarksThreadThroughLossAndRollout() throws {
        let tokenizer = try makeTokenizer(), decoder = try makeDecoder()
        decoder.freeze()
        let folder = try makeTemporaryDirectory("tsfc-textmodel", removedAfter: self)
        try FileManager.default.copyItem(at: SharedFixtures.tokenizerJSON,
                                         to: folder.appendingPathComponent("tokenizer.json"))
        var config = ModelConfiguration()
        config.segmentLength = 4
        config.contextSegments = 3
        config.timestamps = .text
        config.backbone.kind = .pretrained
        config.backbone.path = folder.path
        var rng = SeededGenerator(seed: 3)
        let adapter = AutoTimesAdapter(segmentLength: 4, width: 16, hidden: 8, activation: .tanh, dropout: 0,
                                       textPositions: true, using: &rng)
        XCTAssertNil(adapter.positionEncoder)
        let model = Forecaster(configuration: config, adapter: adapter, backbone: decoder)
        let start = Timestamp.epochSeconds(year: 2016, month: 7, day: 1)
        let stamps = (0..<20).map { start + Int64($0) * 3600 }
        let frame = TimeSeriesFrame(timestamps: stamps, columns: ["x"], values: (0..<20).map { Float($0 % 5) },
                                    source: folder.appendingPathComponent("data.csv").path)
        let marks = try PreparedDataset.segmentMarks(for: frame, model: config, forecaster: model,
                                                     cacheFolder: folder.appendingPathComponent("cache"))!
        XCTAssertEqual(marks.featureCount, 16)
        // Rows 8, 12, 16 lie in the data, rows 20 and 24 after it: all equal their descriptions' embeddings.
        let m = try marks.marks(startRows: [8], tokens: 5)                      // [1, 5, 16]
        let texts = [8, 12, 16, 20, 24].map {
            TextTimestamps.description(start: start + Int64($0) * 3600, segmentLength: 4, frequency: hourly)
        }
        let oracle = try TextTimestamps.embed(texts, decoder: decoder, tokenizer: tokenizer)
        for (a, b) in zip(m.scalars, oracle) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        // The position scale learns: its gradient matches finite differences.
        var g = SeededGenerator(seed: 4)
        let windows = Tensor.randomNormal([1, 16], using: &g)
        let ctx = m.slice(axis: 1, 0..<3)
        let scale = adapter.positionScale!
        let (_, grads) = TSFCNN.valueAndGradient(for: [scale]) { model.loss(windows: windows, marks: ctx) }
        let saved = scale.value
        scale.value = Tensor([saved.scalars[0] + 1e-2]); let fp = model.loss(windows: windows, marks: ctx).item
        scale.value = Tensor([saved.scalars[0] - 1e-2]); let fm = model.loss(windows: windows, marks: ctx).item
        scale.value = saved
        XCTAssertEqual(grads[0].scalars[0], (fp - fm) / 2e-2, accuracy: 1e-2 * max(1, abs((fp - fm) / 2e-2)))
        XCTAssertGreaterThan(abs(grads[0].scalars[0]), 0)
        // The sliding rollout uses the future rows' text marks: equal to a manual slide.
        let x = Tensor.randomNormal([1, 12], using: &g)
        let f = model.forecast(context: x, horizon: 12, marks: m)
        var window = x, manual: [Tensor] = []
        for k in 0..<3 {
            let p = model.nextSegments(window, marks: m.slice(axis: 1, k..<(k + 3))).slice(axis: 1, 2..<3).reshaped([1, 4])
            manual.append(p)
            window = Tensor.concat([window.slice(axis: 1, 4..<12), p], axis: 1)
        }
        XCTAssertLessThan(Tensor.concat(manual, axis: 1).maxAbsDifference(f), 1e-5)
    }

    func testTextModeConfigurationErrors() throws {
        var config = ModelConfiguration()
        config.timestamps = .text
        XCTAssertThrowsError(try ModelFactory.makeForecaster(config, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("pretrained"), "\(error)")
        }
        XCTAssertThrowsError(try TextTimestamps.loadTokenizer(directory: "/nonexistent-dir")) { error in
            XCTAssertTrue("\(error)".contains("tokenizer.json"), "\(error)")
        }
    }
}
