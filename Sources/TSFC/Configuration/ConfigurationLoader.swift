// Loading a RunConfiguration from YAML: `--set` overrides, unknown keys and wrong types reported
// with the file, line and column, the file merged over the defaults (ConfigurationDefaults), and
// range checks on the values.
import Foundation
import TSFCNN
import Yams

/// A configuration problem, located in its file where possible.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}

/// Reads and validates run configurations.
public enum ConfigurationLoader {
    /// Parses `yaml` (named `file` in messages), applies `overrides` (`dotted.key=value`, the value
    /// parsed as YAML), rejects unknown keys, fills every missing key with its default and checks
    /// every value.
    public static func load(yaml: String, file: String, overrides: [String] = []) throws -> RunConfiguration {
        var node: Node
        do {
            node = try Yams.compose(yaml: yaml) ?? Node.mapping(Node.Mapping([]))
        } catch let error as YamlError {
            throw ConfigurationError(file: file, line: nil, column: nil, message: "not valid YAML: \(error)")
        }
        guard node.mapping != nil else {
            throw ConfigurationError(file: file, line: node.mark?.line, column: node.mark?.column,
                                     message: "the configuration must be a mapping of keys to values")
        }
        for o in overrides { node = try apply(override: o, to: node, file: file) }
        let defaults = try ConfigurationDefaults.runDefaults.get()
        try checkKeys(node, schema: defaults, path: [], file: file)
        let config: RunConfiguration
        do {
            config = try YAMLDecoder().decode(RunConfiguration.self, from: ConfigurationDefaults.merge(node, over: defaults))
        } catch let error as DecodingError {
            throw describe(error, root: node, file: file)
        }
        try validate(config, file: file)
        return config
    }

    /// Reads a configuration file.
    public static func load(contentsOf url: URL, overrides: [String] = []) throws -> RunConfiguration {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: url.path, line: nil, column: nil,
                                     message: "cannot read the file (\(error.localizedDescription))")
        }
        return try load(yaml: text, file: url.path, overrides: overrides)
    }

    /// The resolved configuration as YAML (every key, defaults filled in).
    public static func yaml(of config: RunConfiguration) throws -> String {
        try YAMLEncoder().encode(config)
    }

    // MARK: - Known keys

    /// Rejects a key of `node` that `schema` (the encoded defaults: every field is non-optional, so
    /// every key appears) does not have, naming the known keys.
    static func checkKeys(_ node: Node, schema: Node, path: [String], file: String) throws {
        guard let mapping = node.mapping, let known = schema.mapping else { return }
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            guard let sub = known[key] else {
                let section = path.isEmpty ? "at the top level" : "in '\(path.joined(separator: "."))'"
                let names = known.keys.compactMap(\.string).sorted().joined(separator: ", ")
                throw ConfigurationError(file: file, line: keyNode.mark?.line, column: keyNode.mark?.column,
                                         message: "unknown key '\(key)' \(section); known keys: \(names)")
            }
            if sub.mapping != nil {
                if valueNode.mapping == nil, valueNode.null == nil {
                    throw ConfigurationError(file: file, line: valueNode.mark?.line, column: valueNode.mark?.column,
                                             message: "'\((path + [key]).joined(separator: "."))' must be a mapping")
                }
                try checkKeys(valueNode, schema: sub, path: path + [key], file: file)
            }
        }
    }

    // MARK: - Overrides

    static func apply(override: String, to root: Node, file: String) throws -> Node {
        guard let eq = override.firstIndex(of: "=") else {
            throw ConfigurationError(file: "--set", line: nil, column: nil,
                                     message: "'\(override)' is not of the form key.path=value")
        }
        let path = override[..<eq].split(separator: ".").map(String.init)
        let valueText = String(override[override.index(after: eq)...])
        guard !path.isEmpty else {
            throw ConfigurationError(file: "--set", line: nil, column: nil, message: "'\(override)' has an empty key")
        }
        let value = (try? Yams.compose(yaml: valueText)) ?? nil
        return try set(path[...], to: value.map(unlocated) ?? Node(valueText), in: root, override: override)
    }

    /// `node` without marks: an override's value has no line or column in the file.
    static func unlocated(_ node: Node) -> Node {
        switch node {
        case .scalar(var scalar):
            scalar.mark = nil
            return .scalar(scalar)
        case .mapping(var mapping):
            mapping = Node.Mapping(mapping.map { (unlocated($0.key), unlocated($0.value)) }, mapping.tag, mapping.style)
            return .mapping(mapping)
        case .sequence(let sequence):
            return .sequence(Node.Sequence(sequence.map(unlocated), sequence.tag, sequence.style))
        case .alias(var alias):
            alias.mark = nil
            return .alias(alias)
        }
    }

    static func set(_ path: ArraySlice<String>, to value: Node, in node: Node, override: String) throws -> Node {
        guard let key = path.first else { return value }
        var mapping = node.mapping ?? Node.Mapping([])
        let keyNode = Node(key)
        let child = mapping[keyNode] ?? Node.mapping(Node.Mapping([]))
        mapping[keyNode] = try set(path.dropFirst(), to: value, in: child, override: override)
        return .mapping(mapping)
    }

    // MARK: - Errors

    static func describe(_ error: DecodingError, root: Node, file: String) -> ConfigurationError {
        func locate(_ path: [CodingKey]) -> Node? {
            var node: Node? = root
            for key in path {
                if let i = key.intValue { node = node?.sequence.flatMap { i < $0.count ? $0[i] : nil } }
                else { node = node?.mapping?[Node(key.stringValue)] }
            }
            return node
        }
        switch error {
        case .typeMismatch(let type, let ctx), .valueNotFound(let type, let ctx):
            let n = locate(ctx.codingPath)
            let key = ctx.codingPath.map { $0.stringValue }.joined(separator: ".")
            return ConfigurationError(file: file, line: n?.mark?.line, column: n?.mark?.column,
                                      message: "'\(key)' should be \(typeName(type)), found '\(n?.string ?? "\(n.map { "\($0)" } ?? "nothing")")'")
        case .dataCorrupted(let ctx):
            let n = locate(ctx.codingPath)
            let key = ctx.codingPath.map { $0.stringValue }.joined(separator: ".")
            if let choice = ctx.underlyingError as? UnknownChoiceError {
                return ConfigurationError(file: file, line: n?.mark?.line, column: n?.mark?.column,
                                          message: "'\(key)' \(choice.message)")
            }
            return ConfigurationError(file: file, line: n?.mark?.line, column: n?.mark?.column,
                                      message: "'\(key)' has an invalid value '\(n?.string ?? "?")': \(ctx.debugDescription)")
        case .keyNotFound(let key, let ctx):
            return ConfigurationError(file: file, line: nil, column: nil,
                                      message: "missing key '\((ctx.codingPath + [key]).map { $0.stringValue }.joined(separator: "."))'")
        @unknown default:
            return ConfigurationError(file: file, line: nil, column: nil, message: "\(error)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type: return "an integer"
        case is Float.Type, is Double.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default: return "\(type)"
        }
    }

    // MARK: - Value checks

    static func validate(_ c: RunConfiguration, file: String) throws {
        func fail(_ key: String, _ message: String) -> ConfigurationError {
            ConfigurationError(file: file, line: nil, column: nil, message: "'\(key)' \(message)")
        }
        if c.version > RunConfiguration.currentVersion {
            throw fail("version", "is \(c.version), but this tsfc reads versions up to \(RunConfiguration.currentVersion); upgrade tsfc")
        }
        if c.version < 1 { throw fail("version", "must be ≥ 1") }
        let m = c.model, t = c.training, b = m.backbone
        if m.contextLengthPoints < 0 { throw fail("model.context_length", "must be ≥ 0 (0: segment_length × context_segments)") }
        if m.horizon < 0 { throw fail("model.horizon", "must be ≥ 0 (0: segment_length)") }
        if m.adapter == .autotimes {
            if m.contextLengthPoints != 0 && m.contextLengthPoints != m.segmentLength * m.contextSegments {
                throw fail("model.context_length", "is \(m.contextLengthPoints), but AutoTimes reads segment_length × context_segments = \(m.segmentLength * m.contextSegments) points; set context_segments instead")
            }
            if m.horizon != 0 && m.horizon != m.segmentLength {
                throw fail("model.horizon", "is \(m.horizon), but AutoTimes predicts one segment (\(m.segmentLength) points) per step and rolls out any horizon; leave it out")
            }
        } else if m.timestamps != .none {
            throw fail("model.timestamps", "is \(m.timestamps), but only the autotimes adapter reads timestamps; use none")
        }
        if let (key, message) = ModelRegistry.family(m.adapter)?.problems(m).first { throw fail(key, message) }
        if m.segmentLength < 1 { throw fail("model.segment_length", "must be ≥ 1") }
        if m.contextSegments < 1 { throw fail("model.context_segments", "must be ≥ 1") }
        if m.embeddingHidden < 0 { throw fail("model.embedding_hidden", "must be ≥ 0") }
        if !(0..<1).contains(m.embeddingDropout) { throw fail("model.embedding_dropout", "must be in [0, 1)") }
        if m.timestamps == .text {
            if b.kind != .pretrained {
                throw fail("model.timestamps", "is text, which needs model.backbone.kind: pretrained (its tokenizer and decoder embed the timestamps); use calendar otherwise")
            }
            if !b.path.isEmpty && !TextTimestamps.hasTokenizer(directory: b.path) {
                throw fail("model.timestamps", "is text but \(b.path) has no tokenizer.json (or vocab.json and merges.txt)")
            }
        }
        if b.kind == .pretrained && b.path.isEmpty { throw fail("model.backbone.path", "must name a directory with config.json and weights") }
        if b.kind == .scratch {
            if b.layers < 1 || b.width < 1 || b.heads < 1 { throw fail("model.backbone", "needs layers, width and heads ≥ 1") }
            if b.width % b.heads != 0 { throw fail("model.backbone.width", "(\(b.width)) must be divisible by heads (\(b.heads))") }
        }
        if !(0..<1).contains(b.dropout) { throw fail("model.backbone.dropout", "must be in [0, 1)") }
        if t.epochs < 1 { throw fail("training.epochs", "must be ≥ 1") }
        if t.batchSize < 1 { throw fail("training.batch_size", "must be ≥ 1") }
        if !(t.learningRate > 0) { throw fail("training.learning_rate", "must be > 0") }
        if t.weightDecay < 0 { throw fail("training.weight_decay", "must be ≥ 0") }
        if t.warmupSteps < 0 || t.patience < 1 { throw fail("training", "warmup_steps must be ≥ 0 and patience ≥ 1") }
        if c.data.split == .ratios {
            let r = c.data.ratios
            if r.count != 3 || r.contains(where: { $0 <= 0 }) || abs(r.reduce(0, +) - 1) > 1e-6 {
                throw fail("data.ratios", "must be three positive fractions summing to 1, e.g. [0.7, 0.1, 0.2]")
            }
        }
        if c.evaluation.horizons.isEmpty || c.evaluation.horizons.contains(where: { $0 < 1 }) {
            throw fail("evaluation.horizons", "must be a non-empty list of positive horizons")
        }
        try c.detection.validate { key, message in fail(key, message) }
        if let problem = c.corpus.problems().first { throw fail("corpus." + problem.key, problem.message) }
    }
}
