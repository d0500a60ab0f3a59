// What a figure shows, independent of how it is drawn: panels (small multiples) of lines,
// shaded bands, shaded x-spans and rules, over a time or numeric x-axis. `Figure.svg()` draws it.

/// The horizontal axis of a panel.
public enum XAxis: Sendable, Equatable {
    /// Epoch seconds (UTC), ticked on calendar boundaries no finer than `dataStep`, the seconds
    /// between the data's points (nil: unknown).
    case time(dataStep: Double?)
    /// Plain numbers (row numbers, horizon steps) under an optional axis label; `integers` keeps
    /// the ticks on whole numbers.
    case number(label: String?, integers: Bool)
}

/// A polyline through (x, y) points. A non-finite y, or an x step longer than `maxStep`, lifts
/// the pen, so missing values and gaps show as breaks.
public struct LineMark: Sendable, Equatable {
    /// The element's `class` (its role: `history`, `forecast`, `truth`, `score`…).
    public var role: String
    /// What the line is of (`data-series`), e.g. the series' name.
    public var series: String
    /// Its legend entry (nil: none).
    public var label: String?
    public var xs: [Double]
    public var ys: [Double]
    /// CSS colour.
    public var color: String
    public var width: Double
    /// SVG `stroke-dasharray`, nil for a solid line.
    public var dash: String?
    public var maxStep: Double?

    public init(role: String, series: String, label: String? = nil, xs: [Double], ys: [Double], color: String,
                width: Double = 1.5, dash: String? = nil, maxStep: Double? = nil) {
        (self.role, self.series, self.label, self.xs, self.ys) = (role, series, label, xs, ys)
        (self.color, self.width, self.dash, self.maxStep) = (color, width, dash, maxStep)
    }
}

/// A filled area between `lower` and `upper` over `xs` (an interval band): one polygon, the
/// upper edge left to right, then the lower edge right to left.
public struct BandMark: Sendable, Equatable {
    public var role: String
    public var series: String
    public var label: String?
    public var xs: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var color: String
    public var opacity: Double

    public init(role: String, series: String, label: String? = nil, xs: [Double], lower: [Double], upper: [Double],
                color: String, opacity: Double) {
        (self.role, self.series, self.label, self.xs, self.lower, self.upper) = (role, series, label, xs, lower, upper)
        (self.color, self.opacity) = (color, opacity)
    }
}

/// A shaded stretch of the x-axis over the panel's full height (an event, a gap).
public struct SpanMark: Sendable, Equatable {
    public var role: String
    public var label: String?
    public var from: Double
    public var to: Double
    public var color: String
    public var opacity: Double

    public init(role: String, label: String? = nil, from: Double, to: Double, color: String, opacity: Double) {
        (self.role, self.label, self.from, self.to, self.color, self.opacity) = (role, label, from, to, color, opacity)
    }
}

/// A straight line across the panel at a fixed y (a threshold) or x (a cutoff).
public struct RuleMark: Sendable, Equatable {
    public enum Orientation: Sendable, Equatable { case horizontal, vertical }
    public var role: String
    public var label: String?
    public var orientation: Orientation
    public var value: Double
    public var color: String
    public var dash: String?

    public init(role: String, label: String? = nil, orientation: Orientation, value: Double, color: String, dash: String? = "4 3") {
        (self.role, self.label, self.orientation, self.value, self.color, self.dash) = (role, label, orientation, value, color, dash)
    }
}

/// One chart of a figure.
public struct Panel: Sendable, Equatable {
    public var title: String
    public var x: XAxis
    /// A label beside the y-axis (units, "score"); nil for none.
    public var yLabel: String?
    public var spans: [SpanMark]
    public var bands: [BandMark]
    public var lines: [LineMark]
    public var rules: [RuleMark]

    public init(title: String, x: XAxis, yLabel: String? = nil, spans: [SpanMark] = [], bands: [BandMark] = [],
                lines: [LineMark] = [], rules: [RuleMark] = []) {
        (self.title, self.x, self.yLabel, self.spans, self.bands, self.lines, self.rules) = (title, x, yLabel, spans, bands, lines, rules)
    }
}

/// A titled figure: a legend shared by its panels, the panels in a grid, notes underneath.
public struct Figure: Sendable, Equatable {
    public var title: String
    public var subtitle: String?
    public var panels: [Panel]
    /// Panels per row (nil: 1 for up to 2 panels, 2 for up to 4, else 3).
    public var columns: Int?
    /// Lines of small print under the panels (e.g. how many series were left out).
    public var notes: [String]
    /// The whole figure's width in pixels.
    public var width: Double
    /// Each panel's height (nil: 320 for a single panel, 220 otherwise).
    public var panelHeight: Double?

    public init(title: String, subtitle: String? = nil, panels: [Panel], columns: Int? = nil, notes: [String] = [],
                width: Double = 960, panelHeight: Double? = nil) {
        (self.title, self.subtitle, self.panels, self.columns, self.notes) = (title, subtitle, panels, columns, notes)
        (self.width, self.panelHeight) = (width, panelHeight)
    }
}

/// Colour-blind-safe colours (Okabe & Ito, 2008) and the greys tsfc's figures use.
public enum Palette {
    public static let blue = "#0072B2"
    public static let orange = "#E69F00"
    public static let green = "#009E73"
    public static let vermillion = "#D55E00"
    public static let purple = "#CC79A7"
    public static let sky = "#56B4E9"
    public static let yellow = "#F0E442"
    /// Observed data.
    public static let ink = "#222222"
    public static let grey = "#777777"

    /// Colours for an open-ended set of lines, in order (yellow last: it is faint on white).
    public static let cycle = [blue, vermillion, green, orange, purple, sky, ink, yellow]

    /// The `k`th colour of `cycle`, repeating.
    public static func color(_ k: Int) -> String { cycle[((k % cycle.count) + cycle.count) % cycle.count] }
}
