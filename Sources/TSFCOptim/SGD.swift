// Stochastic gradient descent with momentum (torch.optim.SGD semantics).
import TSFCNN
import TSFCTensor

/// SGD: v = μ·v + (g + λ·p); p −= lr·v (or lr·(g + μ·v) with Nesterov).
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    public let nesterov: Bool
    private var velocity: [ObjectIdentifier: [Float]] = [:]

    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public func step(_ parameters: [Parameter]) {
        let lr = learningRate, mu = momentum, wd = weightDecay, nest = nesterov
        for p in parameters where !p.isFrozen && p.gradient != nil {
            let id = ObjectIdentifier(p)
            let first = velocity[id] == nil
            var buffer = velocity[id] ?? [Float](repeating: 0, count: p.value.count)
            var unused = [Float](repeating: 0, count: p.value.count)
            updateInPlace(p, &buffer, &unused) { v, g, buf, _, n in
                for i in 0..<n {
                    let grad = g[i] + wd * v[i]
                    if mu == 0 {
                        v[i] -= lr * grad
                        continue
                    }
                    buf[i] = first ? grad : mu * buf[i] + grad
                    v[i] -= lr * (nest ? grad + mu * buf[i] : buf[i])
                }
            }
            velocity[id] = buffer
        }
    }
}
