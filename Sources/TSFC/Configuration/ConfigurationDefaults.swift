// Every configuration key is optional, and each default is written once — as the property's
// initial value. What a file (or a bundle's JSON) holds is merged over the encoded defaults
// (`RunConfiguration()`), and the synthesised `Codable` decodes the merged tree.
import Foundation
import Yams

/// Merging configuration trees over their encoded defaults.
enum ConfigurationDefaults {
    /// The tree of `RunConfiguration()`, encoded once. Never mutated (merging copies it), so it is
    /// safe to share although Yams' `Node` is not marked `Sendable`.
    nonisolated(unsafe) static let runDefaults = Result { try tree(of: RunConfiguration()) }

    /// The YAML tree of `value`, every key present (configuration fields are non-optional).
    static func tree<T: Encodable>(of value: T) throws -> Node {
        try Yams.compose(yaml: try YAMLEncoder().encode(value)) ?? Node.mapping(Node.Mapping([]))
    }

    /// `user` merged over `defaults`: mappings merge key by key, recursively; a null value keeps
    /// the default; any other value replaces it (sequences as a whole).
    static func merge(_ user: Node, over defaults: Node) -> Node {
        if user.null != nil { return defaults }
        guard let userMapping = user.mapping, var merged = defaults.mapping else { return user }
        for (key, value) in userMapping {
            merged[key] = merged[key].map { merge(value, over: $0) } ?? value
        }
        return .mapping(merged)
    }

    /// The JSON counterpart of `merge(_:over:)`, on `JSONSerialization` objects.
    static func merge(json user: Any, over defaults: Any) -> Any {
        if user is NSNull { return defaults }
        guard let userObject = user as? [String: Any], var merged = defaults as? [String: Any] else { return user }
        for (key, value) in userObject {
            merged[key] = merged[key].map { merge(json: value, over: $0) } ?? value
        }
        return merged
    }

    /// `json` with the object at `path` (keys from the top) merged over `defaults`' encoding.
    /// Unchanged when there is no object at `path`; numbers keep their values exactly.
    static func filling<T: Encodable>(_ json: Data, at path: [String], with defaults: T) throws -> Data {
        let root = try JSONSerialization.jsonObject(with: json)
        let encodedDefaults = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(defaults))
        func fill(_ node: Any, _ rest: ArraySlice<String>) -> Any? {
            guard var object = node as? [String: Any] else { return nil }
            guard let key = rest.first else { return merge(json: object, over: encodedDefaults) }
            guard let child = object[key], let filled = fill(child, rest.dropFirst()) else { return nil }
            object[key] = filled
            return object
        }
        guard let filled = fill(root, path[...]) else { return json }
        return try JSONSerialization.data(withJSONObject: filled)
    }
}
