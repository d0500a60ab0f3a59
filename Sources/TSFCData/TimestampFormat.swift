// The ways a time column is written (ISO, year-month, years, quarters, month names, compact
// digits, day-first and month-first dates, epoch numbers, a plain index), parsing each from raw
// bytes, detecting the format from sample cells, and the precision a stamp is written back in.

/// How the cells of a time column are written; the raw values are `--date-format`'s values.
public enum TimestampFormat: String, Sendable, CaseIterable, Codable {
    /// `2016-07-01`, `2016-07-01 13:45[:07][Z|±hh:mm]`, `2016/07/01`.
    case iso
    /// `1949-01`, `1949/01`, `1949.1`: the first day of the month.
    case yearMonth = "year-month"
    /// `1949`: 1 January of the year.
    case year
    /// `1970 Q1`, `1970Q1`, `1970-Q1`, `Q1 1970`: the first day of the quarter.
    case quarter
    /// `1991 Jul`, `Jul 1991`, `1991-Jul`, `July 1991`: the first day of the month.
    case monthName = "month-name"
    /// `19580329`, `195803291530`, `19580329153000`.
    case compact
    /// `29/03/1958`, `29.03.1958`, `29-03-1958`, optionally followed by ` HH:MM[:SS]`.
    case dayFirst = "dmy"
    /// `03/29/1958`, optionally followed by ` HH:MM[:SS]`.
    case monthFirst = "mdy"
    /// Integer seconds since 1970-01-01 UTC (only when asked: integers are dates or an index).
    case epochSeconds = "epoch-s"
    /// Integer milliseconds since 1970-01-01 UTC (only when asked).
    case epochMilliseconds = "epoch-ms"
    /// Plain integers numbering the rows (an index column); stamps are the integers themselves.
    case index

    /// The values `--date-format` accepts, for help texts and messages.
    public static let optionHelp = allCases.map(\.rawValue).joined(separator: ", ")

    /// Parses one cell (spaces around it are ignored). Nil when the bytes are not in this format
    /// or name an impossible date.
    public func parse(_ base: UnsafePointer<UInt8>?, count: Int) -> Int64? {
        guard let base, count > 0 else { return nil }
        if self == .iso { return Timestamp.parse(base, count: count) }
        var c = ByteCursor(base: base, count: count)
        guard c.i < c.end else { return nil }
        switch self {
        case .iso:
            return nil
        case .year:
            guard let y = c.number(4, 4), c.atEnd else { return nil }
            return Timestamp.epochSeconds(year: y, month: 1, day: 1)
        case .yearMonth:
            guard let y = c.number(4, 4), c.takeAny("-/.") != nil, let m = c.number(1, 2), c.atEnd, (1...12).contains(m) else { return nil }
            return Timestamp.epochSeconds(year: y, month: m, day: 1)
        case .quarter:
            return c.quarter()
        case .monthName:
            return c.monthName()
        case .compact:
            let start = c.i
            guard let y = c.number(4, 4), let m = c.number(2, 2), let d = c.number(2, 2) else { return nil }
            var hour = 0, minute = 0, second = 0
            if !c.atEnd {
                guard c.i - start == 8, let h = c.number(2, 2), let mi = c.number(2, 2) else { return nil }
                hour = h; minute = mi
                if !c.atEnd { guard let s = c.number(2, 2) else { return nil }; second = s }
            }
            guard c.atEnd else { return nil }
            return ByteCursor.stamp(y, m, d, hour, minute, second)
        case .dayFirst, .monthFirst:
            guard let a = c.number(1, 2), let separator = c.takeAny("/-."), let b = c.number(1, 2),
                  c.take(separator), let y = c.number(4, 4) else { return nil }
            let (day, month) = self == .dayFirst ? (a, b) : (b, a)
            var hour = 0, minute = 0, second = 0
            if !c.atEnd {
                guard let time = c.timeOfDay() else { return nil }
                (hour, minute, second) = time
            }
            return ByteCursor.stamp(y, month, day, hour, minute, second)
        case .epochSeconds, .index:
            return c.integer(maxDigits: self == .index ? 18 : 12)
        case .epochMilliseconds:
            guard let ms = c.integer(maxDigits: 15) else { return nil }
            return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)
        }
    }

    /// Parses one cell given as text.
    public func parse(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { parse($0.baseAddress, count: $0.count) }
    }

    /// The precision stamps in this format are written back in; `hasTime` says whether the
    /// cells carry a time of day (ISO, compact, day- and month-first dates).
    public func precision(hasTime: Bool) -> TimestampPrecision {
        switch self {
        case .iso, .compact, .dayFirst, .monthFirst: return hasTime ? .second : .day
        case .yearMonth, .monthName: return .month
        case .year: return .year
        case .quarter: return .quarter
        case .epochSeconds, .epochMilliseconds: return .second
        case .index: return .index
        }
    }
}

/// The precision a time column is written in, and so the form of the stamps tsfc writes back
/// (the forecast's `ds`): the input's own precision, in ISO order.
public enum TimestampPrecision: String, Sendable, Codable, CaseIterable {
    /// Plain integers (an index column, or rows numbered from 1 when there is no time column).
    case index
    /// `1961`.
    case year
    /// `1961Q2` (pandas' quarter period form).
    case quarter
    /// `1961-01`.
    case month
    /// `1961-01-31`.
    case day
    /// `1961-01-31 13:45:00`.
    case second

    /// `t` written in this precision.
    public func format(_ t: Int64) -> String {
        if self == .index { return String(t) }
        if self == .second { return Timestamp.format(t) }
        let f = Timestamp.fields(t)
        let year = ByteCursor.pad(f.year, 4)
        switch self {
        case .year: return year
        case .quarter: return "\(year)Q\((f.month - 1) / 3 + 1)"
        case .month: return "\(year)-\(ByteCursor.pad(f.month, 2))"
        default: return "\(year)-\(ByteCursor.pad(f.month, 2))-\(ByteCursor.pad(f.day, 2))"
        }
    }

    /// The frequency a single stamp of this precision implies (years, quarters and months step by
    /// their own unit; an index by 1); nil for days and finer, which need two stamps.
    public var impliedFrequency: Frequency? {
        switch self {
        case .index: return .indexStep
        case .year: return .yearStart
        case .quarter: return .quarterStart
        case .month: return .monthStart
        case .day, .second: return nil
        }
    }
}

/// What sample cells of a time column say about its format.
public enum TimestampDetection: Sendable, Equatable {
    /// Every sample parses in this format.
    case format(TimestampFormat, hasTime: Bool)
    /// Every sample is a `a/b/yyyy` date that reads as both day-first and month-first with
    /// different dates: the whole column must decide (see `DayMonthEvidence`).
    case ambiguousDayMonth(hasTime: Bool)
    /// The samples are not timestamps in any known format.
    case unknown
}

extension TimestampFormat {
    /// Detects the format of a time column from sample cells (empty cells are ignored). Integers
    /// are years (4 digits), compact dates (8, 12 or 14 digits that are valid dates) or an index,
    /// never epoch numbers, which must be asked for.
    public static func detect(_ samples: [String]) -> TimestampDetection {
        let cells = samples.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        guard !cells.isEmpty else { return .unknown }
        func all(_ format: TimestampFormat) -> Bool { cells.allSatisfy { format.parse($0) != nil } }
        let hasColon = cells.contains { $0.contains(":") }
        if cells.allSatisfy({ $0.utf8.allSatisfy { $0 &- 48 <= 9 } || ($0.first == "-" && $0.count > 1 && $0.utf8.dropFirst().allSatisfy { $0 &- 48 <= 9 }) }) {
            let lengths = Set(cells.map(\.count))
            if lengths == [4], all(.year) { return .format(.year, hasTime: false) }
            if lengths.isSubset(of: [8, 12, 14]), all(.compact) {
                return .format(.compact, hasTime: !lengths.isSubset(of: [8]))
            }
            return all(.index) ? .format(.index, hasTime: false) : .unknown
        }
        let candidates = [TimestampFormat.iso, .yearMonth, .quarter, .monthName]
        for format in candidates where all(format) {
            return .format(format, hasTime: hasColon)
        }
        var evidence = DayMonthEvidence()
        for cell in cells { evidence.observe(cell) }
        switch evidence.resolution {
        case .some(.some(let format)): return .format(format, hasTime: hasColon)
        case .some(.none): return .ambiguousDayMonth(hasTime: hasColon)
        case .none:
            // Some cells are broken: the format most cells have, so the error names a broken one.
            let counts = candidates.map { format in cells.filter { format.parse($0) != nil }.count }
            guard let best = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[best] * 2 >= cells.count else { return .unknown }
            return .format(candidates[best], hasTime: hasColon)
        }
    }
}

/// Day-first versus month-first evidence gathered over a column of `a/b/yyyy` dates.
public struct DayMonthEvidence: Sendable, Equatable {
    /// Every cell so far reads as a day-first date.
    public private(set) var dayFirstPossible = true
    /// Every cell so far reads as a month-first date.
    public private(set) var monthFirstPossible = true
    /// Some cell reads as two different dates (both numbers ≤ 12 and unequal).
    public private(set) var readingsDiffer = false
    /// The first cell that reads as both, differently (for messages).
    public private(set) var firstAmbiguousCell: String?

    public init() {}

    /// Takes one cell into account.
    public mutating func observe(_ base: UnsafePointer<UInt8>?, count: Int) {
        let d = TimestampFormat.dayFirst.parse(base, count: count)
        let m = TimestampFormat.monthFirst.parse(base, count: count)
        if d == nil { dayFirstPossible = false }
        if m == nil { monthFirstPossible = false }
        if let d, let m, d != m, !readingsDiffer, let base {
            readingsDiffer = true
            firstAmbiguousCell = String(decoding: UnsafeBufferPointer(start: base, count: min(count, 60)), as: UTF8.self)
        }
    }

    /// Takes one cell given as text into account.
    public mutating func observe(_ text: String) {
        var copy = text
        copy.withUTF8 { observe($0.baseAddress, count: $0.count) }
    }

    /// nil: the cells are not such dates; `.some(nil)`: they read both ways (ambiguous);
    /// otherwise the one order that reads every cell (day-first when both orders give the same
    /// dates).
    public var resolution: TimestampFormat?? {
        switch (dayFirstPossible, monthFirstPossible) {
        case (true, false): return .some(.dayFirst)
        case (false, true): return .some(.monthFirst)
        case (true, true): return readingsDiffer ? .some(nil) : .some(.dayFirst)
        case (false, false): return nil
        }
    }
}

/// A cursor over a cell's bytes, spaces around the cell skipped.
struct ByteCursor {
    let base: UnsafePointer<UInt8>
    var i = 0
    var end: Int

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        end = count
        while i < end, base[i] == 32 { i += 1 }
        while end > i, base[end - 1] == 32 { end -= 1 }
    }

    var atEnd: Bool { i == end }

    /// Between `minDigits` and `maxDigits` decimal digits as a number.
    mutating func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
        var v = 0, n = 0
        while i < end, n < maxDigits, base[i] &- 48 <= 9 { v = v * 10 + Int(base[i] &- 48); i += 1; n += 1 }
        return n >= minDigits ? v : nil
    }

    mutating func take(_ c: UInt8) -> Bool {
        if i < end, base[i] == c { i += 1; return true }
        return false
    }

    /// Takes one of the ASCII characters in `set`, returning it.
    mutating func takeAny(_ set: StaticString) -> UInt8? {
        guard i < end else { return nil }
        let byte = base[i]
        for k in 0..<set.utf8CodeUnitCount where set.utf8Start[k] == byte { i += 1; return byte }
        return nil
    }

    mutating func skipSeparators() {
        while i < end, [32, UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ",")].contains(base[i]) { i += 1 }
    }

    /// An optionally negative integer of at most `maxDigits` digits filling the rest of the cell.
    mutating func integer(maxDigits: Int) -> Int64? {
        let negative = take(UInt8(ascii: "-"))
        let start = i
        var v: Int64 = 0
        while i < end, base[i] &- 48 <= 9 { v = v * 10 + Int64(base[i] &- 48); i += 1 }
        guard atEnd, i > start, i - start <= maxDigits else { return nil }
        return negative ? -v : v
    }

    /// `[ T]HH:MM[:SS[.fff]]` up to the end of the cell.
    mutating func timeOfDay() -> (Int, Int, Int)? {
        guard take(UInt8(ascii: "T")) || take(32) else { return nil }
        while take(32) {}
        guard let h = number(1, 2), take(UInt8(ascii: ":")), let m = number(2, 2), h < 24, m < 60 else { return nil }
        var s = 0
        if take(UInt8(ascii: ":")) {
            guard let sec = number(2, 2), sec < 60 else { return nil }
            s = sec
            if take(UInt8(ascii: ".")) { guard number(1, 9) != nil else { return nil } }
        }
        return atEnd ? (h, m, s) : nil
    }

    /// `YYYY[ -/]Qn` or `Qn[ -/]YYYY`.
    mutating func quarter() -> Int64? {
        func q(_ c: inout ByteCursor) -> Int? {
            guard c.take(UInt8(ascii: "Q")) || c.take(UInt8(ascii: "q")), let n = c.number(1, 1), (1...4).contains(n) else { return nil }
            return n
        }
        let year: Int, n: Int
        if let y = number(4, 4) {
            skipSeparators()
            guard let k = q(&self) else { return nil }
            (year, n) = (y, k)
        } else {
            guard let k = q(&self) else { return nil }
            skipSeparators()
            guard let y = number(4, 4) else { return nil }
            (year, n) = (y, k)
        }
        guard atEnd else { return nil }
        return Timestamp.epochSeconds(year: year, month: 3 * n - 2, day: 1)
    }

    /// `YYYY Mon`, `Mon YYYY`, `YYYY-Mon`, full month names, any case.
    mutating func monthName() -> Int64? {
        if let y = number(4, 4) {
            skipSeparators()
            guard let m = monthWord(), atEnd else { return nil }
            return Timestamp.epochSeconds(year: y, month: m, day: 1)
        }
        guard let m = monthWord() else { return nil }
        skipSeparators()
        guard let y = number(4, 4), atEnd else { return nil }
        return Timestamp.epochSeconds(year: y, month: m, day: 1)
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]

    /// A month's name (full, or its first three letters, or `Sept`), any case: 1…12.
    mutating func monthWord() -> Int? {
        let start = i
        while i < end, (base[i] | 0x20) >= UInt8(ascii: "a"), (base[i] | 0x20) <= UInt8(ascii: "z") { i += 1 }
        guard i - start >= 3 else { return nil }
        let word = String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self).lowercased()
        for (k, name) in ByteCursor.monthNames.enumerated() {
            if name == word || (word.count == 3 && name.hasPrefix(word)) || (k == 8 && word == "sept") { return k + 1 }
        }
        return nil
    }

    /// Epoch seconds of a checked date and time (nil for an impossible date).
    static func stamp(_ y: Int, _ m: Int, _ d: Int, _ hour: Int, _ minute: Int, _ second: Int) -> Int64? {
        guard (1...12).contains(m), d >= 1, d <= Timestamp.daysInMonth(year: y, month: m),
              hour < 24, minute < 60, second < 60 else { return nil }
        return Timestamp.epochSeconds(year: y, month: m, day: d, hour: hour, minute: minute, second: second)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}

extension TimestampPrecision {
    /// The coarsest precision, no coarser than this one, that writes every stamp of `stamps`
    /// without losing anything (a month end in a year-month file needs days; an hour needs
    /// seconds). `.index` stays `.index`.
    public func fitting(_ stamps: [Int64]) -> TimestampPrecision {
        guard self != .index else { return .index }
        let order: [TimestampPrecision] = [.year, .quarter, .month, .day, .second]
        var k = order.firstIndex(of: self) ?? order.count - 1
        while k < order.count - 1, !stamps.allSatisfy({ order[k].holds($0) }) { k += 1 }
        return order[k]
    }

    /// True when `t` is the start of its year, quarter, month or day (always for seconds).
    func holds(_ t: Int64) -> Bool {
        let f = Timestamp.fields(t)
        let midnight = f.hour == 0 && f.minute == 0 && f.second == 0
        switch self {
        case .index, .second: return true
        case .day: return midnight
        case .month: return midnight && f.day == 1
        case .quarter: return midnight && f.day == 1 && (f.month - 1) % 3 == 0
        case .year: return midnight && f.day == 1 && f.month == 1
        }
    }
}
