// SVGDocument: a small builder for self-contained SVG text — elements with escaped attributes
// and text, compact coordinates, no scripts and no external references.

/// An SVG document built element by element; `text` is the finished file.
public struct SVGDocument: Sendable {
    public let width: Double
    public let height: Double
    private var body: [String] = []
    private var depth = 1

    /// A document of `width` × `height` user units (= CSS pixels).
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// An element with no children: `<name a="v" …/>`.
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        line("<\(name)\(SVGDocument.attributes(attributes))/>")
    }

    /// An element holding escaped text: `<name …>text</name>`.
    public mutating func text(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], content: String) {
        line("<\(name)\(SVGDocument.attributes(attributes))>\(SVGDocument.escape(content))</\(name)>")
    }

    /// Opens `<name …>`; close it with `close(name)`.
    public mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        line("<\(name)\(SVGDocument.attributes(attributes))>")
        depth += 1
    }

    public mutating func close(_ name: String) {
        depth = max(1, depth - 1)
        line("</\(name)>")
    }

    private mutating func line(_ s: String) {
        body.append(String(repeating: " ", count: depth) + s)
    }

    /// The whole file: XML declaration, the root `svg` with its size and font stack, a white
    /// background, then the elements in the order they were added.
    public func text(title: String, fontFamily: String, fontSize: Double) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(SVGDocument.number(width))\" height=\"\(SVGDocument.number(height))\" "
        out += "viewBox=\"0 0 \(SVGDocument.number(width)) \(SVGDocument.number(height))\" font-family=\"\(SVGDocument.escape(fontFamily))\" "
        out += "font-size=\"\(SVGDocument.number(fontSize))\">\n"
        out += " <title>\(SVGDocument.escape(title))</title>\n"
        out += " <rect class=\"background\" x=\"0\" y=\"0\" width=\"\(SVGDocument.number(width))\" height=\"\(SVGDocument.number(height))\" fill=\"#ffffff\"/>\n"
        out += body.joined(separator: "\n")
        out += "\n</svg>\n"
        return out
    }

    static func attributes(_ pairs: KeyValuePairs<String, String>) -> String {
        var s = ""
        for (k, v) in pairs { s += " \(k)=\"\(escape(v))\"" }
        return s
    }

    /// `s` safe inside XML text and double- or single-quoted attributes: `& < > " '` become
    /// entities, and characters XML 1.0 forbids (C0 controls other than tab, newline and carriage
    /// return, lone surrogates cannot occur in a Swift String, U+FFFE/U+FFFF) become U+FFFD.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A coordinate to one decimal place, without a trailing `.0` (`12`, `-3.5`); non-finite
    /// values as 0 (never reached: callers drop them first).
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let tenths = Int((x * 10).rounded())
        let whole = tenths / 10, fraction = abs(tenths % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// Path data through `points` (`M x y L x y …`); a nil point lifts the pen, so the next point
    /// starts a new subpath. `closed` ends with `Z` (for filled areas).
    public static func pathData(_ points: [(Double, Double)?], closed: Bool = false) -> String {
        var d = ""
        d.reserveCapacity(points.count * 12)
        var penDown = false
        for p in points {
            guard let (x, y) = p else { penDown = false; continue }
            d += (d.isEmpty ? "" : " ") + (penDown ? "L" : "M") + number(x) + " " + number(y)
            penDown = true
        }
        if closed && !d.isEmpty { d += " Z" }
        return d
    }
}
