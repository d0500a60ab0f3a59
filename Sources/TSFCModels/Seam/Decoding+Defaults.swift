// Decoding helpers for configuration sections: every key is optional and falls back to a default.

extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the key is absent or null.
    public func value<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}
