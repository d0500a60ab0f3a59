// Optimizer protocol and the shared per-parameter update loop.
import TSFCNN
import TSFCTensor

/// Updates parameters in place from their `gradient`s. Frozen parameters and parameters
/// without a gradient are skipped.
public protocol Optimizer: AnyObject {
    /// Learning rate used by the next `step` (schedules set it each step).
    var learningRate: Float { get set }
    /// Applies one update to every trainable parameter that has a gradient.
    func step(_ parameters: [Parameter])
}

/// Scales all gradients so their global L2 norm is at most `maxNorm`; returns the norm before
/// clipping (torch's `clip_grad_norm_`).
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters where !p.isFrozen {
        guard let g = p.gradient else { continue }
        g.withUnsafeBufferPointer { for v in $0 { total += Double(v) * Double(v) } }
    }
    let norm = Float(total.squareRoot())
    let factor = maxNorm / (norm + 1e-6)
    if factor < 1 {
        for p in parameters where !p.isFrozen { p.gradient?.scaleInPlace(by: factor) }
    }
    return norm
}

/// Runs an in-place update over a parameter's value, its gradient and two state buffers
/// (each the parameter's size), as raw pointers.
func updateInPlace(
    _ p: Parameter, _ first: inout [Float], _ second: inout [Float],
    _ body: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>,
             UnsafeMutablePointer<Float>, Int) -> Void
) {
    guard let g = p.gradient else { return }
    let n = p.value.count
    precondition(g.count == n && first.count == n && second.count == n,
                 "optimizer: gradient/state sizes differ from parameter \(p.shape)")
    if n == 0 { return }
    g.withUnsafeBufferPointer { pg in
        p.value.withUnsafeMutableBufferPointer { pv in
            first.withUnsafeMutableBufferPointer { s0 in
                second.withUnsafeMutableBufferPointer { s1 in
                    body(pv.baseAddress!, pg.baseAddress!, s0.baseAddress!, s1.baseAddress!, n)
                }
            }
        }
    }
}
