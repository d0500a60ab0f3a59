// AR-Net's sparsity regulariser (paper §3.3.1): R(θ) = mean_i [2 / (1 + exp(−c1·|θ_i|^{1/c2})) − 1]
// on the first layer's weights, scaled by λ = c_λ·(1/s − 1) for an expected sparsity s (the share
// of lags that are non-zero). The penalty has a large gradient near 0 that vanishes for large |θ|,
// so small weights go to zero and real coefficients are barely shrunk. The warm-up follows the
// reference's fastai version (`arnet/fastai_mods.py`): λ·prog², prog reaching 1 at half of training.
import TSFCTensor

/// The sparsity penalty and its weight.
public struct SparsityRegularizer: Equatable, Sendable {
    /// Steepness c1 (paper and v0.1 code: 3).
    public var c1: Float = 3
    /// Root c2 (paper and v0.1 code: 3).
    public var c2: Float = 3
    /// c_λ (v0.1 code: 0.02).
    public var scale: Float = 0.02
    /// Expected sparsity s in (0, 1]: the share of non-zero lags; 1 turns the penalty off.
    public var sparsity: Float = 1
    /// Share of training after which the warm-up reaches full λ (reference: 0.5); 0 = no warm-up.
    public var warmupFraction: Float = 0.5

    public init(c1: Float = 3, c2: Float = 3, scale: Float = 0.02, sparsity: Float = 1, warmupFraction: Float = 0.5) {
        self.c1 = c1; self.c2 = c2; self.scale = scale; self.sparsity = sparsity; self.warmupFraction = warmupFraction
    }

    /// λ = c_λ·(1/s − 1); 0 when s ≥ 1.
    public var lambda: Float { sparsity >= 1 ? 0 : scale * (1 / sparsity - 1) }

    /// The warm-up factor at training progress `progress` ∈ [0, 1]: min(1, progress / fraction)².
    public func warmup(progress: Float) -> Float {
        guard warmupFraction > 0 else { return 1 }
        let prog = Swift.min(Swift.max(progress / warmupFraction, 0), 1)
        return prog * prog
    }

    /// λ at training progress `progress`.
    public func weight(progress: Float) -> Float { lambda * warmup(progress: progress) }

    /// R(w) = mean(2/(1 + exp(−c1·|w|^{1/c2})) − 1) of any weight tensor (a scalar, differentiable).
    /// |w| is floored at 1e-30 so the root's gradient stays finite (it is 0 at exactly 0).
    public func penalty(_ weights: Tensor) -> Tensor {
        let root = weights.abs().clamped(min: 1e-30, max: .greatestFiniteMagnitude).pow(1 / c2)  // same shape
        return ((root * c1).sigmoid() * 2 - 1).mean()
    }

    /// λ(progress)·R(w), or nil when the penalty is off (λ = 0).
    public func term(_ weights: Tensor, progress: Float) -> Tensor? {
        let w = weight(progress: progress)
        return w > 0 ? penalty(weights) * w : nil
    }
}
