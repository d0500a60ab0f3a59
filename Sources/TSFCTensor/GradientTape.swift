// GradientTape: reverse-mode automatic differentiation by recording each op's backward rule.
//
// A tape is active for the duration of `withGradientTape`. `watch` marks a tensor as a leaf; any op
// whose inputs include a tracked tensor records (input indices, backward closure) and marks its
// output as tracked. `gradients(of:withRespectTo:)` walks the records in reverse, accumulating
// gradients. With no active tape, ops record nothing and cost nothing extra.

/// Records differentiable operations so gradients can be computed in reverse.
public final class GradientTape {
    struct Record {
        var inputs: [Int]
        var backward: ((Tensor) -> [Tensor?])?
        var shape: [Int]
    }

    nonisolated(unsafe) static var active: GradientTape?
    nonisolated(unsafe) static var nextGeneration = 1

    let generation: Int
    var records: [Record] = []

    init() {
        generation = GradientTape.nextGeneration
        GradientTape.nextGeneration += 1
    }

    /// Starts tracking `tensor` as a leaf (a variable to differentiate with respect to).
    public func watch(_ tensor: inout Tensor) {
        tensor.tapeIndex = records.count
        tensor.tapeGeneration = generation
        records.append(Record(inputs: [], backward: nil, shape: tensor.shape))
    }

    /// Returns a tracked copy of `tensor`.
    public func watching(_ tensor: Tensor) -> Tensor {
        var t = tensor
        watch(&t)
        return t
    }

    func index(of tensor: Tensor) -> Int {
        tensor.tapeGeneration == generation ? tensor.tapeIndex : -1
    }

    /// Gradients of the sum of `output`'s elements (or of `output` weighted by `seed`) with
    /// respect to each tensor in `sources`; a source the output does not depend on gets zeros.
    public func gradients(of output: Tensor, seed: Tensor? = nil, withRespectTo sources: [Tensor]) -> [Tensor] {
        let seedTensor = seed ?? Tensor.ones(output.shape)
        precondition(seedTensor.shape == output.shape, "gradients: seed shape \(seedTensor.shape) != output shape \(output.shape)")
        let outIndex = index(of: output)
        guard outIndex >= 0 else { return sources.map { Tensor.zeros($0.shape) } }
        // Only records reachable backward from the output need processing.
        let wanted = Set(sources.map { index(of: $0) })
        let lowest = wanted.filter { $0 >= 0 }.min() ?? outIndex
        var grads = [Tensor?](repeating: nil, count: outIndex + 1)
        grads[outIndex] = seedTensor
        let saved = GradientTape.active
        GradientTape.active = nil  // backward rules are not themselves recorded
        defer { GradientTape.active = saved }
        var i = outIndex
        while i >= lowest {
            if let g = grads[i], let backward = records[i].backward {
                if !wanted.contains(i) { grads[i] = nil }
                let inputGrads = backward(g)
                for (k, input) in records[i].inputs.enumerated() where input >= 0 {
                    guard let ig = inputGrads[k] else { continue }
                    if grads[input] == nil {
                        grads[input] = ig
                    } else {
                        grads[input]!.addInPlace(ig)
                    }
                }
            }
            i -= 1
        }
        return sources.map { src in
            let idx = index(of: src)
            if idx >= 0, idx < grads.count, let g = grads[idx] { return g.detached }
            return Tensor.zeros(src.shape)
        }
    }
}

/// Runs `body` with a fresh gradient tape active; ops inside record their backward rules.
public func withGradientTape<R>(_ body: (GradientTape) throws -> R) rethrows -> R {
    let tape = GradientTape()
    let saved = GradientTape.active
    GradientTape.active = tape
    defer { GradientTape.active = saved }
    return try body(tape)
}

/// Runs `body` with recording switched off (inference), even inside a tape.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    let saved = GradientTape.active
    GradientTape.active = nil
    defer { GradientTape.active = saved }
    return try body()
}

/// Value of `f` at `inputs` and the gradient of the sum of its output with respect to each input.
public func valueAndGradient(
    at inputs: [Tensor], _ f: ([Tensor]) throws -> Tensor
) rethrows -> (value: Tensor, gradients: [Tensor]) {
    try withGradientTape { tape in
        let watched = inputs.map { tape.watching($0) }
        let value = try f(watched)
        let grads = tape.gradients(of: value, withRespectTo: watched)
        return (value.detached, grads)
    }
}

/// Whether any op is being recorded right now.
public var isRecordingGradients: Bool { GradientTape.active != nil }

extension Tensor {
    /// Whether this tensor is tracked by the active tape.
    public var isTracked: Bool {
        guard let tape = GradientTape.active else { return false }
        return tape.index(of: self) >= 0
    }

    /// Records `output` as computed from `inputs` with the given backward rule, if any input is
    /// tracked by the active tape. The rule maps the output gradient to one gradient per input
    /// (nil where an input needs none), each with that input's shape.
    static func record(
        _ output: inout Tensor, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]
    ) {
        guard let tape = GradientTape.active else { return }
        let indices = inputs.map { tape.index(of: $0) }
        guard indices.contains(where: { $0 >= 0 }) else { return }
        output.tapeIndex = tape.records.count
        output.tapeGeneration = tape.generation
        tape.records.append(GradientTape.Record(inputs: indices, backward: backward, shape: output.shape))
    }
}
