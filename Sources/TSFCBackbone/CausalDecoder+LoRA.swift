// Low-rank adapters (Hu et al., 2021, "LoRA") on a decoder's attention and MLP projections.
import TSFCNN
import TSFCTensor

/// Which projections of each block get a LoRA adapter.
public struct LoRATargets: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The attention's query projection.
    public static let query = LoRATargets(rawValue: 1 << 0)
    /// The attention's key projection.
    public static let key = LoRATargets(rawValue: 1 << 1)
    /// The attention's value projection.
    public static let value = LoRATargets(rawValue: 1 << 2)
    /// The attention's output projection.
    public static let output = LoRATargets(rawValue: 1 << 3)
    /// The gate projection of a gated MLP (ignored for plain MLPs).
    public static let gate = LoRATargets(rawValue: 1 << 4)
    /// The MLP's up projection.
    public static let up = LoRATargets(rawValue: 1 << 5)
    /// The MLP's down projection.
    public static let down = LoRATargets(rawValue: 1 << 6)

    /// query, key, value and output.
    public static let attention: LoRATargets = [.query, .key, .value, .output]
    /// gate, up and down.
    public static let mlp: LoRATargets = [.gate, .up, .down]
    /// Every projection.
    public static let all: LoRATargets = [.attention, .mlp]
}

extension CausalDecoder {
    /// Wraps the chosen projections of every block in `LoRALinear` (rank `rank`, scale
    /// `alpha / rank`, B initialised to zero so the output is unchanged). The wrapped base layers
    /// are frozen; the adapters are trainable; other parameters keep their frozen state.
    /// A projection that already carries an adapter is left as it is.
    /// Parameter paths become e.g. `blocks.0.attention.query.base.weight` and `….query.loraA`.
    public func applyLoRA(rank: Int, alpha: Float, targets: LoRATargets = .attention, using rng: inout SeededGenerator) {
        precondition(rank > 0, "applyLoRA: rank must be positive, got \(rank)")
        func wrap(_ layer: any UnaryLayer) -> any UnaryLayer {
            guard let linear = layer as? Linear else { return layer }
            return LoRALinear(base: linear, rank: rank, alpha: alpha, using: &rng)
        }
        for block in blocks {
            let a = block.attention, m = block.mlp
            if targets.contains(.query) { a.query = wrap(a.query) }
            if targets.contains(.key) { a.key = wrap(a.key) }
            if targets.contains(.value) { a.value = wrap(a.value) }
            if targets.contains(.output) { a.output = wrap(a.output) }
            if targets.contains(.gate), let gate = m.gate { m.gate = wrap(gate) }
            if targets.contains(.up) { m.up = wrap(m.up) }
            if targets.contains(.down) { m.down = wrap(m.down) }
        }
    }
}
