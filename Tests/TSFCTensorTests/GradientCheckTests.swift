// One parameterised gradient check over every differentiable op of TSFCTensor.
//
// For each case the loss is L(x) = Σ f(x) ∘ w with a fixed random weight tensor w (so every
// output element gets a distinct cotangent). The tape's gradient of L is compared with central
// finite differences (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h, with L accumulated in Double. Inputs of
// non-smooth ops (abs, relu, clamp, max, maximum) are drawn away from their kinks and ties.
import XCTest
@testable import TSFCTensor

/// One op (or op configuration) to check.
struct GradientCase {
    let name: String
    let inputs: [Tensor]
    let f: ([Tensor]) -> Tensor
    /// Relative tolerance: |numeric − analytic| ≤ tolerance · max(1, |numeric|).
    var tolerance: Float = 5e-3
    /// Finite-difference step.
    var step: Float = 1e-2
}

final class GradientCheckTests: XCTestCase {
    // MARK: - The check

    /// Σ value ∘ w accumulated in Double.
    static func weightedSum(_ value: Tensor, _ w: Tensor) -> Double {
        var acc: Double = 0
        let v = value.scalars, ws = w.scalars
        for i in 0..<v.count { acc += Double(v[i]) * Double(ws[i]) }
        return acc
    }

    /// Returns one message per disagreement (empty when the case passes).
    static func check(_ c: GradientCase, seed: UInt64) -> [String] {
        let forward = c.f(c.inputs)
        let w = Inputs.normal(forward.shape, seed: seed)
        let (value, grads) = valueAndGradient(at: c.inputs) { xs in (c.f(xs) * w).sum() }
        var problems: [String] = []
        let expectedValue = weightedSum(forward, w)
        if Swift.abs(Double(value.item) - expectedValue) > 1e-4 * Swift.max(1, Swift.abs(expectedValue)) {
            problems.append("\(c.name): taped value \(value.item) != untaped \(expectedValue)")
        }
        for (k, input) in c.inputs.enumerated() {
            guard grads[k].shape == input.shape else {
                problems.append("\(c.name): gradient of input \(k) has shape \(grads[k].shape), input \(input.shape)")
                continue
            }
            for i in 0..<input.count {
                var plus = c.inputs, minus = c.inputs
                let x = input.scalars[i]
                let xp = x + c.step, xm = x - c.step
                plus[k].withUnsafeMutableBufferPointer { $0[i] = xp }
                minus[k].withUnsafeMutableBufferPointer { $0[i] = xm }
                let numeric = (weightedSum(c.f(plus), w) - weightedSum(c.f(minus), w)) / (Double(xp) - Double(xm))
                let analytic = Double(grads[k].scalars[i])
                if !(Swift.abs(numeric - analytic) <= Double(c.tolerance) * Swift.max(1, Swift.abs(numeric))) {
                    problems.append("\(c.name): input \(k) \(input.shape) element \(i): numeric \(numeric), analytic \(analytic)")
                    break  // one message per input is enough
                }
            }
        }
        return problems
    }

    static func run(_ cases: [GradientCase]) {
        var failures: [String] = []
        for (n, c) in cases.enumerated() { failures += check(c, seed: 1000 + UInt64(n)) }
        for f in failures { XCTFail(f) }
    }

    // Short names for input makers (seeded by a per-case number).
    static func N(_ s: [Int], _ seed: UInt64) -> Tensor { Inputs.normal(s, seed: seed) }
    static func P(_ s: [Int], _ seed: UInt64) -> Tensor { Inputs.positive(s, seed: seed) }
    static func Z(_ s: [Int], _ seed: UInt64) -> Tensor { Inputs.awayFromZero(s, seed: seed) }
    static func D(_ s: [Int], _ seed: UInt64, offset: Float = 0) -> Tensor { Inputs.distinct(s, seed: seed, offset: offset) }

    // MARK: - Cases

    static var arithmeticCases: [GradientCase] {
        [
            GradientCase(name: "add same shape", inputs: [N([2, 3], 1), N([2, 3], 2)]) { $0[0] + $0[1] },
            GradientCase(name: "add [2,3,4]+[4]", inputs: [N([2, 3, 4], 3), N([4], 4)]) { $0[0] + $0[1] },
            GradientCase(name: "add [2,1,4]+[3,1]", inputs: [N([2, 1, 4], 5), N([3, 1], 6)]) { $0[0] + $0[1] },
            GradientCase(name: "add scalar tensor + [2,3]", inputs: [N([], 7), N([2, 3], 8)]) { $0[0] + $0[1] },
            GradientCase(name: "add tensor + Float", inputs: [N([2, 3], 9)]) { $0[0] + 1.5 },
            GradientCase(name: "add Float + tensor", inputs: [N([2, 3], 38)]) { -0.5 + $0[0] },
            GradientCase(name: "sub tensor - Float", inputs: [N([2, 3], 39)]) { $0[0] - 3 },
            GradientCase(name: "mul Float * tensor", inputs: [N([2, 3], 161)]) { 2.5 * $0[0] },
            GradientCase(name: "mul tensor * Float", inputs: [N([2, 3], 162)]) { $0[0] * -1.25 },
            GradientCase(name: "sub same shape", inputs: [N([2, 3], 10), N([2, 3], 11)]) { $0[0] - $0[1] },
            GradientCase(name: "sub [2,3,4]-[4]", inputs: [N([2, 3, 4], 12), N([4], 13)]) { $0[0] - $0[1] },
            GradientCase(name: "sub [3,1]-[2,1,4]", inputs: [N([3, 1], 14), N([2, 1, 4], 15)]) { $0[0] - $0[1] },
            GradientCase(name: "sub Float - tensor", inputs: [N([2, 3], 16)]) { 2 - $0[0] },
            GradientCase(name: "mul same shape", inputs: [N([2, 3], 17), N([2, 3], 18)]) { $0[0] * $0[1] },
            GradientCase(name: "mul [2,1,4]*[3,1]", inputs: [N([2, 1, 4], 19), N([3, 1], 20)]) { $0[0] * $0[1] },
            GradientCase(name: "mul [2,3,4]*[4]", inputs: [N([2, 3, 4], 21), N([4], 22)]) { $0[0] * $0[1] },
            GradientCase(name: "mul scalar tensor * [2,3]", inputs: [N([], 23), N([2, 3], 24)]) { $0[0] * $0[1] },
            GradientCase(name: "mul x*x (same tensor twice)", inputs: [N([2, 3], 25)]) { $0[0] * $0[0] },
            GradientCase(name: "mul with untracked constant", inputs: [N([2, 3], 26)]) { $0[0] * N([3], 27) },
            GradientCase(name: "squared", inputs: [N([2, 3], 28)]) { $0[0].squared() },
            GradientCase(name: "div same shape", inputs: [N([2, 3], 29), Z([2, 3], 30)]) { $0[0] / $0[1] },
            GradientCase(name: "div [2,3,4]/[4]", inputs: [N([2, 3, 4], 31), P([4], 32)]) { $0[0] / $0[1] },
            GradientCase(name: "div [3,1]/[2,1,4]", inputs: [N([3, 1], 33), P([2, 1, 4], 34)]) { $0[0] / $0[1] },
            GradientCase(name: "div Float / tensor", inputs: [P([2, 3], 35)]) { 1 / $0[0] },
            GradientCase(name: "div tensor / Float", inputs: [N([2, 3], 36)]) { $0[0] / 4 },
            GradientCase(name: "neg", inputs: [N([2, 3], 37)]) { -$0[0] },
        ]
    }

    /// Every binary op over shape pairs that broadcast on either side, in the middle and from rank 0.
    static var broadcastCases: [GradientCase] {
        let pairs: [([Int], [Int])] = [
            ([2, 1, 3, 1], [1, 5, 1, 4]), ([1, 4, 1], [3, 1, 6]), ([6], [2, 3, 6]), ([2, 3, 1], [2, 3, 4]), ([], [3, 2]),
        ]
        var cases: [GradientCase] = []
        for (i, (sa, sb)) in pairs.enumerated() {
            let s = UInt64(300 + 10 * i)
            cases += [
                GradientCase(name: "broadcast add \(sa)+\(sb)", inputs: [N(sa, s), N(sb, s + 1)]) { $0[0] + $0[1] },
                GradientCase(name: "broadcast sub \(sb)-\(sa)", inputs: [N(sb, s + 2), N(sa, s + 3)]) { $0[0] - $0[1] },
                GradientCase(name: "broadcast mul \(sa)*\(sb)", inputs: [N(sa, s + 4), N(sb, s + 5)]) { $0[0] * $0[1] },
                GradientCase(name: "broadcast div \(sb)/\(sa)", inputs: [N(sb, s + 6), P(sa, s + 7)]) { $0[0] / $0[1] },
                GradientCase(name: "broadcast maximum \(sa),\(sb)", inputs: [D(sa, s + 8), D(sb, s + 9, offset: 0.05)]) { $0[0].maximum($0[1]) },
                GradientCase(name: "broadcast pow \(sa)^\(sb)", inputs: [P(sa, s + 10), N(sb, s + 11)]) { $0[0].pow($0[1]) },
            ]
        }
        return cases
    }

    static var unaryCases: [GradientCase] {
        [
            GradientCase(name: "pow 3 (const)", inputs: [N([2, 3], 40)]) { $0[0].pow(3) },
            GradientCase(name: "pow 0.5 (const)", inputs: [P([2, 3], 41)]) { $0[0].pow(0.5) },
            GradientCase(name: "pow -1.5 (const)", inputs: [P([2, 3], 42)]) { $0[0].pow(-1.5) },
            GradientCase(name: "pow tensor exponent", inputs: [P([2, 3], 43), N([2, 3], 44)]) { $0[0].pow($0[1]) },
            GradientCase(name: "pow tensor exponent [2,3]^[3]", inputs: [P([2, 3], 45), N([3], 46)]) { $0[0].pow($0[1]) },
            GradientCase(name: "sqrt", inputs: [P([2, 3], 47)]) { $0[0].sqrt() },
            GradientCase(name: "exp", inputs: [N([2, 3], 48)]) { $0[0].exp() },
            GradientCase(name: "log", inputs: [P([2, 3], 49)]) { $0[0].log() },
            GradientCase(name: "abs", inputs: [Z([2, 3], 50)]) { $0[0].abs() },
            GradientCase(name: "tanh", inputs: [N([2, 3], 51)]) { $0[0].tanh() },
            GradientCase(name: "sigmoid", inputs: [Inputs.normal([2, 4], seed: 52, scale: 3)]) { $0[0].sigmoid() },
            GradientCase(name: "relu", inputs: [Z([2, 4], 53)]) { $0[0].relu() },
            GradientCase(name: "gelu exact", inputs: [Inputs.normal([2, 4], seed: 54, scale: 2)]) { $0[0].gelu() },
            GradientCase(name: "gelu tanh-approximate", inputs: [Inputs.normal([2, 4], seed: 55, scale: 2)]) { $0[0].gelu(approximate: true) },
            GradientCase(name: "silu", inputs: [Inputs.normal([2, 4], seed: 56, scale: 2)]) { $0[0].silu() },
            GradientCase(name: "clamped", inputs: [Inputs.avoiding([3, 4], seed: 57, points: [-0.5, 0.5])]) {
                $0[0].clamped(min: -0.5, max: 0.5)
            },
            GradientCase(name: "maximum same shape", inputs: [D([2, 3], 58), D([2, 3], 59, offset: 0.05)]) { $0[0].maximum($0[1]) },
            GradientCase(name: "maximum [2,3] vs [3]", inputs: [D([2, 3], 60), D([3], 61, offset: 0.05)]) { $0[0].maximum($0[1]) },
            GradientCase(name: "maximum [3,1] vs [2,1,4]", inputs: [D([3, 1], 62), D([2, 1, 4], 63, offset: 0.05)]) { $0[0].maximum($0[1]) },
        ]
    }

    static var reductionCases: [GradientCase] {
        let x = N([2, 3, 4], 70)
        return [
            GradientCase(name: "sum axis 0", inputs: [x]) { $0[0].sum(axis: 0) },
            GradientCase(name: "sum axis 1 keepDims", inputs: [x]) { $0[0].sum(axis: 1, keepDims: true) },
            GradientCase(name: "sum axes [0,2]", inputs: [x]) { $0[0].sum(axes: [0, 2]) },
            GradientCase(name: "sum axes [0,2] keepDims", inputs: [x]) { $0[0].sum(axes: [0, 2], keepDims: true) },
            GradientCase(name: "sum axis -1", inputs: [x]) { $0[0].sum(axis: -1) },
            GradientCase(name: "sum all", inputs: [x]) { $0[0].sum() },
            GradientCase(name: "mean axis 1", inputs: [x]) { $0[0].mean(axis: 1) },
            GradientCase(name: "mean axes [1,2] keepDims", inputs: [x]) { $0[0].mean(axes: [1, 2], keepDims: true) },
            GradientCase(name: "mean all", inputs: [x]) { $0[0].mean() },
            GradientCase(name: "variance axis 1", inputs: [x]) { $0[0].variance(axis: 1) },
            GradientCase(name: "variance axis -1 keepDims", inputs: [x]) { $0[0].variance(axis: -1, keepDims: true) },
            GradientCase(name: "variance axes [0,2]", inputs: [x]) { $0[0].variance(axes: [0, 2]) },
            GradientCase(name: "variance axis 2 unbiased", inputs: [x]) { $0[0].variance(axis: 2, unbiased: true) },
            GradientCase(name: "max axis 0", inputs: [D([2, 3, 4], 71)]) { $0[0].max(axis: 0) },
            GradientCase(name: "max axis 1 keepDims", inputs: [D([2, 3, 4], 72)]) { $0[0].max(axis: 1, keepDims: true) },
            GradientCase(name: "max axis -1", inputs: [D([2, 3, 4], 73)]) { $0[0].max(axis: -1) },
            GradientCase(name: "logSumExp axis 1", inputs: [x]) { $0[0].logSumExp(axis: 1) },
            GradientCase(name: "logSumExp axis -1 keepDims", inputs: [x]) { $0[0].logSumExp(axis: -1, keepDims: true) },
            GradientCase(name: "logSumExp axis 0 (large inputs)", inputs: [Inputs.normal([3, 4], seed: 74, scale: 5) + 50]) {
                $0[0].logSumExp(axis: 0)
            },
            GradientCase(name: "cumsum axis 0", inputs: [x]) { $0[0].cumsum(axis: 0) },
            GradientCase(name: "cumsum axis 1", inputs: [x]) { $0[0].cumsum(axis: 1) },
            GradientCase(name: "cumsum axis -1", inputs: [x]) { $0[0].cumsum(axis: -1) },
        ]
    }

    static var shapeCases: [GradientCase] {
        let x = N([2, 3, 4], 80)
        return [
            GradientCase(name: "reshaped [-1,4] then scaled", inputs: [x]) { $0[0].reshaped([-1, 4]) * N([6, 4], 81) },
            GradientCase(name: "squeezed", inputs: [N([2, 1, 3], 82)]) { $0[0].squeezed(axis: 1) * N([2, 3], 83) },
            GradientCase(name: "unsqueezed axis -1", inputs: [N([2, 3], 84)]) { ($0[0].unsqueezed(axis: -1) * N([2, 3, 2], 85)) },
            GradientCase(name: "unsqueezed axis 0 × broadcast", inputs: [N([3], 86), N([2, 1], 87)]) {
                $0[0].unsqueezed(axis: 0) * $0[1]
            },
            GradientCase(name: "broadcast(to:) [3,1]→[2,3,4]", inputs: [N([3, 1], 88)]) { $0[0].broadcast(to: [2, 3, 4]) },
            GradientCase(name: "broadcast(to:) [4]→[2,3,4]", inputs: [N([4], 89)]) { $0[0].broadcast(to: [2, 3, 4]) },
            GradientCase(name: "sumToShape [2,3,4]→[3,1]", inputs: [x]) { $0[0].sumToShape([3, 1]) },
            GradientCase(name: "permuted [2,0,1]", inputs: [x]) { $0[0].permuted([2, 0, 1]) },
            GradientCase(name: "permuted [1,3,0,2] of 4-D", inputs: [N([2, 3, 2, 2], 90)]) { $0[0].permuted([1, 3, 0, 2]) },
            GradientCase(name: "transposed()", inputs: [x]) { $0[0].transposed() },
            GradientCase(name: "transposed(0,2)", inputs: [x]) { $0[0].transposed(0, 2) },
            GradientCase(name: "slice axis 1 1..<3", inputs: [x]) { $0[0].slice(axis: 1, 1..<3) },
            GradientCase(name: "slice axis -1 2..<4", inputs: [x]) { $0[0].slice(axis: -1, 2..<4) },
            GradientCase(name: "padded axis 1 (2,1,value 0.5)", inputs: [x]) { $0[0].padded(axis: 1, before: 2, after: 1, value: 0.5) },
            GradientCase(name: "padded axis 0 (0,2)", inputs: [x]) { $0[0].padded(axis: 0, before: 0, after: 2) },
            GradientCase(name: "paddedReplicate axis 1 (2,3)", inputs: [x]) { $0[0].paddedReplicate(axis: 1, before: 2, after: 3) },
            GradientCase(name: "paddedReplicate axis -1 (1,0)", inputs: [x]) { $0[0].paddedReplicate(axis: -1, before: 1, after: 0) },
            GradientCase(name: "concat axis 1", inputs: [N([2, 1, 4], 91), N([2, 3, 4], 92), N([2, 2, 4], 93)]) {
                Tensor.concat($0, axis: 1)
            },
            GradientCase(name: "concat axis 0 (same tensor twice)", inputs: [N([2, 3], 94)]) { Tensor.concat([$0[0], $0[0] * 2], axis: 0) },
            GradientCase(name: "stack axis 0", inputs: [N([2, 3], 95), N([2, 3], 96)]) { Tensor.stack($0, axis: 0) },
            GradientCase(name: "stack axis 2", inputs: [N([2, 3], 97), N([2, 3], 98), N([2, 3], 99)]) { Tensor.stack($0, axis: 2) },
            GradientCase(name: "unfolded axis 1 size 3 stride 1", inputs: [N([2, 7, 2], 100)]) { $0[0].unfolded(axis: 1, size: 3, stride: 1) },
            GradientCase(name: "unfolded axis -1 size 2 stride 3", inputs: [N([2, 8], 101)]) { $0[0].unfolded(axis: -1, size: 2, stride: 3) },
            GradientCase(name: "indexSelect axis 0 repeated", inputs: [N([4, 3], 102)]) { $0[0].indexSelect(axis: 0, indices: [2, 0, 2, 1, 2]) },
            GradientCase(name: "indexSelect axis 1 repeated", inputs: [x]) { $0[0].indexSelect(axis: 1, indices: [1, 1, 0]) },
            GradientCase(name: "repeated axis 0 ×3", inputs: [N([2, 3], 103)]) { $0[0].repeated(axis: 0, times: 3) },
            GradientCase(name: "repeated axis 1 ×2", inputs: [x]) { $0[0].repeated(axis: 1, times: 2) },
            GradientCase(name: "repeatedInterleaved axis 1 ×2", inputs: [x]) { $0[0].repeatedInterleaved(axis: 1, times: 2) },
            GradientCase(name: "repeatedInterleaved axis 0 ×3", inputs: [N([2, 3], 104)]) { $0[0].repeatedInterleaved(axis: 0, times: 3) },
        ]
    }

    static var matmulCases: [GradientCase] {
        [
            GradientCase(name: "matmul [3,4]×[4,5]", inputs: [N([3, 4], 110), N([4, 5], 111)]) { $0[0].matmul($0[1]) },
            GradientCase(name: "matmul Aᵀ [4,3]ᵀ×[4,5]", inputs: [N([4, 3], 112), N([4, 5], 113)]) { $0[0].matmul($0[1], transposeA: true) },
            GradientCase(name: "matmul Bᵀ [3,4]×[5,4]ᵀ", inputs: [N([3, 4], 114), N([5, 4], 115)]) { $0[0].matmul($0[1], transposeB: true) },
            GradientCase(name: "matmul AᵀBᵀ [4,3]ᵀ×[5,4]ᵀ", inputs: [N([4, 3], 116), N([5, 4], 117)]) {
                $0[0].matmul($0[1], transposeA: true, transposeB: true)
            },
            GradientCase(name: "matmul batched [2,3,4]×[2,4,5]", inputs: [N([2, 3, 4], 118), N([2, 4, 5], 119)]) { $0[0].matmul($0[1]) },
            GradientCase(name: "matmul batched AᵀBᵀ", inputs: [N([2, 4, 3], 120), N([2, 5, 4], 121)]) {
                $0[0].matmul($0[1], transposeA: true, transposeB: true)
            },
            GradientCase(name: "matmul batch-broadcast [2,1,3,4]×[3,4,5]", inputs: [N([2, 1, 3, 4], 122), N([3, 4, 5], 123)]) {
                $0[0].matmul($0[1])
            },
            GradientCase(name: "matmul batch-broadcast [1,3,4]×[2,4,2] Bᵀ", inputs: [N([1, 3, 4], 124), N([2, 2, 4], 125)]) {
                $0[0].matmul($0[1], transposeB: true)
            },
            GradientCase(name: "matmul batched-left × 2-D [2,3,4]×[4,5]", inputs: [N([2, 3, 4], 126), N([4, 5], 127)]) { $0[0].matmul($0[1]) },
            GradientCase(name: "matmul batched-left × 2-D Bᵀ", inputs: [N([2, 3, 4], 128), N([5, 4], 129)]) { $0[0].matmul($0[1], transposeB: true) },
            GradientCase(name: "matmul batched-left Aᵀ × 2-D", inputs: [N([2, 4, 3], 130), N([4, 5], 131)]) { $0[0].matmul($0[1], transposeA: true) },
            // One operand off the tape (a frozen weight): only the tracked side gets a gradient.
            GradientCase(name: "matmul tracked × frozen [3,4]×[4,5]", inputs: [N([3, 4], 135)]) { $0[0].matmul(N([4, 5], 136)) },
            GradientCase(name: "matmul frozen × tracked Aᵀ", inputs: [N([4, 5], 137)]) { N([4, 3], 138).matmul($0[0], transposeA: true) },
            GradientCase(name: "matmul tracked Aᵀ × frozen Bᵀ", inputs: [N([4, 3], 139)]) {
                $0[0].matmul(N([5, 4], 147), transposeA: true, transposeB: true)
            },
            GradientCase(name: "matmul batched tracked × frozen 2-D Bᵀ", inputs: [N([2, 3, 4], 148)]) { $0[0].matmul(N([5, 4], 149), transposeB: true) },
            GradientCase(name: "matmul frozen batched × tracked 2-D", inputs: [N([4, 5], 163)]) { N([2, 3, 4], 164).matmul($0[0]) },
            GradientCase(name: "matmul x·xᵀ (same tensor both sides)", inputs: [N([3, 4], 134)]) { $0[0].matmul($0[0], transposeB: true) },
            GradientCase(name: "matmul 2-D left × batched right", inputs: [N([3, 4], 132), N([2, 4, 5], 133)]) { $0[0].matmul($0[1]) },
        ]
    }

    static var softmaxCases: [GradientCase] {
        [
            GradientCase(name: "softmax [2,5]", inputs: [Inputs.normal([2, 5], seed: 140, scale: 2)]) { $0[0].softmax() },
            GradientCase(name: "softmax [2,3,4]", inputs: [N([2, 3, 4], 141)]) { $0[0].softmax() },
            GradientCase(name: "softmax of shifted large inputs", inputs: [N([2, 4], 142) + 80]) { $0[0].softmax() },
            GradientCase(name: "logSoftmax [2,5]", inputs: [Inputs.normal([2, 5], seed: 143, scale: 2)]) { $0[0].logSoftmax() },
            GradientCase(name: "logSoftmax [2,3,4]", inputs: [N([2, 3, 4], 144)]) { $0[0].logSoftmax() },
            GradientCase(name: "dropout rate 0.3 (fixed seed)", inputs: [N([4, 5], 145)]) { xs in
                var rng = SeededGenerator(seed: 146)
                return xs[0].dropout(rate: 0.3, using: &rng)
            },
        ]
    }

    static var attentionCases: [GradientCase] {
        func sdpa(_ p: [Tensor], mask: Bool = false, causal: Bool, scale: Float? = nil) -> Tensor {
            Tensor.scaledDotProductAttention(query: p[0], key: p[1], value: p[2], mask: mask ? p[3] : nil,
                                             causal: causal, scale: scale)
        }
        return [
            GradientCase(name: "attention plain", inputs: [N([1, 2, 3, 4], 170), N([1, 2, 5, 4], 171), N([1, 2, 5, 3], 172)]) {
                sdpa($0, causal: false)
            },
            GradientCase(name: "attention causal N=M", inputs: [N([2, 2, 4, 4], 173), N([2, 2, 4, 4], 174), N([2, 2, 4, 3], 175)]) {
                sdpa($0, causal: true)
            },
            GradientCase(name: "attention causal N<M (cached keys)", inputs: [N([1, 2, 2, 4], 176), N([1, 2, 5, 4], 177), N([1, 2, 5, 4], 178)]) {
                sdpa($0, causal: true)
            },
            GradientCase(name: "attention mask [N,M]", inputs: [N([2, 2, 3, 4], 179), N([2, 2, 4, 4], 180), N([2, 2, 4, 2], 181), N([3, 4], 182)]) {
                sdpa($0, mask: true, causal: false)
            },
            GradientCase(name: "attention mask [B,1,1,M] + causal", inputs: [N([2, 2, 4, 4], 183), N([2, 2, 4, 4], 184), N([2, 2, 4, 3], 185), N([2, 1, 1, 4], 186)]) {
                sdpa($0, mask: true, causal: true)
            },
            GradientCase(name: "attention GQA Hq=4 Hkv=2 causal", inputs: [N([1, 4, 3, 4], 187), N([1, 2, 3, 4], 188), N([1, 2, 3, 2], 189)]) {
                sdpa($0, causal: true)
            },
            GradientCase(name: "attention with a probability-dropout mask, GQA, causal", inputs: [N([2, 4, 3, 4], 198), N([2, 2, 3, 4], 199), N([2, 2, 3, 3], 200)]) { p in
                var rng = SeededGenerator(seed: 201)
                let keep = Tensor.ones([2, 4, 3, 3]).dropout(rate: 0.3, using: &rng)
                return Tensor.scaledDotProductAttention(query: p[0], key: p[1], value: p[2], causal: true, dropoutMask: keep)
            },
            GradientCase(name: "attention q = k = v (same tensor)", inputs: [N([1, 2, 4, 4], 197)]) {
                Tensor.scaledDotProductAttention(query: $0[0], key: $0[0], value: $0[0], causal: true)
            },
            GradientCase(name: "attention constant -inf key-padding mask + causal", inputs: [N([2, 2, 4, 4], 194), N([2, 2, 4, 4], 195), N([2, 2, 4, 3], 196)]) { p in
                // batch 0 sees all keys; batch 1 cannot see its last key (padding).
                let padding = Tensor(shape: [2, 1, 1, 4], scalars: [0, 0, 0, 0, 0, 0, 0, -.infinity])
                return Tensor.scaledDotProductAttention(query: p[0], key: p[1], value: p[2], mask: padding, causal: true)
            },
            GradientCase(name: "attention GQA Hq=4 Hkv=1 mask [B,Hq,N,M] scale 0.3", inputs: [N([2, 4, 2, 3], 190), N([2, 1, 3, 3], 191), N([2, 1, 3, 2], 192), N([2, 4, 2, 3], 193)]) {
                sdpa($0, mask: true, causal: false, scale: 0.3)
            },
        ]
    }

    static var normalizationCases: [GradientCase] {
        [
            GradientCase(name: "layerNorm weight+bias", inputs: [N([2, 3, 6], 200), N([6], 201), N([6], 202)]) {
                $0[0].layerNormalized(weight: $0[1], bias: $0[2], epsilon: 1e-5)
            },
            GradientCase(name: "layerNorm weight only", inputs: [N([3, 5], 203), N([5], 204)]) {
                $0[0].layerNormalized(weight: $0[1], bias: nil, epsilon: 1e-5)
            },
            GradientCase(name: "layerNorm bias only", inputs: [N([3, 5], 205), N([5], 206)]) {
                $0[0].layerNormalized(weight: nil, bias: $0[1], epsilon: 1e-5)
            },
            GradientCase(name: "layerNorm no affine", inputs: [N([4, 4], 207)]) {
                $0[0].layerNormalized(weight: nil, bias: nil, epsilon: 1e-5)
            },
            GradientCase(name: "rmsNorm weight", inputs: [N([2, 3, 6], 208), N([6], 209)]) {
                $0[0].rmsNormalized(weight: $0[1], epsilon: 1e-6)
            },
            GradientCase(name: "rmsNorm no weight", inputs: [N([3, 5], 210)]) {
                $0[0].rmsNormalized(weight: nil, epsilon: 1e-6)
            },
        ]
    }

    static var convolutionCases: [GradientCase] {
        [
            GradientCase(name: "conv1d zeros(1) + bias", inputs: [N([2, 3, 8], 220), N([4, 3, 3], 221), N([4], 222)]) {
                $0[0].conv1d(weight: $0[1], bias: $0[2], padding: .zeros(1))
            },
            GradientCase(name: "conv1d stride 2, no padding, no bias", inputs: [N([2, 2, 9], 223), N([3, 2, 3], 224)]) {
                $0[0].conv1d(weight: $0[1], stride: 2)
            },
            GradientCase(name: "conv1d circular(1) kernel 3 (Time-LLM)", inputs: [N([2, 3, 6], 225), N([5, 3, 3], 226)]) {
                $0[0].conv1d(weight: $0[1], padding: .circular(1))
            },
            GradientCase(name: "conv1d circular(2) kernel 5 + bias", inputs: [N([1, 2, 7], 227), N([2, 2, 5], 228), N([2], 229)]) {
                $0[0].conv1d(weight: $0[1], bias: $0[2], padding: .circular(2))
            },
        ]
    }

    /// Several ops chained, as a layer would use them: a shared input feeding two branches.
    static var compositeCases: [GradientCase] {
        [
            GradientCase(name: "MLP block: gelu(xW+b)·V, residual", inputs: [N([2, 3, 4], 150), N([4, 6], 151), N([6], 152), N([6, 4], 153)]) { p in
                let h = (p[0].matmul(p[1]) + p[2]).gelu()
                return h.matmul(p[3]) + p[0]
            },
            GradientCase(name: "standardise over last axis", inputs: [N([2, 3, 5], 154)]) { p in
                let x = p[0]
                return (x - x.mean(axis: -1, keepDims: true)) / (x.variance(axis: -1, keepDims: true) + 1e-5).sqrt()
            },
            GradientCase(name: "softmax(QKᵀ)V", inputs: [N([2, 3, 4], 155), N([2, 3, 4], 156), N([2, 3, 4], 157)]) { p in
                (p[0].matmul(p[1], transposeB: true) * 0.5).softmax().matmul(p[2])
            },
        ]
    }

    // MARK: - Tests (grouped so a failure points at a family; each message names the op)

    func testArithmeticGradients() { Self.run(Self.arithmeticCases) }
    func testUnaryGradients() { Self.run(Self.unaryCases) }
    func testBroadcastingGradients() { Self.run(Self.broadcastCases) }
    func testReductionGradients() { Self.run(Self.reductionCases) }
    func testShapeGradients() { Self.run(Self.shapeCases) }
    func testMatmulGradients() { Self.run(Self.matmulCases) }
    func testSoftmaxAndDropoutGradients() { Self.run(Self.softmaxCases) }
    func testCompositeGradients() { Self.run(Self.compositeCases) }
    func testAttentionGradients() { Self.run(Self.attentionCases) }
    func testNormalizationGradients() { Self.run(Self.normalizationCases) }
    func testConvolutionGradients() { Self.run(Self.convolutionCases) }

    /// The checker itself must catch a wrong backward rule: a deliberately wrong gradient
    /// (the op's value is x², but the taped rule is that of 3x) must be reported.
    func testCheckerDetectsWrongGradient() {
        let wrong = GradientCase(name: "wrong", inputs: [Self.N([2, 3], 160)]) { xs in
            // value x² computed off the tape, plus a taped 3x − 3x·(detached) that adds
            // gradient 3 but no value: the taped gradient is 3, the true one 2x.
            let x = xs[0]
            return x.detached * x.detached + (x * 3 - (x * 3).detached)
        }
        XCTAssertFalse(Self.check(wrong, seed: 1).isEmpty, "gradient checker accepted a wrong gradient")
    }
}
