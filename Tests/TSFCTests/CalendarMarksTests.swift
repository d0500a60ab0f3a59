@testable import TSFCModels
import XCTest
import TSFCData
import TSFCNN
import TSFCTensor
@testable import TSFC

final class CalendarMarksTests: XCTestCase {
    let hour: Int64 = 3600
    /// 2016-07-01 00:00:00 UTC.
    let start = Timestamp.epochSeconds(year: 2016, month: 7, day: 1)

    func hourlyMarks(rows: Int, segment: Int) -> SegmentMarks {
        let stamps = (0..<rows).map { start + Int64($0) * hour }
        return SegmentMarks(timestamps: stamps, frequency: Frequency(seconds: hour),
                            features: TimeFeatures.features(for: Frequency(seconds: hour)), segmentLength: segment)
    }

    func makeModel(segment: Int = 4, segments: Int = 3, width: Int = 8, features: Int = 4) -> Forecaster {
        var config = ModelConfiguration()
        config.segmentLength = segment
        config.contextSegments = segments
        config.timestamps = .calendar
        var rng = SeededGenerator(seed: 5)
        let adapter = AutoTimesAdapter(segmentLength: segment, width: width, hidden: 16, activation: .tanh,
                                       dropout: 0, calendarFeatures: features, using: &rng)
        return Forecaster(configuration: config, adapter: adapter, backbone: IdentityBackbone(width: width))
    }

    func testWindowMarksAreTheFeaturesOfEachSegmentsFirstRow() throws {
        let marks = hourlyMarks(rows: 100, segment: 4)
        let stamps = marks.timestamps
        let windows = SegmentWindows(values: [Float](repeating: 0, count: 200), channels: 2, range: 10..<100,
                                     length: 16, marks: marks)
        let indices = [0, 7, windows.perChannel + 3]   // starts 10, 17 and 13 (second channel)
        let m = try XCTUnwrap(try windows.marks(indices, tokens: 3))
        XCTAssertEqual(m.shape, [3, 3, 4])
        for (b, s) in [10, 17, 13].enumerated() {
            for i in 0..<3 {
                // Oracle: fields of the row's timestamp, scaled as the reference's time_features (h).
                let f = Timestamp.fields(stamps[s + i * 4])
                let expected: [Float] = [Float(f.hour) / 23 - 0.5, Float(f.dayOfWeek) / 6 - 0.5,
                                         Float(f.day - 1) / 30 - 0.5, Float(f.dayOfYear - 1) / 365 - 0.5]
                XCTAssertEqual(Array(m.scalars[((b * 3 + i) * 4)..<((b * 3 + i) * 4 + 4)]), expected)
            }
        }
        // Rows past the data are dated at the frequency: row 100 is 100 h after the start.
        XCTAssertEqual(marks.timestamp(ofRow: 100), start + 100 * hour)
        XCTAssertEqual(marks.timestamp(ofRow: -2), start - 2 * hour)
    }

    func testMonthlyExtrapolationFollowsTheCalendar() {
        let jan31 = Timestamp.epochSeconds(year: 2020, month: 1, day: 31)
        let month = Frequency(seconds: 30 * 86400, isMonthly: true)
        XCTAssertEqual(SegmentMarks.advance(jan31, steps: 1, frequency: month), Timestamp.epochSeconds(year: 2020, month: 2, day: 29))
        XCTAssertEqual(SegmentMarks.advance(jan31, steps: 13, frequency: month), Timestamp.epochSeconds(year: 2021, month: 2, day: 28))
        XCTAssertEqual(SegmentMarks.advance(jan31, steps: -2, frequency: month), Timestamp.epochSeconds(year: 2019, month: 11, day: 30))
    }

    func testMarksChangeTheForecastAndGradientReachesPositionParameters() throws {
        let model = makeModel()
        let marks = hourlyMarks(rows: 64, segment: 4)
        var rng = SeededGenerator(seed: 2)
        let windows = Tensor.randomNormal([3, 16], using: &rng)
        let m = try marks.marks(startRows: [0, 5, 30], tokens: 3)
        let other = try marks.marks(startRows: [1, 9, 31], tokens: 3)
        XCTAssertGreaterThan(model.loss(windows: windows, marks: m).maxAbsDifference(model.loss(windows: windows, marks: other)), 1e-6)
        let encoder = model.adapter.positionEncoder!, scale = model.adapter.positionScale!
        let params = [scale] + encoder.parameters()
        let (_, grads) = TSFCNN.valueAndGradient(for: params) { model.loss(windows: windows, marks: m) }
        XCTAssertTrue(grads.allSatisfy { g in g.scalars.contains { $0 != 0 } }, "positionScale and positionEncoder get gradients")
        // Finite differences on the scale.
        let saved = scale.value
        scale.value = Tensor([saved.scalars[0] + 1e-2])
        let fp = model.loss(windows: windows, marks: m).item
        scale.value = Tensor([saved.scalars[0] - 1e-2])
        let fm = model.loss(windows: windows, marks: m).item
        scale.value = saved
        let numeric = (fp - fm) / 2e-2
        XCTAssertEqual(grads[0].scalars[0], numeric, accuracy: 1e-2 * max(1, abs(numeric)))
    }

    func testRolloutWithMarksEqualsManualSlideWithFutureMarks() throws {
        let model = makeModel()
        let marks = hourlyMarks(rows: 20, segment: 4)     // data ends at row 19; context = rows 8..<20
        var rng = SeededGenerator(seed: 3)
        let x = Tensor.randomNormal([2, 12], using: &rng)
        let steps = 4                                       // horizon 14 → 4 segments
        let all = try marks.marks(startRows: [8, 8], tokens: 3 + steps - 1)   // rows 8, 12, …, 28 (future: 20, 24, 28)
        let forecast = model.forecast(context: x, horizon: 14, marks: all)
        var window = x
        var pieces: [Tensor] = []
        for k in 0..<steps {
            // Oracle marks: the window's tokens start at rows 8 + 4k + 4i, dated hour by hour past row 19.
            let wm = try marks.marks(startRows: [8 + 4 * k, 8 + 4 * k], tokens: 3)
            let p = model.nextSegments(window, marks: wm).slice(axis: 1, 2..<3).reshaped([2, 4])
            pieces.append(p)
            window = Tensor.concat([window.slice(axis: 1, 4..<12), p], axis: 1)
        }
        let manual = Tensor.concat(pieces, axis: 1).slice(axis: 1, 0..<14)
        XCTAssertLessThan(manual.maxAbsDifference(forecast), 1e-5)
        // The future tokens' marks are those of the timestamps after the data.
        let future = TimeFeatures.encode([start + 28 * hour], features: marks.features)
        XCTAssertEqual(Array(all.scalars[(5 * 4)..<(6 * 4)]), future)
        // The growing (cached-style) rollout uses the same future marks: equal to recomputation.
        let grown = Tensor.concat(model.growingRollout(x, steps: steps, useCache: false, marks: all), axis: 1)
        let cached = Tensor.concat(model.growingRollout(x, steps: steps, useCache: true, marks: all), axis: 1)
        XCTAssertLessThan(grown.maxAbsDifference(cached), 1e-5)
    }

    func testCalendarWithoutTimestampsIsAClearError() throws {
        var config = ModelConfiguration()
        config.timestamps = .calendar
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["a"], values: [1, 2, 3], source: "plain.csv")
        XCTAssertThrowsError(try PreparedDataset.segmentMarks(for: frame, model: config)) { error in
            XCTAssertTrue("\(error)".contains("plain.csv") && "\(error)".contains("no timestamp column"), "\(error)")
        }
        XCTAssertThrowsError(try ModelFactory.makeForecaster(config, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("calendar"), "\(error)")
        }
        config.timestamps = .none
        XCTAssertNil(try PreparedDataset.segmentMarks(for: frame, model: config))
    }
}
