import XCTest
import TSFCBackbone
import TSFCModels
import TSFCData
import TSFCNN
import TSFCTensor
@testable import TSFCDetection

/// Scorers against naive oracles, streaming against batch, and aggregation by hand.
final class ScorerTests: XCTestCase {
    func smallAutoTimes(segment: Int = 4, segments: Int = 3, seed: UInt64 = 1) -> Forecaster {
        var config = ModelConfiguration()
        config.segmentLength = segment
        config.contextSegments = segments
        var rng = SeededGenerator(seed: seed)
        let adapter = AutoTimesAdapter(segmentLength: segment, width: 8, hidden: 16, activation: .tanh, dropout: 0, using: &rng)
        return Forecaster(configuration: config, adapter: adapter, backbone: IdentityBackbone(width: 8))
    }

    func smallAutoencoder(window: Int = 8, patch: Int = 4, channels: Int = 2, seed: UInt64 = 2) throws -> TriPLLMAutoencoder {
        var rng = SeededGenerator(seed: seed)
        let decoder = try CausalDecoder(configuration: .scratch(layers: 1, width: 8, heads: 2, maxPositions: window / patch),
                                        using: &rng)
        return TriPLLMAutoencoder(windowLength: window, patchLength: patch, channels: channels, backbone: decoder,
                                  dropout: 0, using: &rng)
    }

    func randomSeries(rows: Int, channels: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return Tensor.randomNormal([rows * channels], using: &rng).scalars
    }

    func testAggregationAndTopChannelsByHand() {
        let s = AnomalyScores(channels: 3, perChannel: [1, 5, 3,
                                                        4, 4, 0])
        XCTAssertEqual(s.aggregated(.mean), [3, 8.0 / 3])
        XCTAssertEqual(s.aggregated(.max), [5, 4])
        XCTAssertEqual(s.topChannels(at: 0, k: 2), [1, 2])
        XCTAssertEqual(s.topChannels(at: 1, k: 3), [0, 1, 2])   // tie: lower index first
    }

    func testResidualScoresEqualANaivePerBlockForecast() throws {
        let model = smallAutoTimes()                      // L = 12, h = 4
        let scorer = ForecastResidualScorer(model: model, batchSize: 5)
        let rows = 23, channels = 2, history = 3
        let x = randomSeries(rows: rows, channels: channels, seed: 7)
        let scores = try scorer.channelScores(ScoringInput(values: x, channels: channels, historyRows: history))
        XCTAssertEqual(scores.count, rows - history)
        // Oracle: pad with the first row to L rows of context, then forecast each block of 4 from
        // the 12 rows before it, one channel and one block at a time.
        let pad = 12 - history
        let padded = [Float](repeating: 0, count: 0) + (0..<pad).flatMap { _ in Array(x[0..<channels]) } + x
        for t in 0..<(rows - history) {
            let row = pad + history + t, blockStart = row - t % 4
            for c in 0..<channels {
                let context = (0..<12).map { padded[(blockStart - 12 + $0) * channels + c] }
                let f = model.forecast(context: Tensor(shape: [1, 12], scalars: context), horizon: 4).scalars
                let e = padded[row * channels + c] - f[t % 4]
                XCTAssertEqual(scores.perChannel[t * channels + c], e * e, accuracy: 1e-4 * max(1, e * e))
            }
        }
    }

    func testReconstructionScoresAverageEveryCoveringWindow() throws {
        let model = try smallAutoencoder()                // L = 8, C = 2
        let scorer = ReconstructionScorer(model: model, batchSize: 3)
        let rows = 13, channels = 2
        let x = randomSeries(rows: rows, channels: channels, seed: 8)
        let scores = try scorer.channelScores(ScoringInput(values: x, channels: channels))
        // Oracle: reconstruct each window alone; average each step's squared errors over the
        // windows that contain it.
        var sums = [Float](repeating: 0, count: rows * channels), counts = [Float](repeating: 0, count: rows)
        for s in 0...(rows - 8) {
            let w = Array(x[(s * channels)..<((s + 8) * channels)])
            let r = model.reconstruct(Tensor(shape: [1, 8, channels], scalars: w)).scalars
            for t in 0..<8 {
                counts[s + t] += 1
                for c in 0..<channels { sums[(s + t) * channels + c] += (w[t * channels + c] - r[t * channels + c]) * (w[t * channels + c] - r[t * channels + c]) }
            }
        }
        XCTAssertEqual(counts[0], 1); XCTAssertEqual(counts[7], 6); XCTAssertEqual(counts[12], 1)
        for i in 0..<(rows * channels) {
            XCTAssertEqual(scores.perChannel[i], sums[i] / counts[i / channels], accuracy: 1e-4)
        }
    }

    func testStreamGivesTheBatchScores() throws {
        let channels = 2, rows = 30
        let x = randomSeries(rows: rows, channels: channels, seed: 9)
        let scorers: [any AnomalyDetector] = [ForecastResidualScorer(model: smallAutoTimes()), ReconstructionScorer(model: try smallAutoencoder())]
        for scorer in scorers {
            for history in [0, 5, 20] {
                let batch = try scorer.channelScores(ScoringInput(values: x, channels: channels, historyRows: history))
                let stream = scorer.makeStream(channels: channels)
                var streamed: [StreamedScore] = []
                for t in 0..<rows {
                    let got = try stream.append(Array(x[(t * channels)..<((t + 1) * channels)]), isHistory: t < history)
                    // A score never arrives later than the scorer's stated delay.
                    for s in got { XCTAssertLessThanOrEqual(t - history - s.row, scorer.streamDelay) }
                    streamed += got
                }
                streamed += try stream.finish()
                XCTAssertEqual(streamed.map(\.row), Array(0..<(rows - history)), "\(scorer.kind) history \(history)")
                for s in streamed {
                    for c in 0..<channels {
                        XCTAssertEqual(s.scores[c], batch.perChannel[s.row * channels + c],
                                       accuracy: 1e-5 * max(1, abs(s.scores[c])), "\(scorer.kind) row \(s.row)")
                    }
                }
            }
        }
    }

    func testReconstructionRejectsWrongChannelsAndShortInput() throws {
        let scorer = ReconstructionScorer(model: try smallAutoencoder())
        XCTAssertThrowsError(try scorer.channelScores(ScoringInput(values: randomSeries(rows: 10, channels: 3, seed: 1), channels: 3))) {
            XCTAssertEqual($0 as? DetectionError, .wrongChannels(found: 3, expected: 2))
        }
        XCTAssertThrowsError(try scorer.channelScores(ScoringInput(values: randomSeries(rows: 7, channels: 2, seed: 1), channels: 2)))
        let stream = scorer.makeStream(channels: 2)
        for _ in 0..<7 { _ = try stream.append([0, 0], isHistory: false) }
        XCTAssertThrowsError(try stream.finish())
    }
}
