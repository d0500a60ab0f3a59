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
