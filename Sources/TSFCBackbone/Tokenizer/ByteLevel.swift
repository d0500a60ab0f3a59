// GPT-2's byte-level alphabet: every byte 0...255 gets a printable Unicode stand-in, so that
// BPE vocabularies can be written as ordinary strings and any UTF-8 input is covered.

/// The reversible byte ↔ character table used by GPT-2 style byte-level BPE.
///
/// Bytes that are already printable and not whitespace (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for
/// themselves; the remaining 68 bytes (controls, space, DEL, NBSP, soft hyphen, …) are assigned,
/// in increasing byte order, the scalars U+0100, U+0101, … — so a space becomes `Ġ` (U+0120)
/// and a newline `Ċ` (U+010A).
public enum ByteLevel {
    /// `byteToScalar[b]` is the stand-in character for byte `b`.
    public static let byteToScalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isSelfRepresenting(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                // 256 + n is always a valid scalar (far below the surrogate range).
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The inverse of `byteToScalar`, keyed by scalar value.
    public static let scalarToByte: [UInt32: UInt8] = {
        var inverse: [UInt32: UInt8] = [:]
        for (byte, scalar) in byteToScalar.enumerated() { inverse[scalar.value] = UInt8(byte) }
        return inverse
    }()

    /// Whether `byte` is one of the 188 bytes that represent themselves.
    static func isSelfRepresenting(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The byte-level spelling of `bytes` (one stand-in character per byte).
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(byteToScalar[Int(byte)]) }
        return String(scalars)
    }

    /// The bytes spelled by a byte-level string, or `nil` when it contains a character outside
    /// the table (for example an added token written in plain text).
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let byte = scalarToByte[scalar.value] else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
