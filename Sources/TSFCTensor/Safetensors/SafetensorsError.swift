// SafetensorsError: everything that can be wrong with a safetensors file, each case naming the file.

/// A problem reading or writing a safetensors file.
///
/// Every case carries the path of the file concerned; `description` says what is wrong and what
/// to do about it.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened, inspected or mapped (`reason` is the system's message).
    case cannotOpen(file: String, reason: String)
    /// The path exists but is not a regular file.
    case notARegularFile(file: String)
    /// The file is shorter than the 8-byte header-length prefix.
    case truncated(file: String, size: Int)
    /// The header-length prefix is larger than the limit this reader accepts.
    case headerTooLarge(file: String, headerLength: UInt64, limit: Int)
    /// The header-length prefix points past the end of the file.
    case headerExceedsFile(file: String, headerLength: UInt64, fileSize: Int)
    /// The header is not the JSON object the format requires (`detail` says where it breaks).
    case malformedHeader(file: String, detail: String)
    /// A tensor has a dtype this reader does not know.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// A tensor's shape has a negative extent or a byte size that overflows.
    case invalidShape(file: String, tensor: String, shape: [Int])
    /// A tensor's `data_offsets` are not a pair `[begin, end]` with `begin <= end` inside the data buffer.
    case offsetsOutOfRange(file: String, tensor: String, begin: Int, end: Int, dataSize: Int)
    /// A tensor's byte range does not match its shape times its dtype size.
    case sizeMismatch(file: String, tensor: String, expectedBytes: Int, actualBytes: Int)
    /// Two tensors' byte ranges overlap.
    case overlappingTensors(file: String, first: String, second: String)
    /// Part of the data buffer belongs to no tensor (the format requires contiguous coverage).
    case uncoveredData(file: String, begin: Int, end: Int)
    /// The requested tensor is not in the file.
    case tensorNotFound(file: String, tensor: String)
    /// An integer read was asked of a floating-point tensor.
    case notAnIntegerTensor(file: String, tensor: String, dtype: String)
    /// An unsigned 64-bit value does not fit in `Int64`.
    case integerOutOfRange(file: String, tensor: String, value: UInt64)
    /// A tensor name the format reserves (`__metadata__`) or an empty name was given to the writer.
    case invalidTensorName(file: String, tensor: String)
    /// Writing failed (`reason` is the system's message); the destination was left untouched.
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            return "safetensors file \(file): cannot open it (\(reason)); check the path and its permissions"
        case let .notARegularFile(file):
            return "safetensors file \(file): not a regular file; pass the path of a .safetensors file"
        case let .truncated(file, size):
            return "safetensors file \(file): only \(size) bytes, shorter than the 8-byte header length; "
                + "the file is truncated or not a safetensors file"
        case let .headerTooLarge(file, length, limit):
            return "safetensors file \(file): header length \(length) bytes exceeds the limit of \(limit) bytes; "
                + "the file is corrupt or not a safetensors file"
        case let .headerExceedsFile(file, length, size):
            return "safetensors file \(file): header length \(length) bytes runs past the end of the file "
                + "(\(size) bytes); the file is truncated or not a safetensors file"
        case let .malformedHeader(file, detail):
            return "safetensors file \(file): malformed JSON header: \(detail); re-export the file"
        case let .unknownDType(file, tensor, dtype):
            return "safetensors file \(file): tensor '\(tensor)' has unknown dtype '\(dtype)' "
                + "(supported: \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .invalidShape(file, tensor, shape):
            return "safetensors file \(file): tensor '\(tensor)' has invalid shape \(shape) "
                + "(negative extent or too many bytes); the header is corrupt"
        case let .offsetsOutOfRange(file, tensor, begin, end, dataSize):
            return "safetensors file \(file): tensor '\(tensor)' has data_offsets [\(begin), \(end)] outside the "
                + "\(dataSize)-byte data buffer; the file is truncated or its header is corrupt"
        case let .sizeMismatch(file, tensor, expected, actual):
            return "safetensors file \(file): tensor '\(tensor)' occupies \(actual) bytes but its shape and dtype "
                + "need \(expected); the header is corrupt"
        case let .overlappingTensors(file, first, second):
            return "safetensors file \(file): the data of tensors '\(first)' and '\(second)' overlap; "
                + "the header is corrupt"
        case let .uncoveredData(file, begin, end):
            return "safetensors file \(file): bytes \(begin)..<\(end) of the data buffer belong to no tensor; "
                + "the file is corrupt or has trailing data"
        case let .tensorNotFound(file, tensor):
            return "safetensors file \(file): no tensor named '\(tensor)'; check the name against the file's tensor list"
        case let .notAnIntegerTensor(file, tensor, dtype):
            return "safetensors file \(file): tensor '\(tensor)' has floating-point dtype \(dtype); "
                + "read it as a Float tensor instead"
        case let .integerOutOfRange(file, tensor, value):
            return "safetensors file \(file): tensor '\(tensor)' holds \(value), which does not fit in Int64"
        case let .invalidTensorName(file, tensor):
            return "safetensors file \(file): cannot write a tensor named '\(tensor)'; "
                + "names must be non-empty and '__metadata__' is reserved"
        case let .writeFailed(file, reason):
            return "safetensors file \(file): writing failed (\(reason)); the destination was left unchanged"
        }
    }
}
