// `tsfc forecast` on long-format panels whose series have their own starts, ends, lengths and
// frequencies, and the row policies (--fill, --sort, --dedupe) on files with gaps, repeated
// timestamps and rows out of order.
import Foundation
import TSFCTestSupport
import XCTest

final class PanelCLITests: XCTestCase {
    var work: URL!
    /// A model that reads 2 points: the panels' series hold a few rows each, and the shipped
    /// model (672 points) refuses them; stamps and row policies do not depend on the model.
    var model: String!

    override func setUpWithError() throws {
        work = try makeTemporaryDirectory("tsfc-panel-cli", removedAfter: self)
        model = try CLITests.shortContextModel(in: work)
    }

    /// Writes `text` as `name`, runs `tsfc forecast` for `horizon` steps and returns the output's
    /// rows split into fields (header checked and dropped).
    func forecast(_ name: String, _ text: String, horizon: Int = 2, _ extra: [String] = [],
                  file: StaticString = #filePath, line: UInt = #line) throws -> [[String]] {
        try text.write(to: work.appendingPathComponent(name), atomically: true, encoding: .utf8)
        let (out, _) = try CLITests.run(["forecast", name, "--horizon", "\(horizon)", "--model", model] + extra, in: work,
                                        file: file, line: line)
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "unique_id,ds,tsfc", file: file, line: line)
        return lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
    }

    /// Runs `tsfc` expecting exit status 1 and returns stderr.
    func failure(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try CLITests.run(args, in: work, expect: 1, file: file, line: line).err
    }

    func testRaggedPanelContinuesEachSeriesFromItsOwnLastStamp() throws {
        // A ends two months after B; C starts later; all monthly.
        let text = """
        unique_id,ds,y
        A,2020-01,10
        A,2020-02,11
        A,2020-03,12
        A,2020-04,13
        A,2020-05,14
        B,2020-01,100
        B,2020-02,101
        B,2020-03,102
        C,2020-03,7
        C,2020-04,8

        """
        let rows = try forecast("ragged.csv", text)
        XCTAssertEqual(rows.map { "\($0[0]),\($0[1])" },
                       ["A,2020-06", "A,2020-07", "B,2020-04", "B,2020-05", "C,2020-05", "C,2020-06"])
        // Each series is forecast from its own values, not the union of dates: B stays near 100.
        let b = rows.filter { $0[0] == "B" }.compactMap { Float($0[2]) }
        XCTAssertEqual(b.count, 2)
        XCTAssertTrue(b.allSatisfy { abs($0 - 101) < 10 }, "\(b)")
    }

    func testMixedFrequencyPanelStampsEachSeriesOnItsOwnCalendar() throws {
        let text = """
        unique_id,ds,y
        hourly,2021-03-28 22:00:00,1
        hourly,2021-03-28 23:00:00,2
        weekly,2020-12-14,5
        weekly,2020-12-21,6
        weekly,2020-12-28,7
        monthend,2023-12-31,1
        monthend,2024-01-31,2
        quarterly,2023-04-01,3
        quarterly,2023-07-01,4
        quarterly,2023-10-01,5
        yearly,1958-01-01,1
        yearly,1959-01-01,2
        yearly,1960-01-01,3

        """
        let rows = try forecast("mixed.csv", text, horizon: 3)
        XCTAssertEqual(rows.map { "\($0[0]),\($0[1])" }, [
            "hourly,2021-03-29 00:00:00", "hourly,2021-03-29 01:00:00", "hourly,2021-03-29 02:00:00",
            "weekly,2021-01-04", "weekly,2021-01-11", "weekly,2021-01-18",
            "monthend,2024-02-29", "monthend,2024-03-31", "monthend,2024-04-30",
            "quarterly,2024-01-01", "quarterly,2024-04-01", "quarterly,2024-07-01",
            "yearly,1961-01-01", "yearly,1962-01-01", "yearly,1963-01-01",
        ])
    }

    func testPanelSeriesSelectionAndOwnOrdering() throws {
        // B's rows are out of order and interleaved with A's: --sort orders each series alone.
        let text = "unique_id,ds,y\nB,2020-03,3\nA,2020-01,1\nB,2020-01,1\nA,2020-02,2\nB,2020-02,2\n"
        try text.write(to: work.appendingPathComponent("order.csv"), atomically: true, encoding: .utf8)
        let message = try failure(["forecast", "order.csv", "--horizon", "1", "--model", model])
        XCTAssertTrue(message.contains("order.csv:4"), message)
        XCTAssertTrue(message.contains("unique_id 'B'"), message)
        XCTAssertTrue(message.contains("--sort"), message)
        let rows = try forecast("order.csv", text, horizon: 1, ["--sort", "--columns", "B"])
        XCTAssertEqual(rows.map { "\($0[0]),\($0[1])" }, ["B,2020-04"])
    }

    func testMissingCellsRefusedByDefaultNamingTheFlag() throws {
        let text = "ds,v\n2020-01-01,1\n2020-01-02,\n2020-01-03,3\n2020-01-04,NA\n"
        try text.write(to: work.appendingPathComponent("gaps.csv"), atomically: true, encoding: .utf8)
        let message = try failure(["forecast", "gaps.csv", "--horizon", "1", "--model", model])
        XCTAssertTrue(message.contains("2 missing value(s)"), message)
        XCTAssertTrue(message.contains("line 3 column 'v'"), message)
        XCTAssertTrue(message.contains("--fill forward"), message)
        XCTAssertTrue(message.contains("data.fill"), message)
        XCTAssertFalse(message.contains("forward-fill"), message)
    }

    /// The values `tsfc inspect --json` reads from `name` under `policy`: (rows, min, max, mean).
    func inspected(_ name: String, _ extra: [String]) throws -> (rows: Int, min: Double, max: Double, mean: Double) {
        let (out, _) = try CLITests.run(["inspect", name, "--json"] + extra, in: work)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let column = try XCTUnwrap((json["columns"] as? [[String: Any]])?.first)
        return (try XCTUnwrap(json["rows"] as? Int), try XCTUnwrap(column["min"] as? Double),
                try XCTUnwrap(column["max"] as? Double), try XCTUnwrap(column["mean"] as? Double))
    }

    func testEveryFillPolicy() throws {
        // 2, _, _, 8, _ : forward → 2,2,2,8,8; interpolate → 2,4,6,8,8; zero → 2,0,0,8,0; drop → 2,8.
        let text = "ds,v\n2020-01-01,2\n2020-01-02,\n2020-01-03,NaN\n2020-01-04,8\n2020-01-05,null\n"
        try text.write(to: work.appendingPathComponent("fill.csv"), atomically: true, encoding: .utf8)
        let forward = try inspected("fill.csv", ["--fill", "forward"])
        XCTAssertEqual(forward.rows, 5); XCTAssertEqual(forward.mean, 22.0 / 5, accuracy: 1e-5)
        let interpolate = try inspected("fill.csv", ["--fill", "interpolate"])
        XCTAssertEqual(interpolate.rows, 5); XCTAssertEqual(interpolate.mean, 28.0 / 5, accuracy: 1e-5)
        let zero = try inspected("fill.csv", ["--fill", "zero"])
        XCTAssertEqual(zero.rows, 5); XCTAssertEqual(zero.min, 0); XCTAssertEqual(zero.mean, 2, accuracy: 1e-5)
        let drop = try inspected("fill.csv", ["--fill", "drop"])
        XCTAssertEqual(drop.rows, 2); XCTAssertEqual(drop.mean, 5, accuracy: 1e-5)
        let none = try failure(["inspect", "fill.csv", "--fill", "none"])
        XCTAssertTrue(none.contains("3 missing value(s)"), none)
        // The policy reaches forecast too: the last stamp is the file's, the forecast finite.
        let rows = try forecast("fill.csv", text, horizon: 1, ["--fill", "interpolate"])
        XCTAssertEqual(rows.map { $0[1] }, ["2020-01-06"])
        XCTAssertTrue(Float(rows[0][2])?.isFinite ?? false)
    }

    func testDuplicatesAndDisorder() throws {
        let text = "ds,v\n2020-01-01,1\n2020-01-03,30\n2020-01-02,2\n2020-01-02,20\n"
        try text.write(to: work.appendingPathComponent("dup.csv"), atomically: true, encoding: .utf8)
        let unsorted = try failure(["inspect", "dup.csv", "--dedupe", "first"])
        XCTAssertTrue(unsorted.contains("dup.csv:4, column 'ds'"), unsorted)
        XCTAssertTrue(unsorted.contains("pass --sort"), unsorted)
        let duplicate = try failure(["inspect", "dup.csv", "--sort"])
        XCTAssertTrue(duplicate.contains("duplicate timestamp 2020-01-02"), duplicate)
        XCTAssertTrue(duplicate.contains("--dedupe first or --dedupe last"), duplicate)
        let first = try inspected("dup.csv", ["--sort", "--dedupe", "first"])
        XCTAssertEqual(first.rows, 3); XCTAssertEqual(first.mean, 11, accuracy: 1e-5)   // 1, 2, 30
        let last = try inspected("dup.csv", ["--sort", "--dedupe", "last"])
        XCTAssertEqual(last.rows, 3); XCTAssertEqual(last.mean, 17, accuracy: 1e-5)     // 1, 20, 30
        let rows = try forecast("dup.csv", text, horizon: 1, ["--sort", "--dedupe", "last"])
        XCTAssertEqual(rows.map { $0[1] }, ["2020-01-04"])
        // Without --sort, adjacent repeats are located at their line.
        let adjacent = "ds,v\n2020-01-01,1\n2020-01-01,2\n2020-01-02,3\n"
        try adjacent.write(to: work.appendingPathComponent("adjacent.csv"), atomically: true, encoding: .utf8)
        let message = try failure(["forecast", "adjacent.csv", "--horizon", "1", "--model", model])
        XCTAssertTrue(message.contains("adjacent.csv:3, column 'ds'"), message)
        XCTAssertEqual(try inspected("adjacent.csv", ["--dedupe", "last"]).mean, 2.5, accuracy: 1e-5)
    }
}
