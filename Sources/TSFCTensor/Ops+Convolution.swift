// 1-D convolution (cross-correlation, as torch's Conv1d) by im2col over `unfolded` + matmul,
// so its gradient comes from those ops. Time-LLM embeds patches with a kernel-3 circular conv.

/// How `conv1d` pads the time axis.
public enum ConvolutionPadding: Equatable, Sendable {
    /// `n` zeros on each side.
    case zeros(Int)
    /// `n` values wrapped around from the other end on each side (torch `padding_mode="circular"`).
    case circular(Int)
}

extension Tensor {
    /// Conv1d: input `[B, Cin, L]`, weight `[Cout, Cin, K]`, optional bias `[Cout]` →
    /// `[B, Cout, Lout]` with Lout = (L + 2p − K) / stride + 1.
    public func conv1d(weight: Tensor, bias: Tensor? = nil, stride: Int = 1,
                       padding: ConvolutionPadding = .zeros(0)) -> Tensor {
        precondition(rank == 3 && weight.rank == 3 && weight.shape[1] == shape[1],
                     "conv1d: input \(shape) and weight \(weight.shape) do not match ([B, Cin, L], [Cout, Cin, K])")
        let b = shape[0], cin = shape[1], cout = weight.shape[0], k = weight.shape[2]
        var x = self  // [B, Cin, L]
        switch padding {
        case .zeros(let p) where p > 0:
            x = x.padded(axis: 2, before: p, after: p)
        case .circular(let p) where p > 0:
            let l = shape[2]
            precondition(p <= l, "conv1d: circular padding \(p) exceeds length \(l)")
            x = Tensor.concat([x.slice(axis: 2, (l - p)..<l), x, x.slice(axis: 2, 0..<p)], axis: 2)
        default:
            break
        }
        let cols = x.unfolded(axis: 2, size: k, stride: stride)        // [B, Cin, Lout, K]
        let lout = cols.shape[2]
        let rowsMatrix = cols.permuted([0, 2, 1, 3]).reshaped([b * lout, cin * k])  // [B·Lout, Cin·K]
        var y = rowsMatrix.matmul(weight.reshaped([cout, cin * k]), transposeB: true)  // [B·Lout, Cout]
        if let bias { y = y + bias }
        return y.reshaped([b, lout, cout]).permuted([0, 2, 1])            // [B, Cout, Lout]
    }
}
