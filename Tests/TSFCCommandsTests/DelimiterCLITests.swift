// `--delimiter` on every command that reads data, and a European spreadsheet export (`;` and
// decimal commas) forecast as it is.
import Foundation
import TSFCTestSupport
import XCTest

final class DelimiterCLITests: XCTestCase {
    let model = Checkout.data("models/default.tsfc").path

    /// 700 daily rows of a smooth series written with `;` and decimal commas.
    func europeanExport() -> String {
        var text = "Datum;Umsatz\n"
        for day in 0..<700 {
            let stamp = Date(timeIntervalSince1970: 1_577_836_800 + Double(day) * 86_400)
            let value = 100 + 10 * Foundation.sin(Double(day) / 7) + Double(day) * 0.01
            text += "\(ISO8601DateFormatter.day.string(from: stamp));\(String(format: "%.2f", value).replacingOccurrences(of: ".", with: ","))\n"
        }
        return text
    }

    func testSemicolonDecimalCommaFileForecastsWithAndWithoutTheFlag() throws {
        let work = try makeTemporaryDirectory("tsfc-delimiter", removedAfter: self)
        try europeanExport().write(to: work.appendingPathComponent("umsatz.csv"), atomically: true, encoding: .utf8)
        let detected = try CLITests.run(["forecast", "umsatz.csv", "--horizon", "2", "--model", model], in: work).out
        let given = try CLITests.run(["forecast", "umsatz.csv", "--horizon", "2", "--model", model, "--delimiter", ";"], in: work).out
        XCTAssertEqual(detected, given)
        let rows = detected.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.count, 3, detected)
        XCTAssertTrue(rows[1].hasPrefix("Umsatz,2021-12-01,"), detected)       // 2020-01-01 + 700 days
        let value = try XCTUnwrap(Double(rows[1].split(separator: ",")[2]))
        XCTAssertEqual(value, 107, accuracy: 15, "the forecast continues the series' level (values near 100–117)")
        // The wrong delimiter is a located error, not a silent misread.
        let wrong = try CLITests.run(["forecast", "umsatz.csv", "--horizon", "2", "--model", model, "--delimiter", "|"],
                                     in: work, expect: 1).err
        XCTAssertTrue(wrong.contains("umsatz.csv"), wrong)
        let unsupported = try CLITests.run(["inspect", "umsatz.csv", "--delimiter", "x"], in: work, expect: 64).err
        XCTAssertTrue(unsupported.contains("--delimiter 'x'"), unsupported)
        XCTAssertTrue(try CLITests.run(["inspect", "umsatz.csv", "--delimiter", ";"], in: work).out.contains("700 rows"))
    }
}

private extension ISO8601DateFormatter {
    static let day: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        f.timeZone = TimeZone(identifier: "UTC")
        return f
    }()
}
