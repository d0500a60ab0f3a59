// Calendar frequencies: `future` continues every frequency (month ends through Feb 29, quarter
// starts, ISO weeks across a year end, business days, UTC without DST), inference recovers what
// generated the stamps (with gaps), aliases, and the bundle-compatible coding.
import Foundation
import XCTest
@testable import TSFCData

final class CalendarFrequencyTests: XCTestCase {
    func date(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0) -> Int64 { Timestamp.epochSeconds(year: y, month: m, day: d, hour: h) }
    func text(_ t: Int64) -> String { Timestamp.format(t) }

    func testMonthEndsIncludingFebruary29() {
        XCTAssertEqual(Frequency.monthEnd.future(after: date(2023, 12, 31), count: 4).map(text),
                       ["2024-01-31 00:00:00", "2024-02-29 00:00:00", "2024-03-31 00:00:00", "2024-04-30 00:00:00"])
        var rng = SeededGeneratorForTests(seed: 11)
        for _ in 0..<200 {
            let year = Int(rng.next() % 400) + 1800, month = Int(rng.next() % 12) + 1
            let start = date(year, month, Timestamp.daysInMonth(year: year, month: month))
            let stamps = Frequency.monthEnd.future(after: start, count: 30)
            var previous = Timestamp.fields(start)
            for t in stamps {
                let f = Timestamp.fields(t)
                XCTAssertEqual(f.year * 12 + f.month, previous.year * 12 + previous.month + 1)
                XCTAssertEqual(f.day, Timestamp.daysInMonth(year: f.year, month: f.month))
                if f.month == 2 { XCTAssertEqual(f.day, Timestamp.isLeap(f.year) ? 29 : 28) }
                previous = f
            }
        }
        // From inside a month, the next month end is that month's.
        XCTAssertEqual(Frequency.monthEnd.future(after: date(2024, 2, 15), count: 1), [date(2024, 2, 29)])
    }

    func testQuarterAndYearStartsAndEnds() {
        XCTAssertEqual(Frequency.quarterStart.future(after: date(1999, 10, 1), count: 5),
                       [date(2000, 1, 1), date(2000, 4, 1), date(2000, 7, 1), date(2000, 10, 1), date(2001, 1, 1)])
        XCTAssertEqual(Frequency.quarterEnd.future(after: date(2023, 12, 31), count: 3), [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30)])
        XCTAssertEqual(Frequency.yearStart.future(after: date(1960, 1, 1), count: 2), [date(1961, 1, 1), date(1962, 1, 1)])
        XCTAssertEqual(Frequency.yearEnd.future(after: date(2023, 12, 31), count: 1), [date(2024, 12, 31)])
        // Same-day months clamp to short months and keep the time of day.
        XCTAssertEqual(Frequency(seconds: 0, isMonthly: true).future(after: date(2024, 1, 31, 6), count: 2), [date(2024, 2, 29, 6), date(2024, 3, 29, 6)])
    }

    func testWeeksCrossTheYearEndOnTheirWeekdayWithISOWeekNumbers() {
        let weekly = Frequency(seconds: 7 * 86_400)
        let stamps = weekly.future(after: date(2020, 12, 21), count: 4)  // a Monday
        XCTAssertEqual(stamps, [date(2020, 12, 28), date(2021, 1, 4), date(2021, 1, 11), date(2021, 1, 18)])
        XCTAssertEqual(stamps.map { TimeFeatures.isoWeek(Timestamp.fields($0)) }, [53, 1, 2, 3])
        XCTAssertTrue(stamps.allSatisfy { Timestamp.fields($0).dayOfWeek == 0 })
        let sundays = try! XCTUnwrap(Frequency(alias: "W-SUN")).future(after: date(2021, 12, 29), count: 3)  // a Wednesday
        XCTAssertEqual(sundays, [date(2022, 1, 2), date(2022, 1, 9), date(2022, 1, 16)])
    }

    func testBusinessDaysSkipWeekendsBothWays() {
        let b = Frequency.businessDay
        XCTAssertEqual(b.future(after: date(2024, 3, 1), count: 3), [date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6)])
        XCTAssertEqual(b.future(after: date(2024, 3, 2), count: 1), [date(2024, 3, 4)])  // from a Saturday
        XCTAssertEqual(b.advance(date(2024, 3, 4), steps: -1), date(2024, 3, 1))
        var t = date(1969, 12, 1)
        for _ in 0..<400 {
            let next = b.advance(t, steps: 1)
            XCTAssertLessThan(Timestamp.fields(next).dayOfWeek, 5)
            XCTAssertEqual(next - t, Timestamp.fields(t).dayOfWeek == 4 ? 3 * 86_400 : 86_400)
            XCTAssertEqual(b.advance(next, steps: -1), t)
            t = next
        }
    }

    /// Whatever generated the stamps is what inference finds, with and without a few gaps, and
    /// `future` continues the series exactly as the generator would.
    func testInferenceRecoversEveryFrequencyAndFutureContinuesIt() throws {
        let frequencies: [(String, Int64)] = [("15min", date(2023, 12, 31, 22)), ("h", date(2024, 2, 28)), ("D", date(2024, 2, 27)),
                                              ("B", date(2024, 2, 26)), ("W", date(2020, 12, 20)), ("MS", date(2019, 11, 1)),
                                              ("ME", date(2019, 11, 30)), ("QS", date(2019, 10, 1)), ("QE", date(2019, 12, 31)),
                                              ("YS", date(1990, 1, 1)), ("YE", date(1990, 12, 31)), ("2MS", date(2020, 1, 1))]
        for (alias, start) in frequencies {
            let frequency = try XCTUnwrap(Frequency(alias: alias), alias)
            let all = [start] + frequency.future(after: start, count: 47)
            let analysis = try XCTUnwrap(FrequencyAnalysis.infer(Array(all[..<40])), alias)
            XCTAssertEqual(analysis.frequency, Frequency(alias: alias == "W" ? "7D" : alias), alias)
            XCTAssertEqual(analysis.gaps, [], alias)
            XCTAssertEqual(analysis.frequency.future(after: all[39], count: 8), Array(all[40...]), alias)
            var gappy = Array(all[..<40])
            gappy.removeSubrange(10..<12)
            gappy.remove(at: 30)
            let withGaps = try XCTUnwrap(FrequencyAnalysis.infer(gappy), alias)
            XCTAssertEqual(withGaps.frequency, analysis.frequency, alias)
            XCTAssertEqual(withGaps.gaps.map(\.missingSteps), [2, 1], alias)
        }
    }

    func testAliases() {
        let expected: [(String, Frequency?)] = [
            ("min", Frequency(seconds: 60)), ("15min", Frequency(seconds: 900)), ("h", Frequency(seconds: 3600)),
            ("D", .daily), ("B", .businessDay), ("M", .monthEnd), ("ME", .monthEnd), ("MS", .monthStart),
            ("Q", .quarterEnd), ("QS", .quarterStart), ("A", .yearEnd), ("Y", .yearEnd), ("YS", .yearStart),
            ("W-MON", Frequency(unit: .fixed, multiple: 7 * 86_400, weekday: 0)), ("fortnight", nil), ("0h", nil), ("W-XYZ", nil),
        ]
        for (alias, frequency) in expected { XCTAssertEqual(Frequency(alias: alias), frequency, alias) }
        XCTAssertEqual(["MS", "ME", "QS", "QE", "YS", "YE", "B", "W-SUN", "2MS"].map { Frequency(alias: $0)!.description },
                       ["MS", "ME", "QS", "QE", "YS", "YE", "B", "W-SUN", "2MS"])
    }

    func testCodingReadsTheOldFormAndRoundTrips() throws {
        let old = try JSONDecoder().decode(Frequency.self, from: Data(#"{"seconds":3600,"isMonthly":false}"#.utf8))
        XCTAssertEqual(old, Frequency(seconds: 3600))
        let oldMonthly = try JSONDecoder().decode(Frequency.self, from: Data(#"{"seconds":2592000,"isMonthly":true}"#.utf8))
        XCTAssertEqual(oldMonthly, Frequency(unit: .month))
        for f in [Frequency.quarterEnd, .businessDay, Frequency(alias: "W-SUN")!, Frequency(seconds: 900)] {
            XCTAssertEqual(try JSONDecoder().decode(Frequency.self, from: JSONEncoder().encode(f)), f)
        }
    }

    func testFutureStampsKeepThePrecisionOrNumberTheSteps() throws {
        var notes = [String]()
        var monthly = TimeSeriesFrame(timestamps: [date(1960, 11, 1), date(1960, 12, 1)], columns: ["x"], values: [1, 2])
        monthly.timestampPrecision = .month
        let next = monthly.futureStamps(count: 2, notes: &notes)
        XCTAssertEqual(next.stamps.map(next.precision.format), ["1961-01", "1961-02"])
        let ends = monthly.futureStamps(count: 1, frequency: .monthEnd, notes: &notes)
        XCTAssertEqual(ends.stamps.map(ends.precision.format), ["1960-12-31"])
        var single = TimeSeriesFrame(timestamps: [date(1960, 1, 1)], columns: ["x"], values: [1])
        single.timestampPrecision = .year
        let years = single.futureStamps(count: 2, notes: &notes)
        XCTAssertEqual(years.stamps.map(years.precision.format), ["1961", "1962"])
        XCTAssertEqual(notes, [])
        let plain = TimeSeriesFrame(timestamps: nil, columns: ["x"], values: [1, 2, 3])
        let numbered = plain.futureStamps(count: 2, notes: &notes)
        XCTAssertEqual(numbered.stamps, [4, 5])
        XCTAssertEqual(numbered.precision, .index)
        let irregular = TimeSeriesFrame(timestamps: [0, 10, 25, 70], columns: ["x"], values: [1, 2, 3, 4])
        XCTAssertEqual(irregular.futureStamps(count: 1, notes: &notes).stamps, [5])
        XCTAssertEqual(notes.count, 1)
        XCTAssertTrue(notes[0].contains("--freq"), notes[0])
    }
}
