// Module: a container of parameters and child modules, discovered by reflection, with dotted
// parameter paths (`blocks.0.attention.query.weight`), freezing, train/eval mode and strict loading.
import TSFCTensor

/// Errors from loading parameters into a module.
public enum ModuleLoadingError: Error, CustomStringConvertible, Equatable {
    case missingKey(String)
    case unusedKey(String)
    case shapeMismatch(key: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missingKey(let k): return "missing weight '\(k)': the checkpoint has no tensor for this parameter"
        case .unusedKey(let k): return "unused weight '\(k)': the model has no parameter with this name"
        case .shapeMismatch(let k, let e, let f): return "weight '\(k)' has shape \(f), the model expects \(e)"
        }
    }
}

/// Base class of every layer and model. Subclasses declare `Parameter`, `Module`, `[Module]`,
/// `[String: Module]` or optional stored properties; `namedParameters()` finds them all.
open class Module {
    /// Whether the module is in training mode (dropout active). Set with `train()` / `eval()`.
    public private(set) var isTraining = true

    public init() {}

    /// Direct children with their names, in declaration order (arrays as `name.i`).
    open func namedChildren() -> [(String, Module)] {
        var out: [(String, Module)] = []
        visitStoredProperties { name, value in
            switch value {
            case let m as Module: out.append((name, m))
            case let ms as [Module]: for (i, m) in ms.enumerated() { out.append(("\(name).\(i)", m)) }
            case let dict as [String: Module]: for k in dict.keys.sorted() { out.append(("\(name).\(k)", dict[k]!)) }
            default: break
            }
        }
        return out
    }

    /// This module's own parameters (not those of children), by name.
    public func namedOwnParameters() -> [(String, Parameter)] {
        var out: [(String, Parameter)] = []
        visitStoredProperties { name, value in
            switch value {
            case let p as Parameter: out.append((name, p))
            case let ps as [Parameter]: for (i, p) in ps.enumerated() { out.append(("\(name).\(i)", p)) }
            default: break
            }
        }
        return out
    }

    private func visitStoredProperties(_ body: (String, Any) -> Void) {
        var mirror: Mirror? = Mirror(reflecting: self)
        var seen = Set<String>()
        while let m = mirror {
            for child in m.children {
                guard let label = child.label, !seen.contains(label) else { continue }
                seen.insert(label)
                var value = child.value
                // Unwrap optionals.
                let vm = Mirror(reflecting: value)
                if vm.displayStyle == .optional {
                    guard let wrapped = vm.children.first?.value else { continue }
                    value = wrapped
                }
                body(label.hasPrefix("_") ? String(label.dropFirst()) : label, value)
            }
            mirror = m.superclassMirror
        }
    }

    /// Every parameter in this module and below, with dotted paths. A parameter shared by two
    /// paths is listed once, under the first.
    public func namedParameters() -> [(String, Parameter)] {
        var out: [(String, Parameter)] = []
        var seen = Set<ObjectIdentifier>()
        func walk(_ m: Module, prefix: String) {
            for (n, p) in m.namedOwnParameters() where seen.insert(ObjectIdentifier(p)).inserted {
                out.append((prefix + n, p))
            }
            for (n, c) in m.namedChildren() { walk(c, prefix: prefix + n + ".") }
        }
        walk(self, prefix: "")
        return out
    }

    /// Every parameter, in path order.
    public func parameters() -> [Parameter] { namedParameters().map { $0.1 } }

    /// Parameters that are not frozen.
    public func trainableParameters() -> [Parameter] { parameters().filter { !$0.isFrozen } }

    /// Number of scalars in all parameters (or only the trainable ones).
    public func parameterCount(trainableOnly: Bool = false) -> Int {
        (trainableOnly ? trainableParameters() : parameters()).reduce(0) { $0 + $1.value.count }
    }

    /// This module and all modules below it.
    public func modules() -> [Module] {
        var out: [Module] = [self]
        for (_, c) in namedChildren() { out += c.modules() }
        return out
    }

    /// Freezes every parameter below this module.
    public func freeze() { for p in parameters() { p.isFrozen = true } }

    /// Unfreezes every parameter below this module.
    public func unfreeze() { for p in parameters() { p.isFrozen = false } }

    /// Switches this module and its children to training mode.
    public func train() { for m in modules() { m.isTraining = true } }

    /// Switches this module and its children to evaluation mode (dropout off).
    public func eval() { for m in modules() { m.isTraining = false } }

    /// The current values of all parameters by path (for checkpoints).
    public func parameterDictionary() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedParameters().map { ($0.0, $0.1.value.detached) })
    }

    /// Loads values by path. With `strict`, a missing, unused or mis-shaped key is an error and
    /// nothing is changed; otherwise only matching keys are loaded (shape mismatches still fail).
    public func load(_ tensors: [String: Tensor], strict: Bool = true) throws {
        let named = namedParameters()
        let names = Set(named.map { $0.0 })
        for (name, p) in named {
            guard let t = tensors[name] else {
                if strict { throw ModuleLoadingError.missingKey(name) }
                continue
            }
            if t.shape != p.shape { throw ModuleLoadingError.shapeMismatch(key: name, expected: p.shape, found: t.shape) }
        }
        if strict, let extra = tensors.keys.sorted().first(where: { !names.contains($0) }) {
            throw ModuleLoadingError.unusedKey(extra)
        }
        for (name, p) in named { if let t = tensors[name] { p.value = t.detached } }
    }

    /// Runs `f` with gradient recording and returns its value and the gradient of each trainable
    /// parameter by path (also stored in each `Parameter.gradient`).
    public func valueAndGradient(_ f: () throws -> Tensor) rethrows -> (value: Tensor, gradients: [String: Tensor]) {
        let named = namedParameters().filter { !$0.1.isFrozen }
        let (v, g) = try TSFCNN.valueAndGradient(for: named.map { $0.1 }, f)
        return (v, Dictionary(uniqueKeysWithValues: zip(named.map { $0.0 }, g)))
    }
}

/// A module that maps one tensor to one tensor.
public protocol UnaryLayer: Module {
    func callAsFunction(_ x: Tensor) -> Tensor
}
