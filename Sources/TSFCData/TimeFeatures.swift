// Calendar covariates scaled to [-0.5, 0.5] exactly as the reference `time_features`
// (Time-Series-Library utils/timefeatures.py, `timeenc = 1`).

/// One calendar covariate.
public enum TimeFeature: String, Sendable, CaseIterable, Codable {
    case secondOfMinute, minuteOfHour, hourOfDay, dayOfWeek, dayOfMonth, dayOfYear, weekOfYear, monthOfYear

    /// The scaled value for a timestamp's calendar fields.
    public func value(_ f: CalendarFields) -> Float {
        switch self {
        case .secondOfMinute: return Float(f.second) / 59 - 0.5
        case .minuteOfHour: return Float(f.minute) / 59 - 0.5
        case .hourOfDay: return Float(f.hour) / 23 - 0.5
        case .dayOfWeek: return Float(f.dayOfWeek) / 6 - 0.5
        case .dayOfMonth: return Float(f.day - 1) / 30 - 0.5
        case .dayOfYear: return Float(f.dayOfYear - 1) / 365 - 0.5
        case .weekOfYear: return Float(TimeFeatures.isoWeek(f) - 1) / 52 - 0.5
        case .monthOfYear: return Float(f.month - 1) / 11 - 0.5
        }
    }
}

/// Time-feature matrices for frames and windows.
public enum TimeFeatures {
    /// The reference code's features for a frequency: minutes → minute, hour, weekday, day of
    /// month, day of year; hours → the same without minute; days → weekday, day of month, day of
    /// year; weeks → day of month, week of year; months → month of year; seconds add second.
    public static func features(for frequency: Frequency) -> [TimeFeature] {
        switch frequency.code {
        case "s": return [.secondOfMinute, .minuteOfHour, .hourOfDay, .dayOfWeek, .dayOfMonth, .dayOfYear]
        case "t": return [.minuteOfHour, .hourOfDay, .dayOfWeek, .dayOfMonth, .dayOfYear]
        case "h": return [.hourOfDay, .dayOfWeek, .dayOfMonth, .dayOfYear]
        case "d": return [.dayOfWeek, .dayOfMonth, .dayOfYear]
        case "w": return [.dayOfMonth, .weekOfYear]
        default: return [.monthOfYear]
        }
    }

    /// Row-major [T, F] features of `timestamps`.
    public static func encode(_ timestamps: [Int64], features: [TimeFeature]) -> [Float] {
        var out = [Float]()
        out.reserveCapacity(timestamps.count * features.count)
        for t in timestamps {
            let f = Timestamp.fields(t)
            for feature in features { out.append(feature.value(f)) }
        }
        return out
    }

    /// ISO-8601 week number (1…53), as pandas' `isocalendar().week`.
    static func isoWeek(_ f: CalendarFields) -> Int {
        let isoWeekday = f.dayOfWeek + 1  // Monday 1 … Sunday 7
        let week = (f.dayOfYear - isoWeekday + 10) / 7
        func weeks(in year: Int) -> Int {
            // A year has 53 weeks when it starts on a Thursday, or on a Wednesday in a leap year.
            let jan1 = ((Timestamp.daysFromCivil(year: year, month: 1, day: 1) + 3) % 7 + 7) % 7  // Monday 0
            return jan1 == 3 || (jan1 == 2 && Timestamp.isLeap(year)) ? 53 : 52
        }
        if week < 1 { return weeks(in: f.year - 1) }
        if week > weeks(in: f.year) { return 1 }
        return week
    }
}
