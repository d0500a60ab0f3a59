// Reading anomaly label files for `tsfc detect --labels`: one 0/1 per line (SMD / ASD
// `test_label` files), or a one-column CSV with a header line.
import ArgumentParser
import Foundation

enum DetectLabels {
    /// The labels of `path`, which must hold exactly `rows` values, each 0 or 1.
    static func read(_ path: String, rows: Int, data: String) throws -> [Int] {
        let text: String
        do {
            text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        } catch {
            throw ValidationError("--labels \(path): cannot read the file (\(error.localizedDescription))")
        }
        var labels: [Int] = []
        labels.reserveCapacity(rows)
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty { continue }
            // The last field of a CSV line (e.g. `timestamp,label`); a first line that is not a number is a header.
            let field = line.split(separator: ",", omittingEmptySubsequences: false).last.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? line
            guard let value = Double(field) else {
                if i == 0 { continue }
                throw ValidationError("\(path):\(i + 1): '\(field)' is not a label; labels must be 0 or 1")
            }
            guard value == 0 || value == 1 else {
                throw ValidationError("\(path):\(i + 1): label \(field) is not 0 or 1")
            }
            labels.append(Int(value))
        }
        guard labels.count == rows else {
            throw ValidationError("--labels \(path) has \(labels.count) labels but \(data) has \(rows) rows; give one 0/1 label per input row")
        }
        return labels
    }
}
