// Companion-matrix kernels of SpaceTime — Zhang et al., "Effectively Modeling Time Series with
// Simple Discrete State Spaces" (ICLR 2023), §3.1–3.2.
//
// A = S + a e_dᵀ: the shift matrix S (ones on the sub-diagonal) plus a learnable last column a.
// Applying A to a vector costs O(d): (A v)_0 = a_0 v_{d−1}, (A v)_i = v_{i−1} + a_i v_{d−1}.
// The Krylov states A^j b for j < L follow by iterating that product, so the convolution kernel
// K_j = cᵀ A^j b costs O(d·L) with no matrix powers (the reference's `krylov` squares dense
// matrices instead). Everything is built from differentiable tensor ops, so the gradient tape
// differentiates through the recurrence.
import TSFCTensor

/// Companion-matrix SSM kernels and the causal long convolution they feed.
public enum Companion {
    /// The last column a `[K, d]` scaled so that Σ|a_i| ≤ 1 per row: a / max(1, ‖a‖₁).
    /// Every root of z^d − a_{d−1}z^{d−1} − … − a_0 then has |z| ≤ 1 (the reference divides by
    /// ‖a‖₁ unconditionally; scaling only above 1 keeps a = 0, the pure shift, representable).
    public static func normalizedColumn(_ a: Tensor) -> Tensor {
        let norm = a.abs().sum(axes: [1], keepDims: true).maximum(Tensor(1))  // [K, 1]
        return a / norm                                                          // [K, d]
    }

    /// Each row divided by its L1 norm, `[K, d]` (the reference's `norm_order: 1` normalisation of
    /// a, and of b, c and k in the closed loop). Rows with ‖v‖₁ < 1e-4 are divided by 1e-4, so a
    /// vector at zero stays finite (the reference skips the division there).
    public static func unitRows(_ v: Tensor) -> Tensor {
        v / v.abs().sum(axes: [1], keepDims: true).maximum(Tensor(1e-4))           // [K, d]
    }

    /// A v for each row: v `[K, d]`, a `[K, d]` → `[K, d]`, O(d) per row.
    public static func apply(column a: Tensor, to v: Tensor) -> Tensor {
        let d = v.shape[1]
        let last = v.slice(axis: 1, (d - 1)..<d)                                  // [K, 1]
        let shifted = v.slice(axis: 1, 0..<(d - 1)).padded(axis: 1, before: 1, after: 0)  // [K, d]
        return shifted + a * last
    }

    /// Krylov states `[K, L, d]`: entry [k, j, :] = A_k^j b_k, by the O(d·L) recurrence.
    /// `a` is used as given (normalise it first); a `[K, d]`, b `[K, d]`.
    public static func krylov(column a: Tensor, b: Tensor, length: Int) -> Tensor {
        precondition(length >= 1 && a.shape == b.shape && a.rank == 2 && a.shape[1] >= 2,
                     "Companion.krylov: a \(a.shape), b \(b.shape) must be [K, d ≥ 2], length ≥ 1")
        var v = b
        var states = [v]                                                          // L × [K, d]
        states.reserveCapacity(length)
        for _ in 1..<length {
            v = apply(column: a, to: v)
            states.append(v)
        }
        return Tensor.stack(states, axis: 1)                                      // [K, L, d]
    }

    /// Convolution kernel `[K, L]`: K_j = cᵀ A^j b for j < L (O(d·L)).
    public static func kernel(column a: Tensor, b: Tensor, c: Tensor, length: Int) -> Tensor {
        contract(krylov(column: a, b: b, length: length), with: c)
    }

    /// Σ_m states[k, j, m] · v[k, m]: states `[K, L, d]`, v `[K, d]` → `[K, L]`.
    public static func contract(_ states: Tensor, with v: Tensor) -> Tensor {
        (states * v.unsqueezed(axis: 1)).sum(axes: [2])                           // [K, L]
    }

    /// The closed-loop scale σ `[K, 1]` of M = A + b kᵀ: 1 / max(1, min(‖M‖₁, ‖M‖_∞)) (largest
    /// column and row L1 sums), so M̃ = σM has ‖M̃‖ ≤ 1 in one of the two norms and a rollout of
    /// any length stays bounded. A itself (k = 0, Σ|a| ≤ 1) has ‖A‖₁ = 1 and the textbook AR
    /// companion S + e₁φᵀ has ‖·‖_∞ = 1 when Σ|φ| ≤ 1: both are left exactly as they are.
    /// (The reference instead L1-normalises a, b and k each and does not bound the matrix; see
    /// `SpaceTimeNormalization.reference`.)
    public static func closedLoopScale(column a: Tensor, b: Tensor, k: Tensor) -> Tensor {
        let kk = a.shape[0], d = a.shape[1]
        var shift = [Float](repeating: 0, count: d * d)
        for i in 1..<d { shift[i * d + (i - 1)] = 1 }
        var lastUnit = [Float](repeating: 0, count: d)
        lastUnit[d - 1] = 1
        let s = Tensor(shape: [1, d, d], scalars: shift)                          // [1, d, d]
        let ed = Tensor(shape: [1, 1, d], scalars: lastUnit)                      // [1, 1, d]
        let m = (s + a.reshaped([kk, d, 1]) * ed + b.reshaped([kk, d, 1]) * k.reshaped([kk, 1, d])).abs()  // |M| [K, d, d]
        let columnNorm = m.sum(axes: [1]).max(axis: 1, keepDims: true)           // [K, 1]
        let rowNorm = m.sum(axes: [2]).max(axis: 1, keepDims: true)              // [K, 1]
        let smaller = Tensor(0) - (Tensor(0) - columnNorm).maximum(Tensor(0) - rowNorm)  // min, [K, 1]
        return 1 / smaller.maximum(Tensor(1))                                     // [K, 1]
    }

    /// r M̃ for row vectors r `[K, d]`, where M̃ = σ(A + b kᵀ): (rA)_j = r_{j+1} for j < d−1,
    /// (rA)_{d−1} = r·a, plus (r·b) kᵀ, times σ `[K, 1]` (nil: σ = 1). O(d) per row.
    public static func applyClosedLoopTransposed(column a: Tensor, b: Tensor, k: Tensor, scale: Tensor?,
                                                 to r: Tensor) -> Tensor {
        let rb = (r * b).sum(axes: [1], keepDims: true)                           // [K, 1]
        let product = applyTransposed(column: a, to: r) + rb * k                  // [K, d]
        guard let scale else { return product }
        return product * scale                                                    // [K, d]
    }

    /// Rows cᵀ M̃^h for h < H: `[K, H, d]` (the closed-loop output map of each rollout step).
    /// With `scaled: false` the matrix is used as given, M̃ = A + b kᵀ.
    public static func closedLoopOutputMaps(column a: Tensor, b: Tensor, c: Tensor, k: Tensor,
                                            horizon: Int, scaled: Bool = true) -> Tensor {
        let scale = scaled ? closedLoopScale(column: a, b: b, k: k) : nil        // [K, 1]
        var r = c
        var rows = [r]
        rows.reserveCapacity(horizon)
        for _ in 1..<Swift.max(horizon, 1) {
            r = applyClosedLoopTransposed(column: a, b: b, k: k, scale: scale, to: r)
            rows.append(r)
        }
        return Tensor.stack(rows, axis: 1)                                        // [K, H, d]
    }

    /// Causal convolution y[b, ch, t] = Σ_{s ≤ t} kernel[ch / g, t − s] · u[b, ch, s] of inputs
    /// `[B, C, L]` with kernels `[K, Lk]`, where each kernel serves g = C / K consecutive channels
    /// (SpaceTime's heads). Kernels are cut or zero-padded to L. Computed as one batched matmul
    /// with each kernel's L × L lower-triangular Toeplitz matrix (direct O(L²) per channel;
    /// the reference uses an FFT).
    public static func causalConvolution(_ u: Tensor, kernel: Tensor) -> Tensor {
        precondition(u.rank == 3 && kernel.rank == 2 && u.shape[1] % kernel.shape[0] == 0,
                     "Companion.causalConvolution: input \(u.shape) and kernel \(kernel.shape) do not match ([B, C, L], [K, Lk], C a multiple of K)")
        let b = u.shape[0], c = u.shape[1], l = u.shape[2], kk = kernel.shape[0], g = c / kk
        var taps = kernel
        if taps.shape[1] > l { taps = taps.slice(axis: 1, 0..<l) }
        if taps.shape[1] < l { taps = taps.padded(axis: 1, before: 0, after: l - taps.shape[1]) }  // [K, L]
        let reversedIndices = Array((0..<l).reversed())
        // R = [K_{L−1}, …, K_0, 0 × (L−1)]; window w of R is Toeplitz row t = L−1−w.
        let r = taps.indexSelect(axis: 1, indices: reversedIndices)
            .padded(axis: 1, before: 0, after: l - 1)                              // [K, 2L−1]
        let hankel = r.unfolded(axis: 1, size: l, stride: 1)                       // [K, L(w), L(s)]
        let inputs = u.reshaped([b, kk, g, l]).permuted([1, 3, 2, 0]).reshaped([kk, l, g * b])  // [K, L, g·B]
        let byWindow = hankel.matmul(inputs)                                        // [K, L(w), g·B]
        return byWindow.reshaped([kk, l, g, b])
            .indexSelect(axis: 1, indices: reversedIndices)                         // [K, L(t), g, B]
            .permuted([3, 0, 2, 1]).reshaped([b, c, l])                             // [B, C, L]
    }

    /// The state after the last input: x_{L−1} = Σ_s A^{L−1−s} b u_s, for inputs `[B, C, L]`
    /// and Krylov states `[C, ≥L, d]` (one kernel per channel) → `[C, B, d]`.
    public static func finalState(_ u: Tensor, krylov states: Tensor) -> Tensor {
        let l = u.shape[2]
        let reversed = states.slice(axis: 1, 0..<l)
            .indexSelect(axis: 1, indices: Array((0..<l).reversed()))              // [C, L, d]: row s = A^{L−1−s} b
        return u.permuted([1, 0, 2]).matmul(reversed)                              // [C, B, d]
    }

    /// rA for row vectors r `[K, d]`: (rA)_j = r_{j+1} for j < d−1 and (rA)_{d−1} = r·a. O(d).
    public static func applyTransposed(column a: Tensor, to r: Tensor) -> Tensor {
        let d = r.shape[1]
        let shifted = r.slice(axis: 1, 1..<d).padded(axis: 1, before: 0, after: 1)    // [K, d]
        let ra = (r * a).sum(axes: [1], keepDims: true)                              // [K, 1]
        return shifted + ra.padded(axis: 1, before: d - 1, after: 0)
    }

    /// Lower-triangular Toeplitz matrices T[k, t, s] = kernel[k, t − s] (0 for s > t): `[K, P]` → `[K, P, P]`.
    public static func toeplitz(_ kernel: Tensor) -> Tensor {
        let p = kernel.shape[1]
        let reversed = Array((0..<p).reversed())
        return kernel.indexSelect(axis: 1, indices: reversed)
            .padded(axis: 1, before: 0, after: p - 1)                                 // [K, 2P−1]
            .unfolded(axis: 1, size: p, stride: 1)                                    // [K, P(w), P]: row w is t = P−1−w
            .indexSelect(axis: 1, indices: reversed)                                  // [K, P(t), P(s)]
    }

    /// The companion SSM's outputs wᵀx_t for several read-out vectors w, where
    /// x_t = A x_{t−1} + b u_t, by chunks of P points: inside a chunk a P × P Toeplitz product,
    /// across chunks the d-dimensional state (carried by the dense A^P, built by P structured
    /// steps). O(L·(P + d)) per channel and memory linear in L — the same numbers as
    /// `causalConvolution` with kernels wᵀA^j b, which is O(L²).
    ///
    /// - Parameters: u `[B, C, L]`; a (normalised) and b `[K, d]`, kernel k serving channels
    ///   k·g ..< (k+1)·g; readouts each `[K, d]`; chunk P ≥ 1.
    /// - Returns: one `[B, C, L]` per read-out vector.
    public static func chunkedConvolution(_ u: Tensor, column a: Tensor, b bVec: Tensor, readouts: [Tensor],
                                          chunk: Int) -> [Tensor] {
        precondition(u.rank == 3 && a.rank == 2 && u.shape[1] % a.shape[0] == 0 && chunk >= 1,
                     "Companion.chunkedConvolution: input \(u.shape), a \(a.shape), chunk \(chunk)")
        let batch = u.shape[0], c = u.shape[1], l = u.shape[2], kk = a.shape[0], d = a.shape[1]
        let g = c / kk, cols = g * batch
        let p = Swift.min(chunk, l), n = (l + p - 1) / p, lp = n * p
        let padded = lp > l ? u.padded(axis: 2, before: 0, after: lp - l) : u          // [B, C, nP]
        let uk = padded.reshaped([batch, kk, g, n, p]).permuted([1, 3, 4, 2, 0])
            .reshaped([kk, n, p, cols])                                                 // [K, n, P, G]
        let states = krylov(column: a, b: bVec, length: p)                              // [K, P, d]: A^j b
        // End-of-chunk contributions Σ_s A^{P−1−s} b u_s of each chunk alone.
        let reversedStates = states.indexSelect(axis: 1, indices: Array((0..<p).reversed()))  // [K, P, d]
        let local = uk.permuted([0, 1, 3, 2]).matmul(reversedStates.reshaped([kk, 1, p, d]))   // [K, n, G, d]
        // (A^P)ᵀ: row i holds A^P e_i (P structured steps on the d unit vectors).
        var carriedStates: [Tensor] = [Tensor.zeros([kk, 1, cols, d])]                 // state entering chunk 0
        if n > 1 {
            var identity = [Float](repeating: 0, count: kk * d * d)
            for k in 0..<kk { for i in 0..<d { identity[(k * d + i) * d + i] = 1 } }
            let aRows = a.repeatedInterleaved(axis: 0, times: d)                         // [K·d, d]
            var v = Tensor(shape: [kk * d, d], scalars: identity)
            for _ in 0..<p { v = apply(column: aRows, to: v) }
            let powerT = v.reshaped([kk, d, d])                                          // [K, d, d] = (A^P)ᵀ
            var x = local.slice(axis: 1, 0..<1).reshaped([kk, cols, d])                  // [K, G, d] after chunk 0
            carriedStates.append(x.reshaped([kk, 1, cols, d]))
            for q in 1..<(n - 1) {
                x = x.matmul(powerT) + local.slice(axis: 1, q..<(q + 1)).reshaped([kk, cols, d])
                carriedStates.append(x.reshaped([kk, 1, cols, d]))
            }
        }
        let carried = Tensor.concat(carriedStates, axis: 1)                             // [K, n, G, d]
        return readouts.map { w in
            let intra = toeplitz(contract(states, with: w)).reshaped([kk, 1, p, p]).matmul(uk)  // [K, n, P, G]
            // Read-out maps wᵀA^{j+1}, j < P: the carried state's effect on each chunk point.
            var r = applyTransposed(column: a, to: w)
            var maps = [r]
            for _ in 1..<p {
                r = applyTransposed(column: a, to: r)
                maps.append(r)
            }
            let readMaps = Tensor.stack(maps, axis: 1)                                  // [K, P, d]
            let inter = carried.matmul(readMaps.reshaped([kk, 1, p, d]), transposeB: true)  // [K, n, G, P]
            let y = intra + inter.permuted([0, 1, 3, 2])                                // [K, n, P, G]
            let out = y.reshaped([kk, n, p, g, batch]).permuted([4, 0, 3, 1, 2]).reshaped([batch, c, lp])
            return lp > l ? out.slice(axis: 2, 0..<l) : out                             // [B, C, L]
        }
    }
}
