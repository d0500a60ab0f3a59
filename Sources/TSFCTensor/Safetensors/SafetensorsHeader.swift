// SafetensorsHeader: the dtypes of the format and the parsing and validation of its JSON header.
//
// Layout of a safetensors file:
//   [8 bytes: little-endian UInt64 N][N bytes: JSON header][data buffer]
// The header maps tensor names to {"dtype", "shape", "data_offsets": [begin, end]} (offsets are
// relative to the start of the data buffer) and may hold a "__metadata__" object of strings.
// The tensors' byte ranges must tile the data buffer exactly: no gaps, no overlaps.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The element types a safetensors file can declare, by their header spelling.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case float64 = "F64"
    case float32 = "F32"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case float8E4M3 = "F8_E4M3"
    case float8E5M2 = "F8_E5M2"
    case int64 = "I64"
    case int32 = "I32"
    case int16 = "I16"
    case int8 = "I8"
    case uint64 = "U64"
    case uint32 = "U32"
    case uint16 = "U16"
    case uint8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float64, .int64, .uint64: return 8
        case .float32, .int32, .uint32: return 4
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .int8, .uint8, .bool, .float8E4M3, .float8E5M2: return 1
        }
    }

    /// Whether the elements are integers (or booleans) rather than floating-point numbers.
    public var isInteger: Bool {
        switch self {
        case .float64, .float32, .float16, .bfloat16, .float8E4M3, .float8E5M2: return false
        default: return true
        }
    }
}

/// Where one tensor lives in a safetensors file, after validation.
struct SafetensorsTensorInfo: Sendable {
    var dtype: SafetensorsDType
    var shape: [Int]
    /// Byte range relative to the start of the data buffer.
    var begin: Int
    var end: Int
    /// Number of elements (product of `shape`).
    var count: Int
}

/// A parsed and validated header.
struct SafetensorsHeader: Sendable {
    var tensors: [String: SafetensorsTensorInfo]
    var metadata: [String: String]

    /// Largest header this reader accepts, in bytes (as the reference implementation).
    static let maxHeaderLength = 100_000_000

    /// Parses `json` and checks every tensor against a data buffer of `dataSize` bytes.
    static func parse(_ json: UnsafeRawBufferPointer, dataSize: Int, file: String) throws -> SafetensorsHeader {
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: Data(json))
        } catch let error as DecodingError {
            throw SafetensorsError.malformedHeader(file: file, detail: describe(error))
        } catch {
            throw SafetensorsError.malformedHeader(file: file, detail: "\(error)")
        }

        var tensors: [String: SafetensorsTensorInfo] = [:]
        // Sorted, so that the error reported for a file with several problems is always the same.
        for (name, entry) in raw.tensors.sorted(by: { $0.key < $1.key }) {
            tensors[name] = try validate(entry, name: name, dataSize: dataSize, file: file)
        }
        try checkCoverage(tensors, dataSize: dataSize, file: file)
        return SafetensorsHeader(tensors: tensors, metadata: raw.metadata)
    }

    /// Checks one entry's dtype, shape and offsets on their own.
    private static func validate(
        _ entry: RawTensorEntry, name: String, dataSize: Int, file: String
    ) throws -> SafetensorsTensorInfo {
        guard let dtype = SafetensorsDType(rawValue: entry.dtype) else {
            throw SafetensorsError.unknownDType(file: file, tensor: name, dtype: entry.dtype)
        }
        var count = 1
        for extent in entry.shape {
            guard extent >= 0 else {
                throw SafetensorsError.invalidShape(file: file, tensor: name, shape: entry.shape)
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw SafetensorsError.invalidShape(file: file, tensor: name, shape: entry.shape) }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw SafetensorsError.invalidShape(file: file, tensor: name, shape: entry.shape) }

        guard entry.dataOffsets.count == 2 else {
            throw SafetensorsError.malformedHeader(
                file: file,
                detail: "tensor '\(name)': data_offsets must be [begin, end], got \(entry.dataOffsets)")
        }
        let begin = entry.dataOffsets[0], end = entry.dataOffsets[1]
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw SafetensorsError.offsetsOutOfRange(
                file: file, tensor: name, begin: begin, end: end, dataSize: dataSize)
        }
        guard end - begin == bytes else {
            throw SafetensorsError.sizeMismatch(
                file: file, tensor: name, expectedBytes: bytes, actualBytes: end - begin)
        }
        return SafetensorsTensorInfo(dtype: dtype, shape: entry.shape, begin: begin, end: end, count: count)
    }

    /// Checks that the tensors' byte ranges tile `0..<dataSize` without gaps or overlaps.
    private static func checkCoverage(
        _ tensors: [String: SafetensorsTensorInfo], dataSize: Int, file: String
    ) throws {
        let ordered = tensors.sorted {
            ($0.value.begin, $0.value.end, $0.key) < ($1.value.begin, $1.value.end, $1.key)
        }
        var position = 0
        var previous: String? = nil
        for (name, info) in ordered {
            if info.begin < position, let previous {
                throw SafetensorsError.overlappingTensors(file: file, first: previous, second: name)
            }
            if info.begin > position {
                throw SafetensorsError.uncoveredData(file: file, begin: position, end: info.begin)
            }
            position = info.end
            previous = name
        }
        if position != dataSize {
            throw SafetensorsError.uncoveredData(file: file, begin: position, end: dataSize)
        }
    }

    /// A one-line account of where JSON decoding failed.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case let .dataCorrupted(context):
            return "not valid JSON\(path(context)) (\(context.debugDescription))"
        case let .keyNotFound(key, context):
            return "missing field '\(key.stringValue)'\(path(context))"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "wrong type\(path(context)) (\(context.debugDescription))"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The header as it appears in the JSON: tensor descriptions keyed by name, plus the optional
/// `__metadata__` object of strings.
private struct RawHeader: Decodable {
    var tensors: [String: RawTensorEntry] = [:]
    var metadata: [String: String] = [:]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                metadata = try container.decode([String: String].self, forKey: key)
            } else {
                tensors[key.stringValue] = try container.decode(RawTensorEntry.self, forKey: key)
            }
        }
    }
}

/// A tensor description as it appears in the JSON, before validation.
private struct RawTensorEntry: Decodable {
    var dtype: String
    var shape: [Int]
    var dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype
        case shape
        case dataOffsets = "data_offsets"
    }
}
