// SafetensorsFile: a memory-mapped, lazily converted view of a safetensors file.
// Opening maps the file and validates the whole header; tensor data is only touched (and paged
// in by the kernel) when a tensor is asked for, so opening a multi-gigabyte checkpoint is cheap.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A safetensors file mapped into memory; tensors are converted to `Float` on access.
///
/// ```swift
/// let file = try SafetensorsFile(contentsOf: url)
/// for name in file.names { print(name, try file.shape(of: name)) }
/// let weight = try file.tensor(named: "lm_head.weight")
/// ```
///
/// The whole header is validated when the file is opened (dtypes, shapes, offsets and the
/// contiguous coverage of the data buffer), so a file that opens can be read in full.
/// The mapping lives as long as this object. The file must not be truncated by another process
/// while it is mapped (the operating system would then fault on access).
public final class SafetensorsFile: @unchecked Sendable {
    /// The file this object maps.
    public let url: URL
    /// The string pairs in the header's `__metadata__` block (empty when it has none).
    public let metadata: [String: String]
    /// Names of the tensors in the file, sorted.
    public let names: [String]

    private let tensors: [String: SafetensorsTensorInfo]
    /// Start of the read-only mapping of the whole file.
    private let base: UnsafeRawPointer
    private let mappedSize: Int
    /// Offset of the data buffer from the start of the file (8 + header length).
    private let dataStart: Int

    /// Maps the file at `url` and validates its header.
    /// - Throws: `SafetensorsError` when the file cannot be opened or is not a well-formed safetensors file.
    public init(contentsOf url: URL) throws {
        let path = url.path
        self.url = url
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SafetensorsError.cannotOpen(file: path, reason: systemMessage()) }
        defer { close(fd) }

        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SafetensorsError.cannotOpen(file: path, reason: systemMessage()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw SafetensorsError.notARegularFile(file: path) }
        let size = Int(info.st_size)
        guard size >= 8 else { throw SafetensorsError.truncated(file: path, size: size) }

        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
              mapping != UnsafeMutableRawPointer(bitPattern: -1)
        else { throw SafetensorsError.cannotOpen(file: path, reason: "mmap: \(systemMessage())") }
        let base = UnsafeRawPointer(mapping)

        // From here on, release the mapping if validation fails.
        do {
            let headerLength = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
            guard headerLength <= UInt64(SafetensorsHeader.maxHeaderLength) else {
                throw SafetensorsError.headerTooLarge(
                    file: path, headerLength: headerLength, limit: SafetensorsHeader.maxHeaderLength)
            }
            guard headerLength <= UInt64(size - 8) else {
                throw SafetensorsError.headerExceedsFile(file: path, headerLength: headerLength, fileSize: size)
            }
            let dataStart = 8 + Int(headerLength)
            let header = try SafetensorsHeader.parse(
                UnsafeRawBufferPointer(start: base + 8, count: Int(headerLength)),
                dataSize: size - dataStart, file: path)
            self.tensors = header.tensors
            self.metadata = header.metadata
            self.names = header.tensors.keys.sorted()
            self.dataStart = dataStart
        } catch {
            munmap(mapping, size)
            throw error
        }
        self.base = base
        self.mappedSize = size
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), mappedSize)
    }

    /// Whether the file holds a tensor called `name`.
    public func contains(_ name: String) -> Bool { tensors[name] != nil }

    /// The shape of tensor `name`.
    public func shape(of name: String) throws -> [Int] { try info(name).shape }

    /// The stored element type of tensor `name`.
    public func dtype(of name: String) throws -> SafetensorsDType { try info(name).dtype }

    /// Reads tensor `name`, converting its elements to `Float`.
    ///
    /// F32 is copied as is; F16, BF16, F8_E4M3, F8_E5M2 and F64 are converted (all exactly except
    /// F64, which is rounded to nearest); integers become the nearest `Float` (exact up to 2²⁴ in magnitude — use
    /// `tensorInt64(named:)` for exact token ids); BOOL becomes 0 or 1.
    public func tensor(named name: String) throws -> Tensor {
        let info = try info(name)
        let bytes = UnsafeRawBufferPointer(start: base + dataStart + info.begin, count: info.end - info.begin)
        let scalars = [Float](unsafeUninitializedCapacity: info.count) { buffer, initialized in
            convertToFloat(bytes, dtype: info.dtype, into: buffer)
            initialized = info.count
        }
        return Tensor(shape: info.shape, scalars: scalars)
    }

    /// Reads integer (or BOOL) tensor `name` exactly, as `Int64`, with its shape.
    /// - Throws: `SafetensorsError.notAnIntegerTensor` for floating-point tensors, and
    ///   `.integerOutOfRange` for a U64 value above `Int64.max`.
    public func tensorInt64(named name: String) throws -> (shape: [Int], values: [Int64]) {
        let info = try info(name)
        guard info.dtype.isInteger else {
            throw SafetensorsError.notAnIntegerTensor(file: url.path, tensor: name, dtype: info.dtype.rawValue)
        }
        let bytes = UnsafeRawBufferPointer(start: base + dataStart + info.begin, count: info.end - info.begin)
        var values = [Int64](repeating: 0, count: info.count)
        for i in 0..<info.count {
            switch info.dtype {
            case .int64: values[i] = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))
            case .int32: values[i] = Int64(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
            case .int16: values[i] = Int64(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
            case .int8: values[i] = Int64(Int8(bitPattern: bytes[i]))
            case .uint64:
                let v = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                guard let exact = Int64(exactly: v) else {
                    throw SafetensorsError.integerOutOfRange(file: url.path, tensor: name, value: v)
                }
                values[i] = exact
            case .uint32: values[i] = Int64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            case .uint16: values[i] = Int64(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            case .uint8: values[i] = Int64(bytes[i])
            case .bool: values[i] = bytes[i] == 0 ? 0 : 1
            case .float64, .float32, .float16, .bfloat16, .float8E4M3, .float8E5M2:
                break  // excluded by the guard above
            }
        }
        return (info.shape, values)
    }

    private func info(_ name: String) throws -> SafetensorsTensorInfo {
        guard let info = tensors[name] else { throw SafetensorsError.tensorNotFound(file: url.path, tensor: name) }
        return info
    }
}

/// Converts `bytes` (little-endian elements of `dtype`) into `out`, which has one slot per element.
func convertToFloat(_ bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType, into out: UnsafeMutableBufferPointer<Float>) {
    let n = out.count
    guard n > 0, let src = bytes.baseAddress, let dst = out.baseAddress else { return }
    switch dtype {
    case .float32:
        #if _endian(little)
        UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: 4 * n)
        #else
        for i in 0..<n { dst[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        #endif
    case .float16:
        for i in 0..<n { dst[i] = floatFromHalfBits(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
    case .bfloat16:
        for i in 0..<n { dst[i] = floatFromBFloat16Bits(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
    case .float8E4M3:
        for i in 0..<n { dst[i] = floatFromFloat8E4M3Bits(src.load(fromByteOffset: i, as: UInt8.self)) }
    case .float8E5M2:
        for i in 0..<n { dst[i] = floatFromFloat8E5M2Bits(src.load(fromByteOffset: i, as: UInt8.self)) }
    case .float64:
        for i in 0..<n { dst[i] = Float(Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
    case .int64:
        for i in 0..<n { dst[i] = Float(Int64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
    case .int32:
        for i in 0..<n { dst[i] = Float(Int32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
    case .int16:
        for i in 0..<n { dst[i] = Float(Int16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))) }
    case .int8:
        for i in 0..<n { dst[i] = Float(Int8(bitPattern: src.load(fromByteOffset: i, as: UInt8.self))) }
    case .uint64:
        for i in 0..<n { dst[i] = Float(UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))) }
    case .uint32:
        for i in 0..<n { dst[i] = Float(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
    case .uint16:
        for i in 0..<n { dst[i] = Float(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
    case .uint8:
        for i in 0..<n { dst[i] = Float(src.load(fromByteOffset: i, as: UInt8.self)) }
    case .bool:
        for i in 0..<n { dst[i] = src.load(fromByteOffset: i, as: UInt8.self) == 0 ? 0 : 1 }
    }
}

/// The current `errno` as text.
func systemMessage() -> String {
    String(cString: strerror(errno))
}
