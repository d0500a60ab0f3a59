// TSFCPlot: escaping, nice ticks, calendar ticks at the data's frequency, one path per line and
// band with every point, breaks, decimation, no external references, and rendering through
// rsvg-convert.
import Foundation
import TSFCPlot
import TSFCTestSupport
import XCTest

final class PlotTests: XCTestCase {
    static func stamp(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0) -> Double {
        Double(CivilDate.epochSeconds(year: y, month: m, day: d) + Int64(h * 3600))
    }

    // MARK: - Text and numbers

    func testEscapingMakesHostileTextWellFormed() throws {
        XCTAssertEqual(SVGDocument.escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        XCTAssertEqual(SVGDocument.escape("bell\u{07}tab\t"), "bell\u{FFFD}tab\t")
        let name = "<script>alert('x')</script> & \u{01}"
        let figure = Figure(title: name, subtitle: name, panels: [
            Panel(title: name, x: .number(label: name, integers: true), yLabel: name,
                  lines: [LineMark(role: "series", series: name, label: name, xs: [1, 2], ys: [3, 4], color: Palette.blue)]),
        ], notes: [name])
        let svg = figure.svg()
        XCTAssertFalse(svg.contains("<script"))
        let parsed = try SVGInspection(Data(svg.utf8))
        XCTAssertEqual(parsed.texts("title").first, "<script>alert('x')</script> & \u{FFFD}")
        XCTAssertEqual(parsed.paths("series").first?.attributes["data-series"], "<script>alert('x')</script> & \u{FFFD}")
    }

    func testCoordinatesAndNumberLabels() {
        XCTAssertEqual(SVGDocument.number(12), "12")
        XCTAssertEqual(SVGDocument.number(-3.46), "-3.5")
        XCTAssertEqual(SVGDocument.number(-0.04), "0")
        XCTAssertEqual(SVGDocument.number(-0.4), "-0.4")
        XCTAssertEqual(SVGDocument.pathData([(0, 0), (1, 2), nil, (3, 4)]), "M0 0 L1 2 M3 4")
        XCTAssertEqual(SVGDocument.pathData([(0, 0), (1, 1)], closed: true), "M0 0 L1 1 Z")
        XCTAssertEqual(NiceTicks.label(12_500, decimals: 0), "12,500")
        XCTAssertEqual(NiceTicks.label(-1_234_567.5, decimals: 1), "-1,234,567.5")
        XCTAssertEqual(NiceTicks.label(-0.0001, decimals: 2), "0.00")
        XCTAssertEqual(NiceTicks.label(9999, decimals: 0), "9999")
    }

    func testNiceTicks() {
        XCTAssertEqual(NiceTicks.step(lower: 0, upper: 97, count: 5), 20)
        XCTAssertEqual(NiceTicks.step(lower: 0, upper: 0.9, count: 4), 0.2)
        XCTAssertEqual(NiceTicks.step(lower: 1, upper: 6, count: 10, integers: true), 1)
        XCTAssertEqual(NiceTicks.niceDomain(lower: 0.3, upper: 9.7, count: 5), 0...10)
        let flat = NiceTicks.niceDomain(lower: 5, upper: 5, count: 4)
        XCTAssertEqual(flat.lowerBound, 4.4, accuracy: 1e-9)
        XCTAssertEqual(flat.upperBound, 5.6, accuracy: 1e-9)
        XCTAssertEqual(NiceTicks.values(lower: -1, upper: 1, step: 0.5), [-1, -0.5, 0, 0.5, 1])
        XCTAssertEqual(NiceTicks.decimals(for: 0.2), 1)
        XCTAssertEqual(NiceTicks.decimals(for: 0.05), 2)
        XCTAssertEqual(NiceTicks.decimals(for: 20), 0)
    }

    // MARK: - Calendar ticks

    func testMonthlyTicksFallOnMonthsWithMonthLabels() {
        let ticks = TimeTicks.make(lower: Self.stamp(2019, 1, 1), upper: Self.stamp(2020, 12, 1), pixels: 600, dataStep: 30 * 86_400)
        XCTAssertEqual(ticks.interval, CalendarStep(.month, 3))
        XCTAssertEqual(ticks.labels, ["Jan 2019", "Apr 2019", "Jul 2019", "Oct 2019", "Jan 2020", "Apr 2020", "Jul 2020", "Oct 2020"])
        for t in ticks.values { XCTAssertEqual(CivilDate(epochSeconds: Int64(t)).day, 1) }
        // Three months of monthly data over a wide axis: still months, never days.
        let short = TimeTicks.make(lower: Self.stamp(2019, 1, 1), upper: Self.stamp(2019, 3, 1), pixels: 900, dataStep: 30 * 86_400)
        XCTAssertEqual(short.labels, ["Jan 2019", "Feb 2019", "Mar 2019"])
        // Decades of yearly data: years.
        let yearly = TimeTicks.make(lower: Self.stamp(1960, 1, 1), upper: Self.stamp(2020, 1, 1), pixels: 600, dataStep: 365 * 86_400)
        XCTAssertEqual(yearly.labels, ["1960", "1970", "1980", "1990", "2000", "2010", "2020"])
    }

    func testDailyTicksAreDayLabels() {
        // June 2019: 2019-06-03 was a Monday.
        let ticks = TimeTicks.make(lower: Self.stamp(2019, 6, 1), upper: Self.stamp(2019, 6, 30), pixels: 600, dataStep: 86_400)
        XCTAssertEqual(ticks.interval, CalendarStep(.week, 1))
        XCTAssertEqual(ticks.labels, ["Jun 3", "Jun 10", "Jun 17", "Jun 24"])
        let wide = TimeTicks.make(lower: Self.stamp(2019, 6, 1), upper: Self.stamp(2019, 6, 10), pixels: 900, dataStep: 86_400)
        XCTAssertEqual(wide.interval, CalendarStep(.day, 1))
        XCTAssertEqual(wide.labels.first, "Jun 1")
        XCTAssertEqual(wide.labels.count, 10)
        // New Year's Day shows the year.
        XCTAssertEqual(TimeTicks.label(Int64(Self.stamp(2020, 1, 1)), interval: CalendarStep(.day, 1)), "2020")
    }

    func testHourlyTicksAreClockTimesWithTheDateAtMidnight() {
        let ticks = TimeTicks.make(lower: Self.stamp(2019, 6, 3), upper: Self.stamp(2019, 6, 4, 23), pixels: 600, dataStep: 3600)
        XCTAssertEqual(ticks.interval, CalendarStep(.hour, 6))
        XCTAssertEqual(ticks.labels, ["Jun 3", "06:00", "12:00", "18:00", "Jun 4", "06:00", "12:00", "18:00"])
        let minutes = TimeTicks.make(lower: Self.stamp(2019, 6, 3, 14), upper: Self.stamp(2019, 6, 3, 15), pixels: 600, dataStep: 60)
        XCTAssertEqual(minutes.labels, ["14:00", "14:15", "14:30", "14:45", "15:00"])
    }

    func testTickLabelsDoNotCrowd() {
        // However narrow the axis, neighbouring labels are at least their own width apart.
        for pixels in [120.0, 200, 300, 450, 900] {
            for (lower, upper, step) in [(Self.stamp(2016, 7, 1), Self.stamp(2018, 6, 26), 3600.0),
                                         (Self.stamp(1990, 1, 1), Self.stamp(2019, 12, 1), 30 * 86_400.0),
                                         (Self.stamp(2019, 6, 1), Self.stamp(2019, 6, 20), 900.0)] {
                let ticks = TimeTicks.make(lower: lower, upper: upper, pixels: pixels, dataStep: step)
                let spacing = ticks.interval.seconds / (upper - lower) * pixels
                let widest = Double(ticks.labels.map(\.count).max() ?? 0) * 6.6
                XCTAssertGreaterThanOrEqual(spacing, widest, "\(ticks.interval) over \(pixels) px: \(ticks.labels)")
            }
        }
    }

    // MARK: - Paths

    func forecastFigure(series: Int = 2, history: Int = 50, horizon: Int = 10) -> Figure {
        let panels = (0..<series).map { s -> Panel in
            let t0 = Self.stamp(2020, 1, 1)
            let hx = (0..<history).map { t0 + Double($0) * 3600 }
            let fx = (history..<(history + horizon)).map { t0 + Double($0) * 3600 }
            let hy = (0..<history).map { sin(Double($0) / 4) + Double(s) }
            let fy = (0..<horizon).map { sin(Double($0 + history) / 4) + Double(s) }
            return Panel(title: "series \(s)", x: .time(dataStep: 3600), bands: [
                BandMark(role: "band-95", series: "s\(s)", label: "95 %", xs: fx, lower: fy.map { $0 - 1 }, upper: fy.map { $0 + 1 },
                         color: Palette.blue, opacity: 0.15),
                BandMark(role: "band-80", series: "s\(s)", label: "80 %", xs: fx, lower: fy.map { $0 - 0.5 }, upper: fy.map { $0 + 0.5 },
                         color: Palette.blue, opacity: 0.3),
            ], lines: [
                LineMark(role: "history", series: "s\(s)", label: "history", xs: hx, ys: hy, color: Palette.ink),
                LineMark(role: "forecast", series: "s\(s)", label: "forecast", xs: fx, ys: fy, color: Palette.blue),
            ])
        }
        return Figure(title: "Forecast", panels: panels)
    }

    func testOnePathPerLineAndBandWithEveryPoint() throws {
        let svg = try SVGInspection(Data(forecastFigure().svg().utf8))
        XCTAssertEqual(svg.elements.filter { $0.classes.contains("panel") }.count, 2)
        for (role, vertices) in [("history", 50), ("forecast", 10), ("band-80", 20), ("band-95", 20)] {
            let paths = svg.paths(role)
            XCTAssertEqual(paths.map { $0.attributes["data-series"] }, ["s0", "s1"], role)
            for p in paths {
                XCTAssertEqual(SVGInspection.vertexCount(p.attributes["d"] ?? ""), vertices, role)
                XCTAssertEqual(p.attributes["data-points"], "\(role.hasPrefix("band") ? 10 : vertices)", role)
            }
        }
        XCTAssertTrue(svg.paths("band-80").allSatisfy { $0.attributes["d"]!.hasSuffix("Z") })
        // The legend names each labelled mark once.
        let legend = svg.elements.drop { !$0.classes.contains("legend") }.prefix { !$0.classes.contains("panel") }
        XCTAssertEqual(legend.filter { $0.name == "text" }.map(\.text), ["history", "forecast", "95 %", "80 %"])
        // x tick labels of hourly data over two days: clock times.
        XCTAssertTrue(svg.texts("x-tick").contains("12:00"), "\(svg.texts("x-tick"))")
    }

    func testBandUpperEdgeForwardsLowerEdgeBackwards() throws {
        let panel = Panel(title: "p", x: .number(label: nil, integers: true), bands: [
            BandMark(role: "band", series: "a", xs: [0, 1, 2], lower: [0, 0, 0], upper: [10, 10, 10], color: Palette.blue, opacity: 0.3),
        ])
        let svg = try SVGInspection(Data(Figure(title: "t", panels: [panel]).svg().utf8))
        let d = try XCTUnwrap(svg.paths("band").first?.attributes["d"])
        let xs = d.split(separator: " ").enumerated().filter { $0.offset % 2 == 0 && $0.element != "Z" }
            .map { Double($0.element.dropFirst())! }
        XCTAssertEqual(xs.count, 6)
        XCTAssertEqual(Array(xs[0..<3]), xs[0..<3].sorted())
        XCTAssertEqual(Array(xs[3..<6]), xs[3..<6].sorted(by: >))
    }

    func testMissingValuesAndGapsBreakTheLine() throws {
        let line = LineMark(role: "series", series: "a", xs: [1, 2, 3, 4, 10, 11], ys: [1, .nan, 3, 4, 5, 6], color: Palette.blue, maxStep: 1.5)
        let svg = try SVGInspection(Data(Figure(title: "t", panels: [Panel(title: "p", x: .number(label: "row", integers: true), lines: [line])]).svg().utf8))
        let path = try XCTUnwrap(svg.paths("series").first)
        XCTAssertEqual(path.attributes["data-points"], "5")
        XCTAssertEqual(SVGInspection.vertexCount(path.attributes["d"]!), 5)
        XCTAssertEqual(SVGInspection.subpathCount(path.attributes["d"]!), 3)  // 1 | 3 4 | 10 11
    }

    func testLongSeriesAreThinnedPerPixelColumn() throws {
        let n = 20_000
        let line = LineMark(role: "series", series: "a", xs: (0..<n).map(Double.init), ys: (0..<n).map { sin(Double($0) / 30) },
                            color: Palette.blue)
        let text = Figure(title: "t", panels: [Panel(title: "p", x: .number(label: nil, integers: true), lines: [line])]).svg()
        let svg = try SVGInspection(Data(text.utf8))
        let path = try XCTUnwrap(svg.paths("series").first)
        XCTAssertEqual(path.attributes["data-points"], "\(n)")
        let vertices = SVGInspection.vertexCount(path.attributes["d"]!)
        XCTAssertLessThan(vertices, 4 * 960)
        XCTAssertGreaterThan(vertices, 900)
        XCTAssertLessThan(text.utf8.count, 120_000)
    }

    func testSelfContained() throws {
        let text = forecastFigure().svg()
        XCTAssertFalse(text.contains("<script"))
        XCTAssertFalse(text.contains("href"))
        XCTAssertFalse(text.contains("@import"))
        XCTAssertFalse(text.contains("<image"))
        XCTAssertEqual(text.components(separatedBy: "url(").count - 1, text.components(separatedBy: "url(#").count - 1)
        XCTAssertEqual(text.components(separatedBy: "http").count - 1, 1)  // the SVG namespace only
        XCTAssertTrue(text.contains("font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""))
    }

    func testSmallMultiplesGrid() throws {
        let figure = forecastFigure(series: 7)
        let svg = try SVGInspection(Data(figure.svg().utf8))
        XCTAssertEqual(svg.paths("history").count, 7)
        let areas = svg.elements.filter { $0.classes.contains("plot-area") }
        XCTAssertEqual(svg.elements.filter { $0.classes.contains("panel-title") }.count, 7)
        // Three columns: the seven plot areas lie in three rows.
        XCTAssertEqual(areas.count, 7)
        XCTAssertEqual(Set(areas.map { $0.attributes["y"]! }).count, 3)
    }

    func testRendersToPNG() throws {
        let dir = try makeTemporaryDirectory("tsfc-plot", removedAfter: self)
        let figures: [String: Figure] = [
            "forecast": forecastFigure(),
            "grid": forecastFigure(series: 5),
            "spans": Figure(title: "Events", panels: [
                Panel(title: "score", x: .number(label: "row", integers: true), yLabel: "score",
                      spans: [SpanMark(role: "event", label: "event", from: 3, to: 5, color: Palette.vermillion, opacity: 0.2)],
                      lines: [LineMark(role: "score", series: "score", label: "score", xs: (0..<10).map(Double.init),
                                       ys: [0, 1, 0, 5, 6, 5, 0, 1, 0, 0], color: Palette.blue)],
                      rules: [RuleMark(role: "threshold", label: "threshold", orientation: .horizontal, value: 4, color: Palette.vermillion)]),
            ]),
            "empty": Figure(title: "nothing", panels: [Panel(title: "no data", x: .time(dataStep: nil))]),
        ]
        for (name, figure) in figures {
            let url = dir.appendingPathComponent("\(name).svg")
            try figure.svg().write(to: url, atomically: true, encoding: .utf8)
            let png = try SVGRenderer.renderPNG(url)
            XCTAssertEqual(Array(png.prefix(8)), SVGRenderer.pngSignature, name)
            XCTAssertGreaterThan(png.count, 2_000, name)
            let size = try XCTUnwrap(SVGRenderer.pngSize(png), name)
            XCTAssertEqual(size.width, 960, name)
        }
    }
}
