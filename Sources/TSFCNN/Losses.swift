// Loss functions, each reduced to a scalar mean.
import TSFCTensor

/// Standard training losses.
public enum Loss {
    /// Mean squared error.
    public static func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        let d = prediction - target
        return (d * d).mean()
    }

    /// Mean absolute error.
    public static func meanAbsoluteError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        (prediction - target).abs().mean()
    }

    /// Huber loss: ½d² where |d| ≤ δ, δ(|d| − ½δ) beyond (torch's `huber_loss`).
    public static func huber(_ prediction: Tensor, _ target: Tensor, delta: Float = 1) -> Tensor {
        let a = (prediction - target).abs()
        let quadratic = a.clamped(min: -Float.infinity, max: delta)  // min(|d|, δ)
        let linear = a - quadratic
        return (0.5 * quadratic * quadratic + delta * linear).mean()
    }

    /// Cross-entropy of logits `[N, C]` against class indices (mean over rows).
    /// - Precondition: every target is in `0..<C`.
    public static func crossEntropy(logits: Tensor, targets: [Int]) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] == targets.count,
                     "crossEntropy: logits \(logits.shape) and \(targets.count) targets")
        let c = logits.shape[1]
        let logp = logits.logSoftmax()                          // [N, C]
        let flat = targets.enumerated().map { $0.offset * c + $0.element }
        return -logp.reshaped([-1]).indexSelect(axis: 0, indices: flat).mean()
    }
}

extension Loss {
    /// The pinball (quantile) loss of quantile predictions, averaged over the observed targets
    /// and the levels: for level q and error e = y − ŷ_q, q·e where e ≥ 0 and (q − 1)·e where
    /// e < 0 (Koenker & Bassett, 1978); minimised in expectation by the q-quantile of y.
    ///
    /// - Parameters:
    ///   - prediction: `[B, O, Q]`, quantile `k` at level `levels[k]`.
    ///   - target: `[B, O]`.
    ///   - mask: `[B, O]`, 1 where the target is observed and 0 where it is missing (those
    ///     points contribute nothing); nil: all observed.
    ///   - levels: the Q levels, each in (0, 1).
    /// - Returns: a scalar: Σ mask·pinball / (Q · Σ mask).
    public static func pinball(_ prediction: Tensor, _ target: Tensor, mask: Tensor? = nil, levels: [Float]) -> Tensor {
        precondition(prediction.rank == 3 && target.rank == 2 && prediction.shape[0] == target.shape[0]
                     && prediction.shape[1] == target.shape[1] && prediction.shape[2] == levels.count,
                     "pinball: prediction \(prediction.shape), target \(target.shape), \(levels.count) levels")
        let loss = pinballTerms(prediction, target, levels: levels)         // [B, O, Q]
        guard let mask else { return loss.mean() }
        let observed = Swift.max(mask.detached.sum().item, 1) * Float(levels.count)
        return (loss * mask.detached.unsqueezed(axis: 2)).sum() * (1 / observed)
    }

    /// The unnormalised pinball loss for data-parallel training: the sum over observed targets
    /// and levels, and how many (target, level) terms it holds, so that sums and counts added
    /// over ranks give `pinball`'s mean over the whole batch.
    public static func pinballSum(_ prediction: Tensor, _ target: Tensor, mask: Tensor, levels: [Float]) -> (sum: Tensor, count: Double) {
        let loss = pinballTerms(prediction, target, levels: levels)         // [B, O, Q]
        let observed = Double(mask.detached.sum().item) * Double(levels.count)
        return ((loss * mask.detached.unsqueezed(axis: 2)).sum(), observed)
    }

    /// ρ_q(y − ŷ) for every target, step and level: `[B, O, Q]` from predictions `[B, O, Q]`
    /// and targets `[B, O]`.
    static func pinballTerms(_ prediction: Tensor, _ target: Tensor, levels: [Float]) -> Tensor {
        let q = Tensor(shape: [levels.count], scalars: levels)              // [Q]
        let error = target.unsqueezed(axis: 2) - prediction                 // [B, O, Q]
        return q * error.relu() + (1 - q) * (-error).relu()                 // [B, O, Q]
    }
}
