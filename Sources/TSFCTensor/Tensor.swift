// Tensor: the n-dimensional Float32 array at the centre of tsfc.
// Row-major, value semantics with copy-on-write storage (a Swift array), numpy broadcasting.
// While a `GradientTape` records, every differentiable op on a watched tensor pushes its
// backward rule onto the tape (see GradientTape.swift).

/// An n-dimensional array of `Float` in row-major order.
///
/// `Tensor` is a value type: copies share storage until one of them is written (copy-on-write).
/// Operations broadcast like numpy. Shapes are `[Int]`; a scalar has shape `[]`.
public struct Tensor: @unchecked Sendable {
    /// The extent of each axis, outermost first.
    public internal(set) var shape: [Int]
    var storage: [Float]
    /// Position of this tensor on the active tape, or -1 when it is not being tracked.
    var tapeIndex: Int = -1
    /// Generation of the tape `tapeIndex` refers to; guards against stale indices.
    var tapeGeneration: Int = 0

    /// Creates a tensor from a shape and its scalars in row-major order.
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor(shape:scalars:): negative extent in \(shape)")
        precondition(
            shapeCount(shape) == scalars.count,
            "Tensor(shape:scalars:): shape \(shape) needs \(shapeCount(shape)) scalars, got \(scalars.count)")
        self.shape = shape
        self.storage = scalars
    }

    /// Creates a rank-0 tensor holding one value.
    public init(_ value: Float) { self.init(shape: [], scalars: [value]) }

    /// Creates a 1-D tensor from an array.
    public init(_ values: [Float]) { self.init(shape: [values.count], scalars: values) }

    /// Creates a tensor with every element set to `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shapeCount(shape)))
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// The scalars in row-major order.
    public var scalars: [Float] { storage }
    /// Number of elements.
    public var count: Int { storage.count }
    /// Number of axes.
    public var rank: Int { shape.count }
    /// The single value of a one-element tensor.
    public var item: Float {
        precondition(storage.count == 1, "Tensor.item: tensor of shape \(shape) has \(storage.count) elements")
        return storage[0]
    }

    /// Reads the element at a full multi-index (for tests and small tensors; not for hot loops).
    public subscript(_ index: Int...) -> Float {
        precondition(index.count == shape.count, "Tensor subscript: \(index.count) indices for shape \(shape)")
        var offset = 0
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "Tensor subscript: index \(index) out of range for shape \(shape)")
            offset = offset * shape[axis] + i
        }
        return storage[offset]
    }

    /// Calls `body` with a pointer to the scalars.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with a mutable pointer to the scalars (copying first if storage is shared).
    /// Writing through it bypasses the gradient tape.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }

    /// This tensor's values without any link to the gradient tape.
    public var detached: Tensor {
        var copy = self
        copy.tapeIndex = -1
        return copy
    }
}

/// An array of `count` floats with unspecified contents, for kernel outputs that are written
/// in full before being read (saves the zero fill and its memory traffic).
@inline(__always)
func uninitializedScalars(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

/// Product of the extents of a shape (1 for a scalar).
public func shapeCount(_ shape: [Int]) -> Int {
    var n = 1
    for d in shape { n &*= d }
    return n
}

/// Row-major strides for a shape.
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[axis] = s
        s &*= shape[axis]
    }
    return strides
}

/// Resolves a possibly negative axis against a rank.
func normalizeAxis(_ axis: Int, rank: Int, op: String) -> Int {
    let a = axis < 0 ? axis + rank : axis
    precondition(a >= 0 && a < rank, "\(op): axis \(axis) out of range for rank \(rank)")
    return a
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = storage.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(preview)\(storage.count > 8 ? ", …" : "")])"
    }
}

extension Tensor {
    /// True when both tensors have the same shape and every pair of elements differs by at most
    /// `atol + rtol * |other|`.
    public func isAlmostEqual(to other: Tensor, atol: Float = 1e-5, rtol: Float = 1e-5) -> Bool {
        guard shape == other.shape else { return false }
        for i in 0..<storage.count {
            let a = storage[i], b = other.storage[i]
            if a.isNaN || b.isNaN { return false }
            if Swift.abs(a - b) > atol + rtol * Swift.abs(b) { return false }
        }
        return true
    }

    /// Largest absolute element-wise difference to a tensor of the same shape.
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "maxAbsDifference: shapes \(shape) and \(other.shape) differ")
        var m: Float = 0
        for i in 0..<storage.count { m = Swift.max(m, Swift.abs(storage[i] - other.storage[i])) }
        return m
    }
}
