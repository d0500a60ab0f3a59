// Float16Conversion: exact widening of IEEE 754 half precision (binary16) and bfloat16 to Float.
// Both widenings are exact: every half and every bfloat16 value is representable as a Float.

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
