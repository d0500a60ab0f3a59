// Checking SVG files in tests: parse them as XML (every element with its attributes), count a
// path's vertices, and render them to PNG through a real renderer, rsvg-convert (Debian's
// librsvg2-bin, which `make deps` installs).
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a parsed SVG file.
public struct SVGElement: Sendable, Equatable {
    public let name: String
    public let attributes: [String: String]
    /// The text directly inside it (for `text` and `title`).
    public var text: String

    /// The element's classes (its `class` attribute split at spaces).
    public var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
}

/// An SVG file read back as XML.
public struct SVGInspection {
    /// Every element in document order.
    public let elements: [SVGElement]

    /// Parses `data` with Foundation's XMLParser; throws with the parser's line and column when it
    /// is not well-formed XML.
    public init(_ data: Data) throws {
        let delegate = Collector()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw SVGInspectionError(description: "not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): "
                                     + "\(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        elements = delegate.elements
    }

    public init(contentsOf url: URL) throws { try self.init(try Data(contentsOf: url)) }

    /// The `path` elements with class `role`.
    public func paths(_ role: String) -> [SVGElement] { elements.filter { $0.name == "path" && $0.classes.contains(role) } }

    /// The texts of the elements with class `role`.
    public func texts(_ role: String) -> [String] { elements.filter { $0.classes.contains(role) }.map(\.text) }

    /// The vertices of path data written as `M x y L x y … [Z]` (how TSFCPlot writes them).
    public static func vertexCount(_ d: String) -> Int {
        d.split(separator: " ").filter { $0.hasPrefix("M") || $0.hasPrefix("L") }.count
    }

    /// The subpaths (pen lifts + 1) of such path data.
    public static func subpathCount(_ d: String) -> Int {
        d.split(separator: " ").filter { $0.hasPrefix("M") }.count
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [SVGElement] = []
        var open: [Int] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            open.append(elements.count)
            elements.append(SVGElement(name: name, attributes: attributes, text: ""))
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            _ = open.popLast()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let k = open.last { elements[k].text += string }
        }
    }
}

public struct SVGInspectionError: Error, CustomStringConvertible {
    public let description: String
}

/// Rendering SVG through rsvg-convert.
public enum SVGRenderer {
    /// rsvg-convert on the PATH (or in /usr/bin), or an error that says how to install it.
    public static func rsvgConvert() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            let url = URL(fileURLWithPath: dir).appendingPathComponent("rsvg-convert")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw SVGInspectionError(description: "rsvg-convert is not installed: the plot tests render every figure through it; "
                                 + "install Debian's librsvg2-bin (`make deps` or `apt-get install librsvg2-bin`)")
    }

    /// The PNG that rsvg-convert makes of the SVG file `svg` (written next to it as `.png`);
    /// throws with rsvg-convert's message when it fails.
    @discardableResult
    public static func renderPNG(_ svg: URL) throws -> Data {
        let png = svg.deletingPathExtension().appendingPathExtension("png")
        let result = try ProcessRunner.run(rsvgConvert(), ["--format", "png", "--output", png.path, svg.path])
        guard result.status == 0, !result.terminatedBySignal else {
            throw SVGInspectionError(description: "rsvg-convert \(svg.lastPathComponent) failed (status \(result.status)): \(result.stderr)")
        }
        return try Data(contentsOf: png)
    }

    /// The PNG file signature.
    public static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The width and height in a PNG's IHDR chunk.
    public static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data)
        guard bytes.count >= 24, Array(bytes[0..<8]) == pngSignature else { return nil }
        func be(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }
}
