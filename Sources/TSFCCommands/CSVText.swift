// What every command that writes CSV or keyed JSON shares: RFC 4180 quoting of a field, and a
// coding key named at run time (model and interval columns are not known at compile time).

enum CSVText {
    /// `field`, quoted (inner quotes doubled) when it holds a comma, a quote or a line break.
    static func field(_ field: String) -> String {
        field.contains(",") || field.contains("\"") || field.contains("\n")
            ? "\"\(field.replacingOccurrences(of: "\"", with: "\"\""))\"" : field
    }
}

/// A JSON key named at run time.
struct NamedKey: CodingKey {
    let stringValue: String
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}
