// `--plot` end to end: each command's figure parses as XML, has one path per series, forecast,
// band and score with the right number of points, date ticks at the data's frequency, and
// renders to PNG through rsvg-convert; --plot-series / --plot-limit choose the small multiples;
// the file is written atomically and an unwritable place fails before any work.
import Foundation
@testable import TSFC
@testable import TSFCCommands
import TSFCData
import TSFCTestSupport
import XCTest

final class PlotCLITests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = try makeTemporaryDirectory("tsfc-plot-cli", removedAfter: self)
    }

    func url(_ name: String) -> URL { work.appendingPathComponent(name) }

    @discardableResult
    func tsfc(_ args: [String], expect status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> (out: String, err: String) {
        try CLITests.run(args, in: work, expect: status, file: file, line: line)
    }

    /// Parses `name` as XML and renders it to a PNG through rsvg-convert (checked: signature, size).
    func inspectAndRender(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> SVGInspection {
        let svg = try SVGInspection(contentsOf: url(name))
        let png = try SVGRenderer.renderPNG(url(name))
        XCTAssertEqual(Array(png.prefix(8)), SVGRenderer.pngSignature, name, file: file, line: line)
        XCTAssertGreaterThan(png.count, 5_000, name, file: file, line: line)
        XCTAssertEqual(SVGRenderer.pngSize(png)?.width, 960, name, file: file, line: line)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [], "temporary files left behind", file: file, line: line)
        return svg
    }

    func vertices(_ e: SVGElement) -> Int { SVGInspection.vertexCount(e.attributes["d"] ?? "") }

    /// Hourly rows from 2020-01-01 00:00 of `columns` sines.
    func writeHourly(_ name: String, rows: Int, columns: [String]) throws {
        var csv = "date," + columns.joined(separator: ",") + "\n"
        for i in 0..<rows {
            let stamp = Timestamp.format(Timestamp.epochSeconds(year: 2020, month: 1, day: 1) + Int64(i) * 3600)
            csv += stamp + "," + columns.indices.map { String(format: "%.4f", Double($0) + sin(Double(i) / 4)) }.joined(separator: ",") + "\n"
        }
        try csv.write(to: url(name), atomically: true, encoding: .utf8)
    }

    // MARK: - forecast

    func testForecastPlotHasHistoryAndForecastPerSeries() throws {
        let model = try CLITests.shortContextModel(in: work)
        try writeHourly("hourly.csv", rows: 100, columns: ["a", "b"])
        let (_, err) = try tsfc(["forecast", "hourly.csv", "--model", model, "--horizon", "12", "--output", "fc.csv", "--plot", "fc.svg"])
        XCTAssertTrue(err.contains("plot written to fc.svg"), err)
        let svg = try inspectAndRender("fc.svg")
        XCTAssertEqual(svg.paths("history").map { $0.attributes["data-series"] }, ["a", "b"])
        XCTAssertEqual(svg.paths("forecast").map { $0.attributes["data-series"] }, ["a", "b"])
        // The last max(3·H, 48) = 48 rows of history; H forecast points.
        XCTAssertEqual(svg.paths("history").map(vertices), [48, 48])
        XCTAssertEqual(svg.paths("forecast").map(vertices), [12, 12])
        // No quantiles in this forecast: no bands.
        XCTAssertEqual(svg.paths("band").count, 0)
        // Hourly data over 60 hours: clock-time ticks, the date at midnight.
        let ticks = svg.texts("x-tick")
        XCTAssertTrue(ticks.contains { $0.range(of: #"^\d\d:00$"#, options: .regularExpression) != nil }, "\(ticks)")
        XCTAssertTrue(ticks.contains("Jan 4"), "\(ticks)")
    }

    func testForecastBandsComeFromTheQuantilesPresent() throws {
        let h = 6
        let stamps = (0..<40).map { Timestamp.epochSeconds(year: 2020, month: 1, day: 1) + Int64($0) * 86_400 }
        let frame = TimeSeriesFrame(timestamps: Array(stamps.prefix(34)), columns: ["y"], values: (0..<34).map { Float($0) })
        let values: [Float] = Array(repeating: 34, count: h)
        func q(_ level: Float, _ offset: Float) -> QuantileForecast { QuantileForecast(level: level, values: values.map { $0 + offset }) }
        let withBands = SeriesForecast(id: "y", timestamps: Array(stamps.suffix(h)), values: values,
                                       quantiles: [q(0.025, -4), q(0.1, -2), q(0.5, 0), q(0.9, 2), q(0.975, 4)])
        let options = try PlotOptions.parse(["--plot", url("q.svg").path])
        var figure = try ResultPlots.forecast(ForecastResult(horizon: h, series: [withBands], precision: .day, notes: []),
                                              panel: [frame], input: "daily.csv", options: options)
        try figure.svg().write(to: url("q.svg"), atomically: true, encoding: .utf8)
        let svg = try inspectAndRender("q.svg")
        XCTAssertEqual(svg.paths("band-95").map(vertices), [2 * h])
        XCTAssertEqual(svg.paths("band-80").map(vertices), [2 * h])
        XCTAssertEqual(svg.paths("band").count, 2)
        XCTAssertTrue(svg.texts("subtitle").first?.contains("80 % and 95 % intervals") == true)
        XCTAssertTrue(svg.texts("x-tick").allSatisfy { $0.range(of: #"^(Jan|Feb) \d{1,2}$"#, options: .regularExpression) != nil },
                      "\(svg.texts("x-tick"))")
        // An 80 % interval alone (no 0.025 / 0.975): one band; an unpaired quantile draws none.
        let only80 = SeriesForecast(id: "y", timestamps: Array(stamps.suffix(h)), values: values, quantiles: [q(0.1, -2), q(0.9, 2), q(0.975, 4)])
        figure = try ResultPlots.forecast(ForecastResult(horizon: h, series: [only80], precision: .day, notes: []),
                                          panel: [frame], input: "daily.csv", options: options)
        let single = try SVGInspection(Data(figure.svg().utf8))
        XCTAssertEqual(single.paths("band").map { $0.classes }, [["band", "band-80"]])
    }

    // MARK: - backtest

    func testBacktestPlotHasEachCutoffAndTheErrorByStep() throws {
        let panel = """
            unique_id,ds,y
            A,2020-01,1
            A,2020-02,2
            A,2020-03,4
            A,2020-04,3
            A,2020-05,5
            A,2020-06,8
            A,2020-07,6
            A,2020-08,7
            B,2020-03,10
            B,2020-04,12
            B,2020-05,11
            B,2020-06,15
            B,2020-07,14

            """
        try panel.write(to: url("monthly.csv"), atomically: true, encoding: .utf8)
        try tsfc(["backtest", "monthly.csv", "--horizon", "2", "--windows", "2", "--output", "cv.csv", "--plot", "bt.svg"])
        let svg = try inspectAndRender("bt.svg")
        XCTAssertEqual(svg.elements.filter { $0.classes.contains("panel") }.count, 4)
        // The truth from two horizons before the first cutoff (A's at row 4, B's at row 1), so
        // every row of these short series: A 8, B 5.
        XCTAssertEqual(svg.paths("truth").map(vertices), [8, 5])
        // One forecast line per cutoff, H points each (the first model: naive without --model).
        XCTAssertEqual(svg.paths("cutoff-forecast").count, 4)
        XCTAssertEqual(Set(svg.paths("cutoff-forecast").map(vertices)), [2])
        XCTAssertEqual(svg.elements.filter { $0.classes.contains("cutoff") }.count, 4)
        // The error by steps ahead: one line per model per series, H points.
        XCTAssertEqual(svg.paths("step-error").map { $0.attributes["data-series"]! },
                       ["naive", "seasonal_naive", "mean", "drift", "naive", "seasonal_naive", "mean", "drift"])
        XCTAssertEqual(Set(svg.paths("step-error").map(vertices)), [2])
        // Monthly data: month ticks.
        let ticks = svg.texts("x-tick").filter { Int($0) == nil }
        XCTAssertFalse(ticks.isEmpty)
        XCTAssertTrue(ticks.allSatisfy { $0.range(of: #"^[A-Z][a-z]{2} 2020$"#, options: .regularExpression) != nil }, "\(ticks)")
    }

    // MARK: - detect

    func testDetectPlotHasSeriesScoreThresholdAndEvents() throws {
        let fixture = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("detect-tiny.yaml"), to: url("detect-tiny.yaml"))
        var normal = "date,x,y\n", test = "date,x,y\n"
        for t in 0..<640 {
            let stamp = Timestamp.format(Timestamp.epochSeconds(year: 2020, month: 1, day: 1) + Int64(t) * 3600)
            let a = 2 * Double.pi * Double(t) / 24
            var x = sin(a) + 0.05 * sin(Double(t) * 1.7)
            let y = 0.5 * cos(a) + 0.05 * cos(Double(t) * 2.3)
            if t == 550 { x += 6 }
            let line = "\(stamp),\(String(format: "%.5f", x)),\(String(format: "%.5f", y))\n"
            if t < 400 { normal += line } else { test += line }
        }
        try normal.write(to: url("normal.csv"), atomically: true, encoding: .utf8)
        try test.write(to: url("test.csv"), atomically: true, encoding: .utf8)
        let labels = (0..<240).map { abs($0 - 150) <= 2 ? "1" : "0" }.joined(separator: "\n") + "\n"
        try labels.write(to: url("labels.txt"), atomically: true, encoding: .utf8)
        try tsfc(["detect", "test.csv", "--train", "normal.csv", "--config", "detect-tiny.yaml", "--labels", "labels.txt",
                  "--output", "scores.csv", "--events", "events.csv", "--plot", "detect.svg"])
        let svg = try inspectAndRender("detect.svg")
        XCTAssertEqual(svg.paths("series").map { $0.attributes["data-series"] }, ["x", "y"])
        XCTAssertEqual(svg.paths("series").map(vertices), [240, 240])
        XCTAssertEqual(svg.paths("score").map(vertices), [240])
        XCTAssertEqual(svg.elements.filter { $0.classes.contains("threshold") }.count, 1)
        // One shaded rectangle per event in each of the two panels; the labelled run too.
        let events = try String(contentsOf: url("events.csv"), encoding: .utf8).split(separator: "\n").count - 1
        XCTAssertGreaterThan(events, 0)
        XCTAssertEqual(svg.elements.filter { $0.name == "rect" && $0.classes.contains("event") }.count, 2 * events)
        XCTAssertEqual(svg.elements.filter { $0.name == "rect" && $0.classes.contains("labelled") }.count, 2)
        let ticks = svg.texts("x-tick")
        XCTAssertTrue(ticks.allSatisfy { $0.range(of: #"^(\d\d:00|Jan \d{1,2})$"#, options: .regularExpression) != nil }, "\(ticks)")
        // --plot with --follow is refused.
        let (_, err) = try tsfc(["detect", "--follow", "--train", "normal.csv", "--plot", "f.svg"], expect: 64)
        XCTAssertTrue(err.contains("--plot"), err)
    }

    // MARK: - inspect

    func testInspectPlotMarksGapsAndMissingValues() throws {
        // Daily rows for June 2019 without the 10th–12th, one empty cell in b.
        var csv = "ds,a,b\n"
        for day in 1...30 where !(10...12).contains(day) {
            csv += String(format: "2019-06-%02d,%d,%@\n", day, day, day == 20 ? "" : "\(day * 2)")
        }
        try csv.write(to: url("daily.csv"), atomically: true, encoding: .utf8)
        let (out, _) = try tsfc(["inspect", "daily.csv", "--plot", "inspect.svg"])
        XCTAssertTrue(out.contains("gaps: 1"), out)
        let svg = try inspectAndRender("inspect.svg")
        let series = svg.paths("series")
        XCTAssertEqual(series.map { $0.attributes["data-series"] }, ["a", "b"])
        XCTAssertEqual(series.map { $0.attributes["data-points"] }, ["27", "26"])
        XCTAssertEqual(series.map(vertices), [27, 26])
        // The gap breaks both lines; the missing cell breaks b once more.
        XCTAssertEqual(series.map { SVGInspection.subpathCount($0.attributes["d"]!) }, [2, 3])
        XCTAssertEqual(svg.elements.filter { $0.name == "rect" && $0.classes.contains("gap") }.count, 2)
        XCTAssertEqual(svg.elements.filter { $0.name == "rect" && $0.classes.contains("missing") }.count, 1)
        // Daily data over a month: Mondays, under each of the two panels.
        XCTAssertEqual(svg.texts("x-tick"), Array(repeating: ["Jun 3", "Jun 10", "Jun 17", "Jun 24"], count: 2).flatMap { $0 })
    }

    func testSmallMultiplesLimitAndChoice() throws {
        let names = (1...15).map { "c\($0)" }
        try writeHourly("wide.csv", rows: 30, columns: names)
        try tsfc(["inspect", "wide.csv", "--plot", "all.svg"])
        let all = try inspectAndRender("all.svg")
        XCTAssertEqual(all.paths("series").map { $0.attributes["data-series"]! }, Array(names.prefix(12)))
        XCTAssertEqual(all.texts("note"), ["showing 12 of 15 columns; 3 left out (choose with --plot-series, or raise --plot-limit)"])

        try tsfc(["inspect", "wide.csv", "--plot", "two.svg", "--plot-series", "c14, c2"])
        let two = try inspectAndRender("two.svg")
        XCTAssertEqual(two.paths("series").map { $0.attributes["data-series"]! }, ["c14", "c2"])
        XCTAssertEqual(two.texts("note"), [])

        try tsfc(["inspect", "wide.csv", "--plot", "few.svg", "--plot-limit", "3"])
        XCTAssertEqual(try SVGInspection(contentsOf: url("few.svg")).paths("series").count, 3)

        let (_, unknown) = try tsfc(["inspect", "wide.csv", "--plot", "x.svg", "--plot-series", "nope"], expect: 64)
        XCTAssertTrue(unknown.contains("no columns named 'nope'"), unknown)
        XCTAssertFalse(FileManager.default.fileExists(atPath: url("x.svg").path))
        let (_, alone) = try tsfc(["inspect", "wide.csv", "--plot-series", "c1"], expect: 64)
        XCTAssertTrue(alone.contains("give --plot"), alone)
    }

    func testUnwritablePlotFailsBeforeWork() throws {
        try writeHourly("wide.csv", rows: 30, columns: ["a"])
        let (out, err) = try tsfc(["inspect", "wide.csv", "--plot", "missing-folder/x.svg"], expect: 1)
        XCTAssertEqual(out, "")
        XCTAssertTrue(err.contains("missing-folder") && err.contains("does not exist"), err)
    }
}

/// The README's figures are the CLI's own `--plot` output (`make readme-images`).
final class ReadmePlotTests: XCTestCase {
    func testReadmeImagesAreCommittedAndRender() throws {
        let readme = try String(contentsOf: Checkout.root.appendingPathComponent("README.md"), encoding: .utf8)
        let script = try String(contentsOf: Checkout.root.appendingPathComponent("Scripts/readme-images.sh"), encoding: .utf8)
        let work = try makeTemporaryDirectory("tsfc-readme-plots", removedAfter: self)
        for (name, command, role) in [("forecast", "forecast", "forecast"), ("backtest", "backtest", "cutoff-forecast"),
                                      ("detect", "detect", "score"), ("inspect", "inspect", "series")] {
            XCTAssertTrue(readme.contains("(docs/images/\(name).svg)"), "README.md does not show docs/images/\(name).svg")
            XCTAssertTrue(script.contains("\"$tsfc\" \(command) ") && script.contains("--plot \"$out/\(name).svg\""),
                          "Scripts/readme-images.sh does not draw \(name).svg with tsfc \(command) --plot")
            let source = Checkout.root.appendingPathComponent("docs/images/\(name).svg")
            let svg = try SVGInspection(contentsOf: source)
            XCTAssertFalse(svg.paths(role).isEmpty, "\(name).svg has no \(role) path")
            let copy = work.appendingPathComponent("\(name).svg")
            try FileManager.default.copyItem(at: source, to: copy)
            let png = try SVGRenderer.renderPNG(copy)
            XCTAssertEqual(Array(png.prefix(8)), SVGRenderer.pngSignature, name)
        }
    }
}
