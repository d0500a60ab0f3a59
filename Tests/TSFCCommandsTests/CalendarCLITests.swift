// `tsfc forecast` on the real-world timestamp corpus: the exact future
// `ds` of every format, the time column never forecast as data, --freq, --date-format and
// --timestamp-column, and the ambiguous day/month error.
import Foundation
import TSFCTestSupport
import XCTest

final class CalendarCLITests: XCTestCase {
    var work: URL!
    /// A model that reads 2 points: the corpus files hold a few rows, and the shipped model
    /// (672 points) refuses them; the stamps do not depend on the model.
    var model: String!

    override func setUpWithError() throws {
        work = try makeTemporaryDirectory("tsfc-calendar-cli", removedAfter: self)
        model = try CLITests.shortContextModel(in: work)
    }

    /// Writes `text` as `name`, forecasts 3 steps (plus `extra` arguments) and returns the
    /// `unique_id,ds` pairs of the output.
    func forecast(_ name: String, _ text: String, _ extra: [String] = [], file: StaticString = #filePath,
                  line: UInt = #line) throws -> [String] {
        try text.write(to: work.appendingPathComponent(name), atomically: true, encoding: .utf8)
        let (out, _) = try CLITests.run(["forecast", name, "--horizon", "3", "--model", model] + extra, in: work,
                                        file: file, line: line)
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "unique_id,ds,tsfc", file: file, line: line)
        return lines.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
    }

    func testEveryFormatContinuesOnItsCalendarInItsPrecision() throws {
        let cases: [(String, String, [String])] = [
            ("air.csv", "Month,Passengers\n1960-10,461\n1960-11,390\n1960-12,432\n",
             ["Passengers,1961-01", "Passengers,1961-02", "Passengers,1961-03"]),
            ("slash.csv", "Month,Passengers\n1960/10,461\n1960/11,390\n1960/12,432\n",
             ["Passengers,1961-01", "Passengers,1961-02", "Passengers,1961-03"]),
            ("sunspots.csv", "YEAR,SUNACTIVITY\n1957,190.2\n1958,184.8\n1959,159\n1960,112.3\n",
             ["SUNACTIVITY,1961", "SUNACTIVITY,1962", "SUNACTIVITY,1963"]),
            ("macro.csv", "date,realgdp\n2008 Q3,13324.6\n2008 Q4,13141.9\n2009 Q1,12925.4\n",
             ["realgdp,2009Q2", "realgdp,2009Q3", "realgdp,2009Q4"]),
            ("macro2.csv", "period,realgdp\n2008Q4,1\n2009Q1,2\n", ["realgdp,2009Q2", "realgdp,2009Q3", "realgdp,2009Q4"]),
            ("macro3.csv", "period,realgdp\n2008-Q4,1\n2009-Q1,2\n", ["realgdp,2009Q2", "realgdp,2009Q3", "realgdp,2009Q4"]),
            ("drugs.csv", "date,sales\n2008 Apr,1.1\n2008 May,1.2\n2008 Jun,1.3\n", ["sales,2008-07", "sales,2008-08", "sales,2008-09"]),
            ("drugs2.csv", "date,sales\nApr 2008,1.1\nMay 2008,1.2\n", ["sales,2008-06", "sales,2008-07", "sales,2008-08"]),
            ("drugs3.csv", "date,sales\n2008-Nov,1.1\n2008-Dec,1.2\n", ["sales,2009-01", "sales,2009-02", "sales,2009-03"]),
            ("co2.csv", "date,co2\n20011215,370.1\n20011222,370.4\n20011229,370.6\n",
             ["co2,2002-01-05", "co2,2002-01-12", "co2,2002-01-19"]),
            ("compact-time.csv", "time,v\n202012312300,1\n202012312330,2\n",
             ["v,2021-01-01 00:00:00", "v,2021-01-01 00:30:00", "v,2021-01-01 01:00:00"]),
            ("month-ends.csv", "date,v\n2023-11-30,1\n2023-12-31,2\n2024-01-31,3\n", ["v,2024-02-29", "v,2024-03-31", "v,2024-04-30"]),
            ("quarter-starts.csv", "ds,v\n2023-04-01,1\n2023-07-01,2\n2023-10-01,3\n", ["v,2024-01-01", "v,2024-04-01", "v,2024-07-01"]),
            ("business.csv", "date,close\n2024-02-27,1\n2024-02-28,2\n2024-02-29,3\n2024-03-01,4\n2024-03-04,5\n",
             ["close,2024-03-05", "close,2024-03-06", "close,2024-03-07"]),
            ("weekly-iso.csv", "date,v\n2020-12-14,1\n2020-12-21,2\n2020-12-28,3\n", ["v,2021-01-04", "v,2021-01-11", "v,2021-01-18"]),
            ("dayfirst.csv", "date,v\n30/12/2021,1\n31/12/2021,2\n", ["v,2022-01-01", "v,2022-01-02", "v,2022-01-03"]),
            ("hourly.csv", "date,v\n2021-03-28 00:00:00,1\n2021-03-28 01:00:00,2\n", 
             ["v,2021-03-28 02:00:00", "v,2021-03-28 03:00:00", "v,2021-03-28 04:00:00"]),
            ("gaps.csv", "date,v\n2000-01,1\n2000-02,2\n2000-05,3\n2000-06,4\n", ["v,2000-07", "v,2000-08", "v,2000-09"]),
            ("index.csv", ",a\n10,1\n11,2\n12,3\n", ["a,13", "a,14", "a,15"]),
            ("plain.csv", "x\n1\n2\n3\n4\n", ["x,5", "x,6", "x,7"]),
        ]
        for (name, text, expected) in cases {
            XCTAssertEqual(try forecast(name, text), expected, name)
        }
    }

    func testFreqOverridesAndNumbersContinueWithoutOne() throws {
        let text = "date,v\n2024-01-31,1\n2024-02-29,2\n"
        XCTAssertEqual(try forecast("f.csv", text, ["--freq", "MS"]), ["v,2024-03-01", "v,2024-04-01", "v,2024-05-01"])
        XCTAssertEqual(try forecast("f.csv", text, ["--freq", "W-SUN"]), ["v,2024-03-03", "v,2024-03-10", "v,2024-03-17"])
        XCTAssertEqual(try forecast("f.csv", text, ["--freq", "6h"]),
                       ["v,2024-02-29 06:00:00", "v,2024-02-29 12:00:00", "v,2024-02-29 18:00:00"])
        // Irregular stamps: numbered steps after the rows, with a note naming --freq.
        try "date,v\n2024-01-01,1\n2024-01-02,2\n2024-01-05,3\n2024-01-11,4\n".write(to: work.appendingPathComponent("irregular.csv"),
                                                                                  atomically: true, encoding: .utf8)
        let (out, err) = try CLITests.run(["forecast", "irregular.csv", "--horizon", "2", "--model", model], in: work)
        XCTAssertTrue(out.contains("v,5,") && out.contains("v,6,"), out)
        XCTAssertTrue(err.contains("--freq"), err)
        let bad = try CLITests.run(["forecast", "f.csv", "--horizon", "2", "--model", model, "--freq", "fortnightly"], in: work, expect: 64).err
        XCTAssertTrue(bad.contains("--freq"), bad)
    }

    func testAmbiguousDatesFailNamingDateFormatWhichSettlesThem() throws {
        let text = "date,v\n03/04/2020,1\n04/04/2020,2\n"
        try text.write(to: work.appendingPathComponent("amb.csv"), atomically: true, encoding: .utf8)
        let err = try CLITests.run(["forecast", "amb.csv", "--horizon", "3", "--model", model], in: work, expect: 1).err
        XCTAssertTrue(err.contains("amb.csv:2") && err.contains("--date-format dmy"), err)
        XCTAssertEqual(try forecast("amb.csv", text, ["--date-format", "dmy"]), ["v,2020-04-05", "v,2020-04-06", "v,2020-04-07"])
        XCTAssertEqual(try forecast("amb.csv", text, ["--date-format", "mdy"]), ["v,2020-05-04", "v,2020-06-04", "v,2020-07-04"])
    }

    func testTimestampColumnOptionOnForecastInspectAndDetect() throws {
        let text = "a,when,b\n1,1991 Jul,2\n3,1991 Aug,4\n5,1991 Sep,7\n"
        XCTAssertEqual(try forecast("w.csv", text, ["--timestamp-column", "when"]).first, "a,1991-10")
        let (inspect, _) = try CLITests.run(["inspect", "w.csv", "--timestamp-column", "when"], in: work)
        XCTAssertTrue(inspect.contains("1991-07") && inspect.contains("MS"), inspect)
        let epoch = "ts,v\n1700000000,1\n1700003600,2\n"
        XCTAssertEqual(try forecast("e.csv", epoch, ["--timestamp-column", "ts", "--date-format", "epoch-s"]),
                       ["v,2023-11-15 00:13:20", "v,2023-11-15 01:13:20", "v,2023-11-15 02:13:20"])
        XCTAssertTrue(try CLITests.run(["detect", "--help"], in: work).out.contains("--date-format"))
    }
}
