// Float16Conversion: exact widening of IEEE 754 half precision (binary16), bfloat16 and the two
// 8-bit float formats (OCP FP8 E4M3 "fn" and E5M2) to Float.
// All widenings are exact: every value of these formats is representable as a Float.

/// Widens the bits of an IEEE 754 binary16 value to `Float`, exactly.
///
/// Zeros keep their sign, subnormals (exponent field 0) become the normal `Float` of the same
/// value (`mantissa × 2⁻²⁴`), infinities stay infinities and NaNs stay NaNs with their payload
/// shifted into the high mantissa bits.
@inline(__always)
func floatFromHalfBits(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x03FF)
    switch exponent {
    case 0x1F:
        // Infinity (mantissa 0) or NaN: all-ones exponent in Float too.
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    case 0:
        // Zero or subnormal: value = mantissa × 2⁻²⁴, exact in Float (a normal number there).
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    default:
        // Normal: rebias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}

/// Widens the bits of a bfloat16 value to `Float`: bfloat16 is the top half of a Float.
@inline(__always)
func floatFromBFloat16Bits(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}

/// Widens an FP8 E5M2 value to `Float`: E5M2 is the top byte of an IEEE binary16 value.
@inline(__always)
func floatFromFloat8E5M2Bits(_ bits: UInt8) -> Float {
    floatFromHalfBits(UInt16(bits) << 8)
}

/// Widens an FP8 E4M3 ("fn": finite, no infinities) value to `Float`.
///
/// Layout: 1 sign bit, 4 exponent bits (bias 7), 3 mantissa bits. Exponent 0 holds zero and the
/// subnormals (`mantissa × 2⁻⁹`); `S.1111.111` is NaN; every other pattern is a normal number,
/// up to ±448.
@inline(__always)
func floatFromFloat8E4M3Bits(_ bits: UInt8) -> Float {
    let exponent = Int((bits >> 3) & 0x0F)
    let mantissa = bits & 0x07
    let magnitude: Float
    if exponent == 0x0F && mantissa == 0x07 {
        magnitude = .nan
    } else if exponent == 0 {
        magnitude = Float(mantissa) * 0x1p-9
    } else {
        magnitude = Float(8 + Int(mantissa)) * Float(sign: .plus, exponent: exponent - 10, significand: 1)
    }
    return bits & 0x80 == 0 ? magnitude : -magnitude
}
