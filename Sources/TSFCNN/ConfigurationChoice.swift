// ConfigurationChoice: a closed set of values a configuration key can take (an enum whose raw
// values are the strings written in YAML, JSON and on the command line). A value outside the set
// fails to decode with a message that lists the allowed values.

/// A closed set of configuration values, written by their raw values (`model.adapter: time-llm`).
///
/// Conforming enums decode through `init(from:)` below, which throws a `DecodingError.dataCorrupted`
/// whose `underlyingError` is an `UnknownChoiceError` naming the value and the allowed ones; the
/// configuration loader turns it into a located message (file:line:column). Printing a value
/// prints its raw value.
public protocol ConfigurationChoice: RawRepresentable, CaseIterable, Codable, Sendable, CustomStringConvertible
where RawValue == String {
    /// What a key holding `value`, which is not one of the cases, is told: by default
    /// `is 'value'; use one of a, b, c`. It follows the key's name in messages.
    static func unknownValueMessage(_ value: String) -> String
}

/// A configuration value that is not one of its `ConfigurationChoice`'s cases.
public struct UnknownChoiceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The value found.
    public let value: String
    /// The raw values allowed, in declaration order.
    public let allowed: [String]
    /// The message for the key holding the value (see `ConfigurationChoice.unknownValueMessage`).
    public let message: String

    public var description: String { message }
}

extension ConfigurationChoice {
    /// The raw values, in declaration order.
    public static var allowedValues: [String] { allCases.map(\.rawValue) }

    public static func unknownValueMessage(_ value: String) -> String {
        "is '\(value)'; use one of \(allowedValues.joined(separator: ", "))"
    }

    /// The raw value (what YAML and the command line use).
    public var description: String { rawValue }

    /// Decodes a raw value; any other string throws `DecodingError.dataCorrupted` with an
    /// `UnknownChoiceError` as its underlying error.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            let error = UnknownChoiceError(value: text, allowed: Self.allowedValues, message: Self.unknownValueMessage(text))
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error))
        }
        self = value
    }
}
