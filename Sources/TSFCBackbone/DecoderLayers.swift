// The pieces of a decoder block: multi-head causal attention with optional rotary positions,
// grouped key/value heads and a KV cache; the plain or gated MLP; the pre-norm residual block.
// GPT-2 (Radford et al., 2019) and LLaMA (Touvron et al., 2023) differ only in which pieces
// they pick (see DecoderConfiguration).
import TSFCNN
import TSFCTensor

/// How a fresh decoder's weights are filled: from-scratch initialisation, or placeholders that
/// a checkpoint overwrites.
struct WeightFactory {
    enum Kind { case projection, residualProjection, embedding }
    var make: (_ shape: [Int], _ kind: Kind) -> Tensor

    func linear(_ input: Int, _ output: Int, bias: Bool, kind: Kind = .projection) -> Linear {
        Linear(weight: make([output, input], kind), bias: bias ? Tensor.zeros([output]) : nil)
    }
}

/// Builds the configured normalisation layer.
func makeNorm(_ config: DecoderConfiguration) -> any UnaryLayer {
    switch config.normalization {
    case .layerNorm: return LayerNorm(config.width, epsilon: config.normEps)
    case .rmsNorm: return RMSNorm(config.width, epsilon: config.normEps)
    }
}

/// Causal self-attention of one decoder block.
///
/// Projections are `UnaryLayer`s so LoRA can wrap them (`CausalDecoder.applyLoRA`).
public final class DecoderAttention: Module {
    /// `[D]` → `[Hq·Dh]`.
    public internal(set) var query: any UnaryLayer
    /// `[D]` → `[Hkv·Dh]`.
    public internal(set) var key: any UnaryLayer
    /// `[D]` → `[Hkv·Dh]`.
    public internal(set) var value: any UnaryLayer
    /// `[Hq·Dh]` → `[D]`.
    public internal(set) var output: any UnaryLayer
    public let heads: Int
    public let kvHeads: Int
    public let headDim: Int
    /// Rotary positions on queries and keys (nil for learned positions).
    public let rotary: RotaryEmbedding?
    /// Dropout on the attention probabilities (GPT-2's `attn_pdrop`), training mode only.
    let probabilityDropout: Dropout

    init(_ config: DecoderConfiguration, factory: WeightFactory, seed: UInt64) {
        let d = config.width, qd = config.heads * config.headDim, kvd = config.kvHeads * config.headDim
        query = factory.linear(d, qd, bias: config.attentionBias)
        key = factory.linear(d, kvd, bias: config.attentionBias)
        value = factory.linear(d, kvd, bias: config.attentionBias)
        output = factory.linear(qd, d, bias: config.attentionOutputBias, kind: .residualProjection)
        heads = config.heads
        kvHeads = config.kvHeads
        headDim = config.headDim
        rotary = config.positionEncoding == .rotary ? RotaryEmbedding(headDim: config.headDim, base: config.ropeTheta) : nil
        probabilityDropout = Dropout(rate: config.dropout, seed: seed)
        super.init()
    }

    /// The `[B, Hq, N, M]` multiplier of the attention probabilities while training with dropout.
    func dropoutMask(batch: Int, queries: Int, keys: Int) -> Tensor? {
        guard probabilityDropout.isTraining, probabilityDropout.rate > 0 else { return nil }
        return probabilityDropout(Tensor.ones([batch, heads, queries, keys]))
    }

    /// `[B, N, D]` → `[B, N, D]`; tokens sit at positions `positionOffset..<positionOffset + N`.
    /// With `cache`, the new keys/values are appended and attention covers all cached tokens.
    func callAsFunction(_ x: Tensor, positionOffset: Int, cache: KVCache.Layer?, reserve: Int, mask: Tensor? = nil) -> Tensor {
        let b = x.shape[0], n = x.shape[1], hd = headDim
        var q = query(x).reshaped([b, n, heads, hd]).permuted([0, 2, 1, 3])       // [B, Hq, N, Dh]
        var k = key(x).reshaped([b, n, kvHeads, hd]).permuted([0, 2, 1, 3])       // [B, Hkv, N, Dh]
        let v = value(x).reshaped([b, n, kvHeads, hd]).permuted([0, 2, 1, 3])     // [B, Hkv, N, Dh]
        if let rotary {
            q = rotary(q, offset: positionOffset)
            k = rotary(k, offset: positionOffset)
        }
        let attended: Tensor                                                       // [B, Hq, N, Dh]
        if let cache {
            let previous = cache.count
            cache.append(keys: k.detached, values: v.detached, reserve: reserve)
            if isRecordingGradients && (q.isTracked || k.isTracked || v.isTracked) {
                // Differentiable path: the cached prefix enters as constants.
                var keys = k, values = v
                if previous > 0 {
                    let stored = cache.prefix(previous)                            // [B, Hkv, M₀, Dh]
                    keys = Tensor.concat([stored.keys, k], axis: 2)
                    values = Tensor.concat([stored.values, v], axis: 2)
                }
                attended = Tensor.scaledDotProductAttention(
                    query: q, key: keys, value: values, causal: true,
                    dropoutMask: dropoutMask(batch: b, queries: n, keys: keys.shape[2]))
            } else {
                attended = CachedAttention.forward(query: q, layer: cache)
            }
        } else {
            attended = Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: mask, causal: true,
                                                        dropoutMask: dropoutMask(batch: b, queries: n, keys: n))
        }
        return output(attended.permuted([0, 2, 1, 3]).reshaped([b, n, heads * hd]))  // [B, N, D]
    }
}

/// The feed-forward block: `down(act(up(x)))`, or gated `down(act(gate(x)) ∘ up(x))`.
public final class DecoderMLP: Module {
    /// `[D]` → `[F]` (gated MLPs only).
    public internal(set) var gate: (any UnaryLayer)?
    /// `[D]` → `[F]`.
    public internal(set) var up: any UnaryLayer
    /// `[F]` → `[D]`.
    public internal(set) var down: any UnaryLayer
    public let activation: Activation

    init(_ config: DecoderConfiguration, factory: WeightFactory) {
        let d = config.width, f = config.mlpHidden
        gate = config.mlpKind == .gated ? factory.linear(d, f, bias: config.mlpBias) : nil
        up = factory.linear(d, f, bias: config.mlpBias)
        down = factory.linear(f, d, bias: config.mlpBias, kind: .residualProjection)
        activation = config.activation
        super.init()
    }

    /// `[..., D]` → `[..., D]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if let gate { return down(activation(gate(x)) * up(x)) }  // [..., F] → [..., D]
        return down(activation(up(x)))
    }
}

/// A pre-norm decoder block: x + attn(norm(x)), then + mlp(norm(x)).
public final class DecoderBlock: Module {
    public let attentionNorm: any UnaryLayer
    public let attention: DecoderAttention
    public let mlpNorm: any UnaryLayer
    public let mlp: DecoderMLP
    let dropout: Dropout

    init(_ config: DecoderConfiguration, factory: WeightFactory, seed: UInt64) {
        attentionNorm = makeNorm(config)
        attention = DecoderAttention(config, factory: factory, seed: seed ^ 0x5A5A_5A5A_5A5A_5A5A)
        mlpNorm = makeNorm(config)
        mlp = DecoderMLP(config, factory: factory)
        dropout = Dropout(rate: config.dropout, seed: seed)
        super.init()
    }

    /// `[B, N, D]` → `[B, N, D]`.
    func callAsFunction(_ x: Tensor, positionOffset: Int, cache: KVCache.Layer?, reserve: Int, mask: Tensor? = nil) -> Tensor {
        let h = x + dropout(attention(attentionNorm(x), positionOffset: positionOffset, cache: cache, reserve: reserve, mask: mask))
        return h + dropout(mlp(mlpNorm(h)))
    }
}
