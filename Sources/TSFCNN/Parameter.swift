// Parameter: a trainable tensor held by reference, so optimizers update it in place.
import TSFCTensor

/// A reference box around a trainable tensor: its value, its last gradient and a frozen flag.
public final class Parameter {
    /// Current value.
    public var value: Tensor
    /// Gradient from the last `valueAndGradient` call (nil before the first, or when frozen).
    public var gradient: Tensor?
    /// A frozen parameter receives no gradient and is skipped by optimizers.
    public var isFrozen: Bool

    /// Creates a parameter holding `value`.
    public init(_ value: Tensor, frozen: Bool = false) {
        self.value = value
        self.isFrozen = frozen
    }

    /// Shape of the value.
    public var shape: [Int] { value.shape }
}

/// Value of `f` and the gradient of its (summed) output with respect to each parameter; each
/// parameter's `gradient` is set too. Frozen parameters are not tracked and get zero gradients.
public func valueAndGradient(
    for parameters: [Parameter], _ f: () throws -> Tensor
) rethrows -> (value: Tensor, gradients: [Tensor]) {
    try withGradientTape { tape in
        let trainable = parameters.filter { !$0.isFrozen }
        for p in trainable { tape.watch(&p.value) }
        defer { for p in trainable { p.value = p.value.detached } }
        let value = try f()
        let grads = tape.gradients(of: value, withRespectTo: trainable.map { $0.value })
        var byParameter: [ObjectIdentifier: Tensor] = [:]
        for (p, g) in zip(trainable, grads) {
            p.gradient = g
            byParameter[ObjectIdentifier(p)] = g
        }
        let all = parameters.map { byParameter[ObjectIdentifier($0)] ?? Tensor.zeros($0.shape) }
        return (value.detached, all)
    }
}
