// `tsfc inspect-model FILE`: the learned lag coefficients of an AR-Net or Classic-AR bundle — per
// output step (or hidden unit / embedding dimension), the lags with the largest |weight|.
import ArgumentParser
import Foundation
import TSFC

struct InspectModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect-model",
        abstract: "Print the learned lag coefficients of an arnet or classic-ar model bundle.")

    @Argument(help: "A model bundle written by tsfc train (model.tsfc).")
    var file: String

    @Option(help: "Lags listed per row, largest |weight| first.")
    var top: Int = 5

    @Option(help: "Rows (output steps) listed; 0 = all.")
    var rows: Int = 0

    /// `--format`: a text table or JSON.
    enum Format: String, CaseIterable, ExpressibleByArgument { case text, json }

    @Option(help: "Output format: text or json (json lists every coefficient).")
    var format: Format = .text

    struct Report: Encodable {
        let model: String
        let adapter: ModelKind
        let backbone: BackboneKind
        let lags: Int
        let table: LagWeightTable
    }

    func run() throws {
        guard top > 0 else { throw ValidationError("--top must be ≥ 1") }
        guard rows >= 0 else { throw ValidationError("--rows must be ≥ 0 (0: all)") }
        let (model, metadata) = try ModelBundle.loadForecaster(contentsOf: URL(fileURLWithPath: file))
        let adapter = metadata.configuration.model.adapter
        guard let reporting = model as? LagWeightReporting else {
            throw ValidationError("\(file) is a '\(adapter)' model, which has no lag coefficients; inspect-model reads arnet and classic-ar bundles")
        }
        let table = reporting.lagWeightTable
        let shown = rows > 0 ? Swift.min(rows, table.rows.count) : table.rows.count
        if format == .json {
            let limited = LagWeightTable(rowKind: table.rowKind, rows: Array(table.rows.prefix(shown)),
                                         intercepts: table.intercepts.map { Array($0.prefix(shown)) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let report = Report(model: file, adapter: adapter, backbone: metadata.configuration.model.backbone.kind,
                                lags: table.lags, table: limited)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("\(file): \(adapter), backbone \(metadata.configuration.model.backbone.kind), \(table.lags) lags, \(table.rows.count) \(table.rowKind) rows (lag 1 = newest point)")
        let k = Swift.min(top, table.lags)
        let header = table.intercepts == nil ? "" : "  intercept"
        let kind = String(repeating: " ", count: Swift.max(0, 8 - table.rowKind.count)) + table.rowKind
        print(kind + header + "  " + (1...k).map { "   lag:weight #\($0)" }.joined())
        for r in 0..<shown {
            var line = String(format: "%8d", r + 1)
            if let b = table.intercepts { line += String(format: "  %9.4f", b[r]) }
            line += "  " + table.largest(row: r, count: k).map { String(format: " %5d:%+9.4f", $0.lag, $0.weight) }.joined(separator: "  ")
            print(line)
        }
    }
}
