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
    /// Per-parameter state, held by reference so the update writes it in place (no copy-on-write).
    final class State {
        var m: [Float]
        var v: [Float]
        var step = 0
        init(count: Int) {
            m = [Float](repeating: 0, count: count)
            v = [Float](repeating: 0, count: count)
        }
    }
    private var moments: [ObjectIdentifier: State] = [:]

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
            let restored = State(count: 0)
            restored.m = m.scalars
            restored.v = v.scalars
            restored.step = Int(t.scalars[0])
            moments[ObjectIdentifier(p)] = restored
        }
    }

    /// m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; p −= lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
    public func step(_ parameters: [Parameter]) {
        for p in parameters where !p.isFrozen && p.gradient != nil {
            let id = ObjectIdentifier(p)
            let n = p.value.count
            let state: State
            if let s = moments[id] { state = s } else { state = State(count: n); moments[id] = state }
            state.step += 1
            let t = state.step
            let bc1 = 1 - powf_(beta1, t), bc2 = 1 - powf_(beta2, t)
            let k = AdamKernel(lr: learningRate, b1: beta1, b2: beta2, eps: epsilon, wd: weightDecay,
                               decoupled: decoupled, stepSize: learningRate / bc1, bc2Root: bc2.squareRoot())
            updateInPlace(p, &state.m, &state.v) { v, g, m, sq, n in
                Threading.forEachChunk(n, grain: 1 << 15) { s, e in k.apply(v, g, m, sq, s, e) }
            }
        }
    }
}

/// The Adam/AdamW update of elements `start..<end`, eight lanes at a time. Each lane performs
/// exactly the scalar operations in the same order, so results do not depend on the split.
struct AdamKernel {
    let lr, b1, b2, eps, wd: Float
    let decoupled: Bool
    let stepSize, bc2Root: Float

    func apply(_ v: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
               _ sq: UnsafeMutablePointer<Float>, _ start: Int, _ end: Int) {
        let decay = 1 - lr * wd, c1 = 1 - b1, c2 = 1 - b2
        var i = start
        typealias V8 = SIMD8<Float>
        while i + 8 <= end {
            var grad = UnsafeRawPointer(g + i).loadUnaligned(as: V8.self)
            var value = UnsafeRawPointer(v + i).loadUnaligned(as: V8.self)
            if decoupled { value *= decay } else if wd != 0 { grad += wd * value }
            let mm = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V8.self) + c1 * grad
            let vv = b2 * UnsafeRawPointer(sq + i).loadUnaligned(as: V8.self) + c2 * grad * grad
            value -= stepSize * mm / (vv.squareRoot() / bc2Root + eps)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mm, as: V8.self)
            UnsafeMutableRawPointer(sq + i).storeBytes(of: vv, as: V8.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: value, as: V8.self)
            i += 8
        }
        while i < end {
            var grad = g[i]
            if decoupled { v[i] *= decay } else if wd != 0 { grad += wd * v[i] }
            m[i] = b1 * m[i] + c1 * grad
            sq[i] = b2 * sq[i] + c2 * grad * grad
            v[i] -= stepSize * m[i] / (sq[i].squareRoot() / bc2Root + eps)
            i += 1
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
