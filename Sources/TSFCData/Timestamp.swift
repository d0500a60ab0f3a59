// Timestamps as Int64 seconds since 1970-01-01T00:00:00Z: parsing ISO-8601 from raw bytes (no Foundation formatter on the hot path), formatting, and calendar fields.

/// Calendar fields of a UTC timestamp.
public struct CalendarFields: Sendable, Equatable {
    public var year: Int
    /// 1…12
    public var month: Int
    /// 1…31
    public var day: Int
    /// 0…23
    public var hour: Int
    /// 0…59
    public var minute: Int
    /// 0…59
    public var second: Int
    /// Monday = 0 … Sunday = 6 (pandas' `dayofweek`).
    public var dayOfWeek: Int
    /// 1…366
    public var dayOfYear: Int
}

/// Parsing, formatting and calendar arithmetic for epoch-second timestamps.
public enum Timestamp {
    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// True for leap years of the proleptic Gregorian calendar.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// Days in a month of the proleptic Gregorian calendar.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Epoch seconds of a UTC date and time.
    public static func epochSeconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0,
                                    second: Int = 0) -> Int64 {
        Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
            + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The calendar fields of a timestamp, in UTC.
    public static func fields(_ t: Int64) -> CalendarFields {
        let days = Int(t >= 0 ? t / 86_400 : (t - 86_399) / 86_400)
        let secondOfDay = Int(t - Int64(days) * 86_400)
        let (y, m, d) = civilFromDays(days)
        let weekday = ((days + 3) % 7 + 7) % 7  // 1970-01-01 was a Thursday (3 when Monday is 0)
        let doy = days - daysFromCivil(year: y, month: 1, day: 1) + 1
        return CalendarFields(year: y, month: m, day: d, hour: secondOfDay / 3600,
                              minute: secondOfDay / 60 % 60, second: secondOfDay % 60,
                              dayOfWeek: weekday, dayOfYear: doy)
    }

    /// `YYYY-MM-DD HH:MM:SS` in UTC.
    public static func format(_ t: Int64) -> String {
        let f = fields(t)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(f.year, 4))-\(pad(f.month, 2))-\(pad(f.day, 2)) \(pad(f.hour, 2)):\(pad(f.minute, 2)):\(pad(f.second, 2))"
    }

    /// Parses a timestamp from text (see `parse(_:count:)`).
    public static func parse(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { parse($0.baseAddress, count: $0.count) }
    }

    /// Parses ISO-8601 `YYYY-MM-DD`, `YYYY-MM-DD[ T]HH:MM[:SS[.fff]][Z|±HH[:MM]]` (a `/` may stand
    /// for `-`; a missing offset means UTC). Returns nil when the bytes are not such a timestamp
    /// or name an impossible date. Other formats (and epoch numbers, which are never guessed):
    /// `TimestampFormat`.
    public static func parse(_ base: UnsafePointer<UInt8>?, count: Int) -> Int64? {
        guard let base, count > 0 else { return nil }
        var i = 0
        var end = count
        while i < end, base[i] == 32 { i += 1 }
        while end > i, base[end - 1] == 32 { end -= 1 }
        guard i < end else { return nil }

        func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
            var v = 0
            var n = 0
            while i < end, n < maxDigits, base[i] &- 48 <= 9 { v = v * 10 + Int(base[i] &- 48); i += 1; n += 1 }
            return n >= minDigits ? v : nil
        }
        func take(_ c: UInt8) -> Bool {
            if i < end, base[i] == c { i += 1; return true }
            return false
        }
        guard let year = number(4, 4) else { return nil }
        let separator: UInt8 = i < end && base[i] == UInt8(ascii: "/") ? UInt8(ascii: "/") : UInt8(ascii: "-")
        guard take(separator), let month = number(1, 2), take(separator), let day = number(1, 2),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        var hour = 0, minute = 0, second = 0
        var offset = 0
        if i < end {
            guard take(UInt8(ascii: "T")) || take(32) else { return nil }
            while i < end, base[i] == 32 { i += 1 }
            guard let h = number(1, 2), take(UInt8(ascii: ":")), let m = number(2, 2), h < 24, m < 60
            else { return nil }
            hour = h; minute = m
            if take(UInt8(ascii: ":")) {
                guard let s = number(2, 2), s < 60 else { return nil }
                second = s
                if take(UInt8(ascii: ".")) || take(UInt8(ascii: ",")) {
                    guard number(1, 9) != nil else { return nil }  // fractions are truncated
                }
            }
            while i < end, base[i] == 32 { i += 1 }
            if take(UInt8(ascii: "Z")) {
            } else if i < end, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") {
                let sign = base[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let oh = number(2, 2), oh <= 14 else { return nil }
                var om = 0
                _ = take(UInt8(ascii: ":"))
                if i < end { guard let m = number(2, 2), m < 60 else { return nil }; om = m }
                offset = sign * (oh * 3600 + om * 60)
            }
            guard i == end else { return nil }
        }
        return epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            - Int64(offset)
    }
}
