// Decimal text → Float without allocation: the hot loop of CSV loading.
#if canImport(Glibc)
import Glibc
#endif

/// What a numeric cell holds.
enum ParsedCell: Equatable {
    case value(Float, integral: Bool)
    case missing
    case invalid
}

enum NumberParser {
    /// Exact powers of ten representable in a Double.
    private static let powersOfTen: [Double] = (0...22).map { p in
        var v = 1.0
        for _ in 0..<p { v *= 10 }
        return v
    }

    /// True for the spellings of a missing cell: empty, NaN, NA, N/A, null (any case, spaces
    /// around).
    static func isMissingToken(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let n = end - start
        if n == 0 { return true }
        if n > 4 { return false }
        var word: UInt32 = 0
        for k in start..<end { word = word << 8 | UInt32(p[k] | 0x20) }  // ASCII lower case
        switch n {
        case 2: return word == 0x6E61  // "na"
        case 3: return word == 0x6E616E || word == 0x6E2F61  // "nan", "n/a"
        case 4: return word == 0x6E75_6C6C  // "null"
        default: return false
        }
    }

    /// Parses one cell. Accepts an optional sign, digits with an optional point and an optional
    /// exponent, and inf/infinity; spaces around the number are ignored.
    static func parse(_ p: UnsafePointer<UInt8>, count: Int) -> ParsedCell {
        var i = 0
        var end = count
        while i < end, p[i] == 32 || p[i] == 9 { i += 1 }
        while end > i, p[end - 1] == 32 || p[end - 1] == 9 || p[end - 1] == 13 { end -= 1 }
        if isMissingToken(p, i, end) { return .missing }
        let start = i
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var exponent = 0
        var sawDigit = false
        var integral = true
        while i < end, p[i] &- 48 <= 9 {
            sawDigit = true
            if significant < 19 {
                mantissa = mantissa * 10 + UInt64(p[i] &- 48)
                if mantissa != 0 { significant += 1 }
            } else {
                exponent += 1
            }
            digits += 1
            i += 1
        }
        if i < end, p[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            while i < end, p[i] &- 48 <= 9 {
                sawDigit = true
                if significant < 19 {
                    mantissa = mantissa * 10 + UInt64(p[i] &- 48)
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                }
                i += 1
            }
        }
        if !sawDigit {
            // inf / infinity
            let rest = end - i
            if rest == 3 || rest == 8 {
                var word = ""
                for k in i..<end { word.append(Character(Unicode.Scalar(p[k] | 0x20))) }
                if word == "inf" || word == "infinity" {
                    return .value(negative ? -.infinity : .infinity, integral: false)
                }
            }
            return .invalid
        }
        if i < end, p[i] | 0x20 == UInt8(ascii: "e") {
            integral = false
            i += 1
            var expNegative = false
            if i < end, p[i] == UInt8(ascii: "-") { expNegative = true; i += 1 } else if i < end, p[i] == UInt8(ascii: "+") { i += 1 }
            var e = 0
            var expDigits = 0
            while i < end, p[i] &- 48 <= 9 {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 48) }
                expDigits += 1
                i += 1
            }
            if expDigits == 0 { return .invalid }
            exponent += expNegative ? -e : e
        }
        if i != end { return .invalid }
        var value: Double
        if mantissa == 0 {
            value = 0
        } else if mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
            // Both operands exact: one correctly rounded operation.
            value = exponent >= 0 ? Double(mantissa) * powersOfTen[exponent] : Double(mantissa) / powersOfTen[-exponent]
        } else {
            value = slowParse(p + start, count: end - start)
            return .value(Float(value), integral: integral)
        }
        if negative { value = -value }
        return .value(Float(value), integral: integral)
    }

    /// strtod on a NUL-terminated copy, for the rare long or extreme numbers.
    private static func slowParse(_ p: UnsafePointer<UInt8>, count: Int) -> Double {
        var buffer = [CChar](repeating: 0, count: count + 1)
        for k in 0..<count { buffer[k] = CChar(bitPattern: p[k]) }
        return buffer.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
    }
}
