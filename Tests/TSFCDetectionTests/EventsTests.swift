// Event extraction: merging by gap, minimum length, suppression, peaks.
import XCTest
@testable import TSFCDetection

final class EventsTests: XCTestCase {
    //                 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
    let alarmString = "0110100011100001"
    var alarms: [Bool] { alarmString.map { $0 == "1" } }
    var scores: [Float] { (0..<16).map { Float(($0 * 7) % 11) } }   // 0 7 3 10 6 2 9 5 1 8 4 0 7 3 10 6

    func testRunsWithoutOptions() throws {
        let events = try EventExtractor().events(alarms: alarms, scores: scores)
        XCTAssertEqual(events.map { [$0.start, $0.end] }, [[1, 2], [4, 4], [8, 10], [15, 15]])
        XCTAssertEqual(events.map(\.peakIndex), [1, 4, 9, 15])
        XCTAssertEqual(events.map(\.peakScore), [7, 6, 8, 6])
        XCTAssertEqual(events.map(\.alarmCount), [2, 1, 3, 1])
    }

    func testGapMergesAndKeepsQuietStepsInside() throws {
        // gap between [1,2] and [4,4] is 1 step, between [4,4] and [8,10] 3 steps, then 4 steps.
        let two = try EventExtractor(minimumGap: 2).events(alarms: alarms, scores: scores)
        XCTAssertEqual(two.map { [$0.start, $0.end] }, [[1, 4], [8, 10], [15, 15]])
        XCTAssertEqual(two[0].peakIndex, 3)          // the merged quiet step 3 carries the peak score 10
        XCTAssertEqual(two[0].alarmCount, 3)
        XCTAssertEqual(two[0].length, 4)
        let four = try EventExtractor(minimumGap: 4).events(alarms: alarms, scores: scores)
        XCTAssertEqual(four.map { [$0.start, $0.end] }, [[1, 10], [15, 15]])
        let five = try EventExtractor(minimumGap: 5).events(alarms: alarms, scores: scores)
        XCTAssertEqual(five.map { [$0.start, $0.end] }, [[1, 15]])
    }

    func testMinimumLengthAndSuppression() throws {
        let long = try EventExtractor(minimumLength: 2).events(alarms: alarms, scores: scores)
        XCTAssertEqual(long.map { [$0.start, $0.end] }, [[1, 2], [8, 10]])
        // after [1,2], events starting up to step 2 + 6 = 8 are silenced: [4,4] and [8,10]; [15,15] is kept
        let quiet = try EventExtractor(suppression: 6).events(alarms: alarms, scores: scores)
        XCTAssertEqual(quiet.map { [$0.start, $0.end] }, [[1, 2], [15, 15]])
        let quieter = try EventExtractor(suppression: 5).events(alarms: alarms, scores: scores)
        XCTAssertEqual(quieter.map { [$0.start, $0.end] }, [[1, 2], [8, 10]])   // [15,15] starts at 10 + 5
        XCTAssertEqual(EventExtractor.flags(of: quiet, count: 16), "0110000000000001".map { $0 == "1" })
    }

    func testEventsFromAFittedThreshold() throws {
        let calibration: [Float] = (0..<200).map { Float($0 % 10) }
        let threshold = try ThresholdMethod.quantile(0.995).fit(calibrationScores: calibration)
        let judged: [Float] = [1, 2, 20, 30, 2, 1, 1, 25, 3]
        let events = try EventExtractor().events(scores: judged, threshold: threshold)
        XCTAssertEqual(events, [AnomalyEvent(start: 2, end: 3, peakScore: 30, peakIndex: 3, alarmCount: 2),
                                AnomalyEvent(start: 7, end: 7, peakScore: 25, peakIndex: 7, alarmCount: 1)])
    }

    func testOptionsOutOfRange() {
        XCTAssertThrowsError(try EventExtractor(minimumGap: 0)) {
            XCTAssertEqual($0 as? EventOptionError, .outOfRange(option: "minimum_gap", value: 0, allowed: "≥ 1"))
        }
        XCTAssertThrowsError(try EventExtractor(minimumLength: 0))
        XCTAssertThrowsError(try EventExtractor(suppression: -1))
    }
}
