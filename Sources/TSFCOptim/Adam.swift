// Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019), torch.optim semantics.
import TSFCNN
import TSFCTensor

/// Adam with optional L2 weight decay added to the gradient (torch's `Adam(weight_decay=)`), or
/// with decoupled weight decay when `decoupled` (AdamW).
public class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    let decoupled: Bool
    private var moments: [ObjectIdentifier: (m: [Float], v: [Float], step: Int)] = [:]

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        decoupled = false
    }

    init(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float, decoupled: Bool) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    /// The moment estimates of each parameter, for checkpoints: `m.<name>`, `v.<name>` and the
    /// step count as `step.<name>` (a one-element tensor).
    public func stateDictionary(_ named: [(String, Parameter)]) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, p) in named {
            guard let s = moments[ObjectIdentifier(p)] else { continue }
            out["m.\(name)"] = Tensor(shape: p.shape, scalars: s.m)
            out["v.\(name)"] = Tensor(shape: p.shape, scalars: s.v)
            out["step.\(name)"] = Tensor([Float(s.step)])
        }
        return out
    }

    /// Restores moment estimates written by `stateDictionary`; entries for unknown names or of
    /// the wrong size are ignored (their parameters start fresh).
    public func loadStateDictionary(_ state: [String: Tensor], _ named: [(String, Parameter)]) {
        for (name, p) in named {
            guard let m = state["m.\(name)"], let v = state["v.\(name)"], let t = state["step.\(name)"],
                  m.count == p.value.count, v.count == p.value.count, t.count == 1 else { continue }
            moments[ObjectIdentifier(p)] = (m.scalars, v.scalars, Int(t.scalars[0]))
        }
    }

    /// m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; p −= lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
    public func step(_ parameters: [Parameter]) {
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay, dec = decoupled
        for p in parameters where !p.isFrozen && p.gradient != nil {
            let id = ObjectIdentifier(p)
            let n = p.value.count
            let state = moments[id] ?? ([Float](repeating: 0, count: n), [Float](repeating: 0, count: n), 0)
            let t = state.step + 1
            let bc1 = 1 - powf_(b1, t), bc2 = 1 - powf_(b2, t)
            let stepSize = lr / bc1, bc2Root = bc2.squareRoot()
            var first = state.m, second = state.v
            updateInPlace(p, &first, &second) { v, g, m, sq, n in
                for i in 0..<n {
                    var grad = g[i]
                    if dec { v[i] *= 1 - lr * wd } else if wd != 0 { grad += wd * v[i] }
                    m[i] = b1 * m[i] + (1 - b1) * grad
                    sq[i] = b2 * sq[i] + (1 - b2) * grad * grad
                    v[i] -= stepSize * m[i] / (sq[i].squareRoot() / bc2Root + eps)
                }
            }
            moments[id] = (first, second, t)
        }
    }
}

/// AdamW: Adam with weight decay decoupled from the gradient (p ← p·(1 − lr·λ) before the step).
public final class AdamW: Adam {
    public override init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0.01) {
        super.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                   weightDecay: weightDecay, decoupled: true)
    }
}

func powf_(_ base: Float, _ exponent: Int) -> Float {
    var r: Float = 1
    for _ in 0..<exponent { r *= base }
    return r
}
