import XCTest
import TSFCBackbone
import TSFCData
import TSFCNN
import TSFCTensor
@testable import TSFC

final class TextTimestampsTests: XCTestCase {
    let hourly = Frequency(seconds: 3600)

    func makeTokenizer() throws -> BPETokenizer {
        let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        return try BPETokenizer(tokenizerJSON: fixtures.appendingPathComponent("tokenizer.json"))
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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tsfc-text-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data.csv")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
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
}
