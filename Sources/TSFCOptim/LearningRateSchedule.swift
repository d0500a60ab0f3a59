// Learning-rate schedules: constant, step decay, linear warmup + cosine decay.
#if canImport(Glibc)
import Glibc
#endif

/// Maps a step index (0-based) to a learning rate.
public protocol LearningRateSchedule: Sendable {
    func learningRate(at step: Int) -> Float
}

/// The same rate at every step.
public struct ConstantSchedule: LearningRateSchedule {
    public let rate: Float
    public init(_ rate: Float) { self.rate = rate }
    public func learningRate(at step: Int) -> Float { rate }
}

/// rate · γ^⌊step / stepSize⌋ (torch's StepLR).
public struct StepDecaySchedule: LearningRateSchedule {
    public let rate: Float, stepSize: Int, gamma: Float
    public init(rate: Float, stepSize: Int, gamma: Float) {
        precondition(stepSize > 0, "StepDecaySchedule: stepSize must be positive")
        self.rate = rate; self.stepSize = stepSize; self.gamma = gamma
    }
    public func learningRate(at step: Int) -> Float { rate * powf(gamma, Float(step / stepSize)) }
}

/// Linear warmup from 0 to `peak` over `warmupSteps`, then cosine decay to `minimum` at
/// `totalSteps` (held there after).
public struct WarmupCosineSchedule: LearningRateSchedule {
    public let peak: Float, minimum: Float, warmupSteps: Int, totalSteps: Int
    public init(peak: Float, warmupSteps: Int, totalSteps: Int, minimum: Float = 0) {
        precondition(warmupSteps >= 0 && totalSteps >= warmupSteps, "WarmupCosineSchedule: need 0 ≤ warmup ≤ total")
        self.peak = peak; self.minimum = minimum; self.warmupSteps = warmupSteps; self.totalSteps = totalSteps
    }
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let span = max(totalSteps - warmupSteps, 1)
        let progress = min(Float(step - warmupSteps) / Float(span), 1)
        return minimum + 0.5 * (peak - minimum) * (1 + cosf(Float.pi * progress))
    }
}
