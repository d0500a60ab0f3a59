// Elementwise ops with numpy broadcasting and their gradients.
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Unary map engine

protocol UnaryKernel {
    static func apply(_ x: Float) -> Float
}

func unaryMap<K: UnaryKernel>(_ x: Tensor, _: K.Type) -> Tensor {
    var out = uninitializedScalars(x.count)
    x.storage.withUnsafeBufferPointer { px in
        out.withUnsafeMutableBufferPointer { po in
            let px = px.baseAddress!, po = po.baseAddress!
            parallelRange(x.count, grain: Threading.grainSize / 8) { s, e in
                for i in s..<e { po[i] = K.apply(px[i]) }
            }
        }
    }
    return Tensor(shape: x.shape, scalars: out)
}

/// Elementwise map by a closure (not vectorised; for cold paths and tests).
extension Tensor {
    public func map(_ f: (Float) -> Float) -> Tensor {
        Tensor(shape: shape, scalars: storage.map(f))
    }
}

enum ExpK: UnaryKernel { static func apply(_ x: Float) -> Float { expf(x) } }
enum LogK: UnaryKernel { static func apply(_ x: Float) -> Float { logf(x) } }
enum SqrtK: UnaryKernel { static func apply(_ x: Float) -> Float { x.squareRoot() } }
enum AbsK: UnaryKernel { static func apply(_ x: Float) -> Float { Swift.abs(x) } }
enum SignK: UnaryKernel { static func apply(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) } }
enum TanhK: UnaryKernel { static func apply(_ x: Float) -> Float { tanhf(x) } }
enum NegK: UnaryKernel { static func apply(_ x: Float) -> Float { -x } }
enum SigmoidK: UnaryKernel {
    static func apply(_ x: Float) -> Float { x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x)) }
}
enum ReluK: UnaryKernel { static func apply(_ x: Float) -> Float { x > 0 ? x : 0 } }
enum StepK: UnaryKernel { static func apply(_ x: Float) -> Float { x > 0 ? 1 : 0 } }
enum SiluK: UnaryKernel {
    static func apply(_ x: Float) -> Float { x * SigmoidK.apply(x) }
}
enum SiluGradK: UnaryKernel {
    static func apply(_ x: Float) -> Float { let s = SigmoidK.apply(x); return s * (1 + x * (1 - s)) }
}

// MARK: - Binary ops

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        var out = broadcastBinary(a, b, AddKernel.self, op: "add")
        let sa = a.shape, sb = b.shape
        record(&out, inputs: [a, b]) { g in [g.sumToShape(sa), g.sumToShape(sb)] }
        return out
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        var out = broadcastBinary(a, b, SubKernel.self, op: "sub")
        let sa = a.shape, sb = b.shape
        record(&out, inputs: [a, b]) { g in [g.sumToShape(sa), (-g).sumToShape(sb)] }
        return out
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        var out = broadcastBinary(a, b, MulKernel.self, op: "mul")
        record(&out, inputs: [a, b]) { g in
            [a.isTrackedOrAny ? (g * b.detached).sumToShape(a.shape) : nil,
             b.isTrackedOrAny ? (g * a.detached).sumToShape(b.shape) : nil]
        }
        return out
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        var out = broadcastBinary(a, b, DivKernel.self, op: "div")
        record(&out, inputs: [a, b]) { g in
            let bd = b.detached
            return [(g / bd).sumToShape(a.shape), (-(g * a.detached) / (bd * bd)).sumToShape(b.shape)]
        }
        return out
    }

    /// Elementwise negation.
    public static prefix func - (x: Tensor) -> Tensor {
        var out = unaryMap(x, NegK.self)
        record(&out, inputs: [x]) { g in [-g] }
        return out
    }

    public static func + (a: Tensor, b: Float) -> Tensor { a + Tensor(b) }
    public static func - (a: Tensor, b: Float) -> Tensor { a - Tensor(b) }
    public static func * (a: Tensor, b: Float) -> Tensor { a * Tensor(b) }
    public static func / (a: Tensor, b: Float) -> Tensor { a / Tensor(b) }
    public static func + (a: Float, b: Tensor) -> Tensor { Tensor(a) + b }
    public static func - (a: Float, b: Tensor) -> Tensor { Tensor(a) - b }
    public static func * (a: Float, b: Tensor) -> Tensor { Tensor(a) * b }
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(a) / b }

    /// Elementwise maximum with broadcasting (gradient goes to the larger; ties to the first).
    public func maximum(_ other: Tensor) -> Tensor {
        var out = broadcastBinary(self, other, MaxKernel.self, op: "maximum")
        let a = self.detached, b = other.detached
        Tensor.record(&out, inputs: [self, other]) { g in
            let maskA = broadcastBinary(a, b, GreaterEqualKernel.self, op: "maximum")
            return [(g * maskA).sumToShape(a.shape), (g * (1 - maskA)).sumToShape(b.shape)]
        }
        return out
    }

    /// Elementwise power `self ** exponent` for a constant exponent.
    public func pow(_ exponent: Float) -> Tensor {
        var out = broadcastBinary(self, Tensor(exponent), PowKernel.self, op: "pow")
        let x = self.detached
        Tensor.record(&out, inputs: [self]) { g in
            // x⁰ is constant: its gradient is 0 everywhere (0·x⁻¹ would give NaN at x = 0).
            if exponent == 0 { return [Tensor.zeros(x.shape)] }
            return [g * (exponent * broadcastBinary(x, Tensor(exponent - 1), PowKernel.self, op: "pow"))]
        }
        return out
    }

    /// Elementwise power with a tensor exponent (base must be positive where differentiated
    /// with respect to the exponent).
    public func pow(_ exponent: Tensor) -> Tensor {
        var out = broadcastBinary(self, exponent, PowKernel.self, op: "pow")
        let x = self.detached, p = exponent.detached, y = out.detached
        Tensor.record(&out, inputs: [self, exponent]) { g in
            [(g * p * broadcastBinary(x, p - 1, PowKernel.self, op: "pow")).sumToShape(x.shape),
             (g * y * x.log()).sumToShape(p.shape)]
        }
        return out
    }

    /// Whether this tensor could need a gradient (tracked on the active or any tape).
    var isTrackedOrAny: Bool { tapeIndex >= 0 }
}

enum GreaterEqualKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 }
}

// MARK: - Unary math

extension Tensor {
    /// eˣ elementwise.
    public func exp() -> Tensor {
        var out = unaryMap(self, ExpK.self)
        let y = out.detached
        Tensor.record(&out, inputs: [self]) { g in [g * y] }
        return out
    }

    /// Natural logarithm elementwise.
    public func log() -> Tensor {
        var out = unaryMap(self, LogK.self)
        let x = self.detached
        Tensor.record(&out, inputs: [self]) { g in [g / x] }
        return out
    }

    /// Square root elementwise.
    public func sqrt() -> Tensor {
        var out = unaryMap(self, SqrtK.self)
        let y = out.detached
        Tensor.record(&out, inputs: [self]) { g in [g / (2 * y)] }
        return out
    }

    /// Absolute value elementwise (subgradient 0 at 0).
    public func abs() -> Tensor {
        var out = unaryMap(self, AbsK.self)
        let x = self.detached
        Tensor.record(&out, inputs: [self]) { g in [g * unaryMap(x, SignK.self)] }
        return out
    }

    /// Hyperbolic tangent elementwise.
    public func tanh() -> Tensor {
        var out = unaryMap(self, TanhK.self)
        let y = out.detached
        Tensor.record(&out, inputs: [self]) { g in [g * (1 - y * y)] }
        return out
    }

    /// Logistic sigmoid elementwise.
    public func sigmoid() -> Tensor {
        var out = unaryMap(self, SigmoidK.self)
        let y = out.detached
        Tensor.record(&out, inputs: [self]) { g in [g * y * (1 - y)] }
        return out
    }

    /// max(x, 0) elementwise.
    public func relu() -> Tensor {
        var out = unaryMap(self, ReluK.self)
        let x = self.detached
        Tensor.record(&out, inputs: [self]) { g in [g * unaryMap(x, StepK.self)] }
        return out
    }

    /// x·σ(x) elementwise (SiLU / swish).
    public func silu() -> Tensor {
        var out = unaryMap(self, SiluK.self)
        let x = self.detached
        Tensor.record(&out, inputs: [self]) { g in [g * unaryMap(x, SiluGradK.self)] }
        return out
    }

    /// GELU elementwise; `approximate: true` uses the tanh form (GPT-2's `gelu_new`).
    public func gelu(approximate: Bool = false) -> Tensor {
        let x = self.detached
        // Both forms run on SIMD lanes (VectorMath: Φ for the exact form, tanh for GPT-2's);
        // the backward is fused: one pass computes g·GELU'(x) without materialising GELU'(x).
        let forward: (Float8) -> Float8 = approximate ? VectorMath.geluTanh : VectorMath.gelu
        let derivative: (Float8) -> Float8 = approximate ? VectorMath.geluTanhDerivative : VectorMath.geluDerivative
        let n = count
        if n == 0 { return self.detached }
        let y = [Float](unsafeUninitializedCapacity: n) { buf, initialized in
            storage.withUnsafeBufferPointer { px in
                let px = px.baseAddress!, po = buf.baseAddress!
                parallelRange(n, grain: Threading.grainSize / 8) { s, e in
                    VectorMath.map(px + s, po + s, e - s, forward)
                }
            }
            initialized = n
        }
        var out = Tensor(shape: shape, scalars: y)
        Tensor.record(&out, inputs: [self]) { g in
            let dx = [Float](unsafeUninitializedCapacity: n) { buf, initialized in
                x.storage.withUnsafeBufferPointer { px in
                    g.storage.withUnsafeBufferPointer { pg in
                        let px = px.baseAddress!, pg = pg.baseAddress!, po = buf.baseAddress!
                        parallelRange(n, grain: Threading.grainSize / 8) { s, e in
                            VectorMath.mapScaled(px + s, pg + s, po + s, e - s, derivative)
                        }
                    }
                }
                initialized = n
            }
            return [Tensor(shape: x.shape, scalars: dx)]
        }
        return out
    }

    /// Clamps every element to `[lower, upper]` (gradient passes only strictly inside).
    public func clamped(min lower: Float, max upper: Float) -> Tensor {
        precondition(lower <= upper, "clamped: lower \(lower) > upper \(upper)")
        var out = map { Swift.min(Swift.max($0, lower), upper) }
        let x = self.detached
        Tensor.record(&out, inputs: [self]) { g in
            [g * x.map { $0 > lower && $0 < upper ? 1 : 0 }]
        }
        return out
    }

    /// Elementwise square.
    public func squared() -> Tensor { self * self }
}
