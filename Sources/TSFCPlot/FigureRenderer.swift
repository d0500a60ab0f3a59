// Drawing a Figure as SVG: title, legend, a grid of panels (each with its own y-scale, gridlines,
// calendar or numeric x ticks, and its marks clipped to the plot area), notes. Pure: a Figure in,
// the file's text out.

extension Figure {
    /// The generic font stack: DejaVu Sans where installed (Linux), else the system sans-serif.
    public static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

    /// The figure as a self-contained SVG file (no scripts, fonts or other external references).
    public func svg() -> String {
        FigureRenderer(figure: self).render()
    }
}

/// Lays out and draws one figure.
struct FigureRenderer {
    let figure: Figure

    // Layout, in pixels.
    static let margin = 16.0
    static let fontSize = 11.0
    static let characterWidth = 6.6      // DejaVu Sans at 11 px, a little generous
    static let columnGap = 18.0
    static let rowGap = 14.0
    static let legendRow = 18.0

    struct LegendEntry {
        enum Kind { case line(dash: String?, width: Double), area(opacity: Double) }
        let label: String
        let color: String
        let kind: Kind
    }

    var columns: Int {
        let n = figure.panels.count
        let c = figure.columns ?? (n <= 2 ? 1 : n <= 4 ? 2 : 3)
        return max(1, min(c, max(n, 1)))
    }

    var panelHeight: Double { figure.panelHeight ?? (figure.panels.count <= 1 ? 320 : 220) }

    /// Legend entries in order of appearance, one per label.
    var legend: [LegendEntry] {
        var seen = Set<String>(), out: [LegendEntry] = []
        func add(_ label: String?, _ color: String, _ kind: LegendEntry.Kind) {
            guard let label, !label.isEmpty, seen.insert(label).inserted else { return }
            out.append(LegendEntry(label: label, color: color, kind: kind))
        }
        for p in figure.panels {
            for l in p.lines { add(l.label, l.color, .line(dash: l.dash, width: l.width)) }
            for b in p.bands { add(b.label, b.color, .area(opacity: b.opacity)) }
            for s in p.spans { add(s.label, s.color, .area(opacity: s.opacity)) }
            for r in p.rules { add(r.label, r.color, .line(dash: r.dash, width: 1.2)) }
        }
        return out
    }

    /// Legend entries placed in rows that fit the width: (entry, x, row).
    func legendLayout(width: Double) -> [(LegendEntry, Double, Int)] {
        var placed: [(LegendEntry, Double, Int)] = []
        var x = Self.margin, row = 0
        for e in legend {
            let w = 24 + Double(e.label.count) * Self.characterWidth + 18
            if x + w > width - Self.margin && x > Self.margin { row += 1; x = Self.margin }
            placed.append((e, x, row))
            x += w
        }
        return placed
    }

    func render() -> String {
        let width = figure.width
        var y = Self.margin + 14                      // title baseline
        let titleBaseline = y
        var subtitleBaseline: Double?
        if figure.subtitle != nil { y += 17; subtitleBaseline = y }
        let legendPlaced = legendLayout(width: width)
        let legendRows = (legendPlaced.map(\.2).max() ?? -1) + 1
        let legendTop = y + 10
        if legendRows > 0 { y = legendTop + Double(legendRows) * Self.legendRow }
        let gridTop = y + 8
        let c = columns, rows = (figure.panels.count + c - 1) / c
        let panelWidth = (width - 2 * Self.margin - Double(c - 1) * Self.columnGap) / Double(c)
        let gridHeight = Double(rows) * panelHeight + Double(max(rows - 1, 0)) * Self.rowGap
        let notesTop = gridTop + gridHeight + 8
        let height = notesTop + Double(figure.notes.count) * 15 + Self.margin

        var doc = SVGDocument(width: width, height: height)
        doc.text("text", ["class": "title", "x": n(Self.margin), "y": n(titleBaseline), "font-size": "15", "font-weight": "bold", "fill": "#111111"],
                 content: figure.title)
        if let subtitle = figure.subtitle, let sy = subtitleBaseline {
            doc.text("text", ["class": "subtitle", "x": n(Self.margin), "y": n(sy), "fill": "#555555"], content: subtitle)
        }
        if !legendPlaced.isEmpty {
            doc.open("g", ["class": "legend"])
            for (e, x, row) in legendPlaced {
                let cy = legendTop + Double(row) * Self.legendRow + Self.legendRow / 2
                switch e.kind {
                case let .line(dash, w):
                    if let dash {
                        doc.element("line", ["x1": n(x), "y1": n(cy), "x2": n(x + 18), "y2": n(cy), "stroke": e.color,
                                             "stroke-width": n(max(w, 1.5)), "stroke-dasharray": dash])
                    } else {
                        doc.element("line", ["x1": n(x), "y1": n(cy), "x2": n(x + 18), "y2": n(cy), "stroke": e.color,
                                             "stroke-width": n(max(w, 1.5))])
                    }
                case let .area(opacity):
                    doc.element("rect", ["x": n(x), "y": n(cy - 5), "width": "18", "height": "10", "fill": e.color,
                                         "fill-opacity": opacity3(opacity)])
                }
                doc.text("text", ["x": n(x + 24), "y": n(cy + 4), "fill": "#333333"], content: e.label)
            }
            doc.close("g")
        }
        // One left inset for every panel, so stacked panels share their plot edges.
        let layouts = figure.panels.map { YLayout($0, height: panelHeight) }
        let inset = layouts.map(\.inset).max() ?? 0
        for (k, panel) in figure.panels.enumerated() {
            let px = Self.margin + Double(k % c) * (panelWidth + Self.columnGap)
            let py = gridTop + Double(k / c) * (panelHeight + Self.rowGap)
            drawPanel(panel, layout: layouts[k], inset: inset, index: k, x: px, y: py, width: panelWidth, height: panelHeight, into: &doc)
        }
        for (i, note) in figure.notes.enumerated() {
            doc.text("text", ["class": "note", "x": n(Self.margin), "y": n(notesTop + 11 + Double(i) * 15), "fill": "#555555",
                              "font-style": "italic"], content: note)
        }
        return doc.text(title: figure.title, fontFamily: Figure.fontFamily, fontSize: Self.fontSize)
    }

    // MARK: - One panel

    /// A panel's vertical extent and y-axis: the plot area's top and bottom relative to the
    /// panel, the nice y-domain over every finite value it draws, the ticks and their labels,
    /// and the room the labels (and the y title) need left of the plot.
    struct YLayout {
        static let titleHeight = 18.0
        let top: Double, bottom: Double
        let domain: ClosedRange<Double>
        let ticks: [Double]
        let labels: [String]
        let inset: Double

        init(_ panel: Panel, height: Double) {
            var ys: [Double] = []
            for l in panel.lines { ys += l.ys.filter(\.isFinite) }
            for b in panel.bands { ys += b.lower.filter(\.isFinite); ys += b.upper.filter(\.isFinite) }
            for r in panel.rules where r.orientation == .horizontal && r.value.isFinite { ys.append(r.value) }
            let xLabelHeight: Double = { if case let .number(label, _) = panel.x, label != nil { return 14 } else { return 0 } }()
            top = Self.titleHeight + 6
            bottom = height - 20 - xLabelHeight
            let count = max(2, Int((bottom - top) / 38))
            domain = NiceTicks.niceDomain(lower: ys.min() ?? 0, upper: ys.max() ?? 1, count: count)
            let step = NiceTicks.step(lower: domain.lowerBound, upper: domain.upperBound, count: count)
            ticks = NiceTicks.values(lower: domain.lowerBound, upper: domain.upperBound, step: step)
            let decimals = NiceTicks.decimals(for: step)
            labels = ticks.map { NiceTicks.label($0, decimals: decimals) }
            inset = (panel.yLabel == nil ? 0 : 16) + Double(labels.map(\.count).max() ?? 1) * FigureRenderer.characterWidth + 8
        }
    }

    func drawPanel(_ panel: Panel, layout: YLayout, inset: Double, index: Int, x: Double, y: Double, width: Double, height: Double,
                   into doc: inout SVGDocument) {
        var xs: [Double] = []
        for l in panel.lines { xs += l.xs.filter(\.isFinite) }
        for b in panel.bands { xs += b.xs.filter(\.isFinite) }
        for s in panel.spans { xs += [s.from, s.to].filter(\.isFinite) }
        for r in panel.rules where r.orientation == .vertical && r.value.isFinite { xs.append(r.value) }

        let plotTop = y + layout.top, plotBottom = y + layout.bottom
        let (yDomain, yTicks, yLabels) = (layout.domain, layout.ticks, layout.labels)
        let plotLeft = x + inset
        let plotRight = x + width - 6
        let xLower = xs.min() ?? 0, xUpper = max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9)
        let xScale = LinearScale(domain: xLower...xUpper, range: (plotLeft, plotRight))
        let yScale = LinearScale(domain: yDomain, range: (plotBottom, plotTop))

        doc.open("g", ["class": "panel", "id": "panel-\(index)"])
        doc.text("text", ["class": "panel-title", "x": n(plotLeft), "y": n(y + 13), "font-size": "12", "font-weight": "bold",
                          "fill": "#222222"], content: truncated(panel.title, width: plotRight - plotLeft))
        doc.element("rect", ["class": "plot-area", "x": n(plotLeft), "y": n(plotTop), "width": n(plotRight - plotLeft),
                             "height": n(plotBottom - plotTop), "fill": "#fbfbfb", "stroke": "#d0d0d0", "stroke-width": "0.8"])

        // y gridlines and labels.
        doc.open("g", ["class": "axis y-axis"])
        for (v, label) in zip(yTicks, yLabels) {
            let py = yScale(v)
            doc.element("line", ["x1": n(plotLeft), "y1": n(py), "x2": n(plotRight), "y2": n(py), "stroke": "#e6e6e6", "stroke-width": "0.8"])
            doc.text("text", ["x": n(plotLeft - 5), "y": n(py + 3.5), "text-anchor": "end", "fill": "#444444"], content: label)
        }
        if let yLabel = panel.yLabel {
            let cx = x + 9, cy = (plotTop + plotBottom) / 2
            doc.text("text", ["class": "y-label", "x": n(cx), "y": n(cy), "text-anchor": "middle", "fill": "#444444",
                              "transform": "rotate(-90 \(n(cx)) \(n(cy)))"], content: yLabel)
        }
        doc.close("g")

        // x ticks and labels.
        let (xTicks, xLabels) = xTickValues(panel.x, lower: xLower, upper: xUpper, pixels: plotRight - plotLeft)
        doc.open("g", ["class": "axis x-axis"])
        for (v, label) in zip(xTicks, xLabels) {
            let px = xScale(v)
            doc.element("line", ["x1": n(px), "y1": n(plotTop), "x2": n(px), "y2": n(plotBottom), "stroke": "#eeeeee", "stroke-width": "0.8"])
            doc.element("line", ["x1": n(px), "y1": n(plotBottom), "x2": n(px), "y2": n(plotBottom + 4), "stroke": "#888888", "stroke-width": "0.8"])
            // A label that would hang past the plot's edge (into the y labels or the next panel)
            // starts or ends at its tick instead of centring on it.
            let half = Double(label.count) * Self.characterWidth / 2
            let anchor = px - half < plotLeft - 4 ? "start" : px + half > plotRight + 4 ? "end" : "middle"
            let tx = anchor == "start" ? px - 2 : anchor == "end" ? px + 2 : px
            doc.text("text", ["class": "x-tick", "x": n(tx), "y": n(plotBottom + 15), "text-anchor": anchor, "fill": "#444444"], content: label)
        }
        if case let .number(label?, _) = panel.x {
            doc.text("text", ["class": "x-label", "x": n((plotLeft + plotRight) / 2), "y": n(plotBottom + 30), "text-anchor": "middle",
                              "fill": "#444444"], content: label)
        }
        doc.close("g")

        // The marks, clipped to the plot area.
        doc.open("clipPath", ["id": "clip-\(index)"])
        doc.element("rect", ["x": n(plotLeft), "y": n(plotTop), "width": n(plotRight - plotLeft), "height": n(plotBottom - plotTop)])
        doc.close("clipPath")
        doc.open("g", ["class": "marks", "clip-path": "url(#clip-\(index))"])
        for s in panel.spans where s.from.isFinite && s.to.isFinite {
            let x0 = xScale(min(s.from, s.to)), x1 = xScale(max(s.from, s.to))
            doc.element("rect", ["class": s.role, "x": n(x0), "y": n(plotTop), "width": n(max(x1 - x0, 2.5)),
                                 "height": n(plotBottom - plotTop), "fill": s.color, "fill-opacity": opacity3(s.opacity)])
        }
        let maxVertices = Int((plotRight - plotLeft) * 4)
        for b in panel.bands {
            let (d, count) = bandPath(b, xScale: xScale, yScale: yScale, maxPoints: maxVertices)
            doc.element("path", ["class": b.role, "data-series": b.series, "data-points": "\(count)", "d": d,
                                 "fill": b.color, "fill-opacity": opacity3(b.opacity), "stroke": "none"])
        }
        for r in panel.rules where r.value.isFinite {
            let attrs: (String, String, String, String) = r.orientation == .horizontal
                ? (n(plotLeft), n(yScale(r.value)), n(plotRight), n(yScale(r.value)))
                : (n(xScale(r.value)), n(plotTop), n(xScale(r.value)), n(plotBottom))
            if let dash = r.dash {
                doc.element("line", ["class": r.role, "x1": attrs.0, "y1": attrs.1, "x2": attrs.2, "y2": attrs.3, "stroke": r.color,
                                     "stroke-width": "1.2", "stroke-dasharray": dash])
            } else {
                doc.element("line", ["class": r.role, "x1": attrs.0, "y1": attrs.1, "x2": attrs.2, "y2": attrs.3, "stroke": r.color,
                                     "stroke-width": "1.2"])
            }
        }
        for l in panel.lines {
            let (d, count) = linePath(l, xScale: xScale, yScale: yScale, maxPoints: maxVertices)
            if let dash = l.dash {
                doc.element("path", ["class": l.role, "data-series": l.series, "data-points": "\(count)", "d": d, "fill": "none",
                                     "stroke": l.color, "stroke-width": n(l.width), "stroke-linejoin": "round", "stroke-dasharray": dash])
            } else {
                doc.element("path", ["class": l.role, "data-series": l.series, "data-points": "\(count)", "d": d, "fill": "none",
                                     "stroke": l.color, "stroke-width": n(l.width), "stroke-linejoin": "round"])
            }
        }
        doc.close("g")
        doc.close("g")
    }

    func xTickValues(_ axis: XAxis, lower: Double, upper: Double, pixels: Double) -> ([Double], [String]) {
        switch axis {
        case let .time(dataStep):
            let ticks = TimeTicks.make(lower: lower, upper: upper, pixels: pixels, dataStep: dataStep, characterWidth: Self.characterWidth)
            return (ticks.values, ticks.labels)
        case let .number(_, integers):
            // As many ticks as fit labels of the widest endpoint's width.
            let widest = Double(max(NiceTicks.label(lower, decimals: 0).count, NiceTicks.label(upper, decimals: 0).count) + 2)
            let count = max(2, min(10, Int(pixels / (widest * Self.characterWidth + 24))))
            let step = NiceTicks.step(lower: lower, upper: upper, count: count, integers: integers)
            let values = NiceTicks.values(lower: lower, upper: upper, step: step)
            let decimals = integers ? 0 : NiceTicks.decimals(for: step)
            return (values, values.map { NiceTicks.label($0, decimals: decimals) })
        }
    }

    /// The path of a line and how many data points it goes through (finite y, finite x). Lines
    /// with more points than `maxPoints` keep, per pixel column, the first, lowest, highest and
    /// last point (the look of every point, a fraction of the file).
    func linePath(_ line: LineMark, xScale: LinearScale, yScale: LinearScale, maxPoints: Int) -> (String, Int) {
        let count = min(line.xs.count, line.ys.count)
        var points: [(Double, Double)?] = []
        points.reserveCapacity(count)
        var finite = 0
        var previousX: Double?
        for i in 0..<count {
            let x = line.xs[i], y = line.ys[i]
            guard x.isFinite, y.isFinite else { points.append(nil); continue }
            if let maxStep = line.maxStep, let p = previousX, x - p > maxStep { points.append(nil) }
            previousX = x
            finite += 1
            points.append((xScale(x), yScale(y)))
        }
        if finite > maxPoints { points = Self.decimated(points) }
        return (SVGDocument.pathData(points), finite)
    }

    /// Per whole-pixel column: the first, lowest, highest and last point, in x order; breaks kept.
    static func decimated(_ points: [(Double, Double)?]) -> [(Double, Double)?] {
        var out: [(Double, Double)?] = []
        var bucket: [(Double, Double)] = []
        var column: Int?
        func flush() {
            guard let first = bucket.first, let last = bucket.last else { return }
            let low = bucket.max { $0.1 < $1.1 }!, high = bucket.min { $0.1 < $1.1 }!   // pixel y grows downwards
            var keep = [first, low, high, last]
            keep.sort { $0.0 < $1.0 }
            var previous: (Double, Double)?
            for p in keep where previous.map({ $0 != p }) ?? true { out.append(p); previous = p }
            bucket.removeAll(keepingCapacity: true)
        }
        for p in points {
            guard let p else { flush(); column = nil; out.append(nil); continue }
            let c = Int(p.0.rounded(.down))
            if c != column { flush(); column = c }
            bucket.append(p)
        }
        flush()
        return out
    }

    /// The band's polygon (upper edge forwards, lower edge backwards) over the steps where both
    /// edges are finite, and how many steps that is (the polygon has twice as many vertices).
    func bandPath(_ band: BandMark, xScale: LinearScale, yScale: LinearScale, maxPoints: Int) -> (String, Int) {
        let count = min(band.xs.count, band.lower.count, band.upper.count)
        var indices = (0..<count).filter { band.xs[$0].isFinite && band.lower[$0].isFinite && band.upper[$0].isFinite }
        let steps = indices.count
        if steps > maxPoints / 2, maxPoints > 1 {
            let stride = (steps + maxPoints / 2 - 1) / (maxPoints / 2)
            indices = indices.enumerated().filter { $0.offset % stride == 0 || $0.offset == steps - 1 }.map(\.element)
        }
        let upper = indices.map { Optional((xScale(band.xs[$0]), yScale(band.upper[$0]))) }
        let lower = indices.reversed().map { Optional((xScale(band.xs[$0]), yScale(band.lower[$0]))) }
        return (SVGDocument.pathData(upper + lower, closed: true), steps)
    }

    func truncated(_ text: String, width: Double) -> String {
        let limit = max(4, Int(width / 7.4))
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    func n(_ x: Double) -> String { SVGDocument.number(x) }

    func opacity3(_ x: Double) -> String { String(Double(Int((min(max(x, 0), 1) * 1000).rounded())) / 1000) }
}
