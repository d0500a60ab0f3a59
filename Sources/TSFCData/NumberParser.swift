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
    /// True for the spellings of a missing cell: empty, NaN, NA, N/A, null (any case, spaces
    /// around).
    static func isMissingToken(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let n = end - start
        if n == 0 { return true }
        if n > 4 || p[start] | 0x20 != 0x6E { return false }
        var word: UInt32 = 0
        for k in start..<end { word = word << 8 | UInt32(p[k] | 0x20) }  // ASCII lower case
        switch n {
        case 2: return word == 0x6E61  // "na"
        case 3: return word == 0x6E616E || word == 0x6E2F61  // "nan", "n/a"
        case 4: return word == 0x6E75_6C6C  // "null"
        default: return false
        }
    }

    /// 10^k for 0 ≤ k ≤ 22 (all exact in a Double); a switch avoids a lazily initialised table.
    @inline(__always)
    static func powerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// Parses one cell. Accepts an optional sign, digits with an optional point and an optional
    /// exponent, and inf/infinity; spaces around the number are ignored. The result is the
    /// Float nearest the correctly rounded Double (what numpy's float64 → float32 gives).
    static func parse(_ p: UnsafePointer<UInt8>, count: Int) -> ParsedCell {
        var i = 0
        var end = count
        while i < end, p[i] == 32 || p[i] == 9 { i += 1 }
        while end > i, p[end - 1] == 32 || p[end - 1] == 9 || p[end - 1] == 13 { end -= 1 }
        if end - i <= 4, isMissingToken(p, i, end) { return .missing }
        let start = i
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: UInt64 = 0
        let integerStart = i
        while i < end {
            let d = p[i] &- 48
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            i += 1
        }
        var digits = i - integerStart
        var fractionDigits = 0
        var integral = true
        if i < end, p[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            let fractionStart = i
            while i < end {
                let d = p[i] &- 48
                if d > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                i += 1
            }
            fractionDigits = i - fractionStart
            digits += fractionDigits
        }
        if digits == 0 {
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
        var exponent = 0
        if i < end, p[i] | 0x20 == UInt8(ascii: "e") {
            integral = false
            i += 1
            var expNegative = false
            if i < end, p[i] == UInt8(ascii: "-") { expNegative = true; i += 1 } else if i < end, p[i] == UInt8(ascii: "+") { i += 1 }
            var expDigits = 0
            while i < end, p[i] &- 48 <= 9 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(p[i] &- 48) }
                expDigits += 1
                i += 1
            }
            if expDigits == 0 { return .invalid }
            if expNegative { exponent = -exponent }
        }
        if i != end { return .invalid }
        exponent -= fractionDigits
        var value: Double
        if digits > 19 || exponent < -22 || exponent > 22 {
            return .value(Float(slowParse(p + start, count: end - start)), integral: integral)
        } else if mantissa == 0 {
            value = 0
        } else if mantissa < (1 << 53) {
            // Both operands exact: one correctly rounded operation, as strtod gives.
            value = exponent >= 0 ? Double(mantissa) * powerOfTen(exponent) : Double(mantissa) / powerOfTen(-exponent)
        } else {
            // Up to 19 digits: exact in Float80's 64-bit significand, as are the powers of ten,
            // so one rounding to 64 bits precedes the rounding to Double (off only in ties).
            #if arch(x86_64)
            let m = Float80(mantissa), scale = Float80(powerOfTen(abs(exponent)))
            value = Double(exponent >= 0 ? m * scale : m / scale)
            #else
            return .value(Float(slowParse(p + start, count: end - start)), integral: integral)
            #endif
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
