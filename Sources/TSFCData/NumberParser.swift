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

    /// The value of 8 ASCII digits at `p`, or nil when any byte is not a digit (SWAR: all eight
    /// at once in one 64-bit word, after D. Lemire's "fast float parsing").
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        // Every byte in '0'...'9': high nibble 3, and adding 6 keeps it below 0x40.
        guard (word & 0xF0F0_F0F0_F0F0_F0F0) | (((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4) == 0x3333_3333_3333_3333
        else { return nil }
        var v = word &- 0x3030_3030_3030_3030
        v = (v &* 10) &+ (v >> 8)  // pairs: byte 2k holds digits 2k, 2k+1 as a two-digit number
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let mul1: UInt64 = 0x000F_4240_0000_0064  // 100 + (1000000 << 32)
        let mul2: UInt64 = 0x0000_2710_0000_0001  // 1 + (10000 << 32)
        return (((v & mask) &* mul1) &+ (((v >> 16) & mask) &* mul2)) >> 32
    }

    /// 10^-k for 0 ≤ k ≤ 22, correctly rounded.
    @inline(__always)
    static func inversePowerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: return 1e-0
        case 1: return 1e-1
        case 2: return 1e-2
        case 3: return 1e-3
        case 4: return 1e-4
        case 5: return 1e-5
        case 6: return 1e-6
        case 7: return 1e-7
        case 8: return 1e-8
        case 9: return 1e-9
        case 10: return 1e-10
        case 11: return 1e-11
        case 12: return 1e-12
        case 13: return 1e-13
        case 14: return 1e-14
        case 15: return 1e-15
        case 16: return 1e-16
        case 17: return 1e-17
        case 18: return 1e-18
        case 19: return 1e-19
        case 20: return 1e-20
        case 21: return 1e-21
        default: return 1e-22
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
    ///
    /// With `decimalComma` (files whose delimiter is not a comma: `;` or tab, as spreadsheets
    /// write them in most of Europe), a cell with one comma and no point, such as `1001,76`, is
    /// read with the comma as the decimal mark.
    static func parse(_ p: UnsafePointer<UInt8>, count: Int, decimalComma: Bool = false) -> ParsedCell {
        let cell = parsePoint(p, count: count)
        guard cell == .invalid, decimalComma else { return cell }
        var commas = 0, points = 0
        for j in 0..<count { if p[j] == 44 { commas += 1 } else if p[j] == 46 { points += 1 } }
        guard commas == 1, points == 0 else { return cell }
        var copy = [UInt8](UnsafeBufferPointer(start: p, count: count))
        for j in copy.indices where copy[j] == 44 { copy[j] = 46 }
        return copy.withUnsafeBufferPointer { parsePoint($0.baseAddress!, count: count) }
    }

    /// `parse` with a point as the only decimal mark.
    static func parsePoint(_ p: UnsafePointer<UInt8>, count: Int) -> ParsedCell {
        var i = 0
        var end = count
        while i < end, p[i] == 32 || p[i] == 9 { i += 1 }
        while end > i, p[end - 1] == 32 || p[end - 1] == 9 || p[end - 1] == 13 { end -= 1 }
        if end - i <= 4, isMissingToken(p, i, end) { return .missing }
        let (cell, stop) = parsePrefix(p, from: i, end: end)
        if stop == end, cell != .invalid { return cell }
        // inf / infinity, with an optional sign
        var k = i
        var negative = false
        if p[k] == UInt8(ascii: "-") { negative = true; k += 1 } else if p[k] == UInt8(ascii: "+") { k += 1 }
        let rest = end - k
        if rest == 3 || rest == 8 {
            var word = ""
            for j in k..<end { word.append(Character(Unicode.Scalar(p[j] | 0x20))) }
            if word == "inf" || word == "infinity" { return .value(negative ? -.infinity : .infinity, integral: false) }
        }
        return .invalid
    }

    /// Parses the field starting at `from` in a line ending at `end` whose fields are separated
    /// by `delimiter`, in one pass; returns the cell and the index of the field's end (the
    /// delimiter or `end`). Spaces (and tabs unless tab is the delimiter) around it are ignored.
    @inline(__always)
    static func parseField(_ p: UnsafePointer<UInt8>, from: Int, end: Int, delimiter: UInt8) -> (ParsedCell, Int) {
        var i = from
        let tabIsSpace = delimiter != 9
        while i < end, p[i] == 32 || (tabIsSpace && p[i] == 9) { i += 1 }
        if i == end || p[i] == delimiter { return (.missing, i) }
        let (cell, stop) = parsePrefix(p, from: i, end: end)
        var j = stop
        while j < end, p[j] == 32 || (tabIsSpace && p[j] == 9) { j += 1 }
        if cell != .invalid, j == end || p[j] == delimiter { return (cell, j) }
        // Not a plain number (NaN, NA, inf, junk): find the field's end and parse it whole.
        var fieldEnd = from
        while fieldEnd < end, p[fieldEnd] != delimiter { fieldEnd += 1 }
        return (parse(p + from, count: fieldEnd - from, decimalComma: delimiter != 44), fieldEnd)
    }

    /// Parses the longest numeric prefix of `p[from..<end]` (sign, digits, point, exponent);
    /// returns `.invalid` when there is none, and where it stopped.
    /// Appends the decimal digits at `p[i...]` to `mantissa` (eight at a time where possible),
    /// advancing `i` past them.
    @inline(__always)
    static func accumulateDigits(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, _ mantissa: inout UInt64) {
            while i + 8 <= end, let eight = eightDigits(p + i) {
                mantissa = mantissa &* 100_000_000 &+ eight
                i += 8
            }
            while i < end {
                let d = p[i] &- 48
                if d > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                i += 1
            }
    }

    @inline(__always)
    static func parsePrefix(_ p: UnsafePointer<UInt8>, from: Int, end: Int) -> (ParsedCell, Int) {
        var i = from
        let start = i
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: UInt64 = 0
        let integerStart = i
        accumulateDigits(p, &i, end, &mantissa)
        var digits = i - integerStart
        var fractionDigits = 0
        var integral = true
        if i < end, p[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            let fractionStart = i
            accumulateDigits(p, &i, end, &mantissa)
            fractionDigits = i - fractionStart
            digits += fractionDigits
        }
        if digits == 0 { return (.invalid, i) }
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
            if expDigits == 0 { return (.invalid, i) }
            if expNegative { exponent = -exponent }
        }
        let stop = i
        exponent -= fractionDigits
        var value: Double
        if digits > 19 || exponent < -22 || exponent > 22 {
            return (.value(Float(slowParse(p + start, count: stop - start)), integral: integral), stop)
        } else if mantissa == 0 {
            value = 0
        } else {
            // A multiply-only estimate is within 2 ulp of the correctly rounded Double, so its
            // Float is the same unless a Float halfway point (dropped 29 bits = 2^28) lies within
            // a few ulp; only those rare cases take an exact path.
            let estimate = Double(mantissa) * (exponent >= 0 ? powerOfTen(exponent) : inversePowerOfTen(-exponent))
            let dropped = Int64(estimate.bitPattern & 0x1FFF_FFFF)
            if estimate > 1e-30, estimate < 1e30, abs(dropped - 0x1000_0000) > 16 {
                value = estimate
            } else if mantissa < (1 << 53) {
                // Both operands exact: one correctly rounded operation, as strtod gives.
                value = exponent >= 0 ? Double(mantissa) * powerOfTen(exponent) : Double(mantissa) / powerOfTen(-exponent)
            } else {
                #if arch(x86_64)
                // Exact operands in Float80's 64-bit significand: one rounding before Double.
                let m = Float80(mantissa), scale = Float80(powerOfTen(abs(exponent)))
                value = Double(exponent >= 0 ? m * scale : m / scale)
                #else
                return (.value(Float(slowParse(p + start, count: stop - start)), integral: integral), stop)
                #endif
            }
        }
        if negative { value = -value }
        return (.value(Float(value), integral: integral), stop)
    }

    /// strtod on a NUL-terminated copy, for the rare long or extreme numbers.
    private static func slowParse(_ p: UnsafePointer<UInt8>, count: Int) -> Double {
        var buffer = [CChar](repeating: 0, count: count + 1)
        for k in 0..<count { buffer[k] = CChar(bitPattern: p[k]) }
        return buffer.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
    }
}
