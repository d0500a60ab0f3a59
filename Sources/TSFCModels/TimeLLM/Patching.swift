// Time-LLM patching (Jin et al., ICLR 2024, §3.1; reference `models/TimeLLM.py`): the context is
// padded at its end by repeating the last value `stride` times (torch `ReplicationPad1d((0, stride))`)
// and cut into overlapping patches of `length` points every `stride` points.
import TSFCTensor

/// Overlapping patches of a univariate context, with Time-LLM's end padding.
public struct Patching: Equatable, Sendable {
    /// Points per patch (Time-LLM: 16).
    public let length: Int
    /// Points between patch starts (Time-LLM: 8).
    public let stride: Int

    public init(length: Int, stride: Int) {
        precondition(length > 0 && stride > 0, "Patching: length and stride must be positive")
        self.length = length
        self.stride = stride
    }

    /// Patches of a context of `contextLength` points: ⌊(L + stride − length) / stride⌋ + 1
    /// (the reference's `int((L − length) / stride + 2)` when `length` ≥ `stride`).
    public func count(contextLength: Int) -> Int {
        precondition(contextLength + stride >= length, "Patching: context \(contextLength) is shorter than a patch")
        return (contextLength + stride - length) / stride + 1
    }

    /// `[B, L]` → `[B, P, length]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2, "Patching: expected [B, L], got \(x.shape)")
        let padded = x.paddedReplicate(axis: 1, before: 0, after: stride)       // [B, L + stride]
        return padded.unfolded(axis: 1, size: length, stride: stride)            // [B, P, length]
    }
}
