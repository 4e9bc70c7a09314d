/// When something happened, with the UTC offset of the place it happened: what EPCIS writes as
/// `eventTime` and `eventTimeZoneOffset`, and what a journey page shows in local time.
///
/// Read from what producers type in a diary (``init(parsing:)``): `2026-10-28T06:30`,
/// `28/10/2026 06:30`, `28/10/2026 6h30`, or a date alone (`28/10/2026`, the start of that day),
/// day first as every date in ocoptrace; Viet Nam's `+07:00` when no offset is written. The same
/// reader takes the RFC 3339 times of partners' EPCIS documents (`2022-02-16T20:33:31.116-06:00`,
/// `2023-02-02T11:04:03.1415Z`): fractions finer than a millisecond are rounded half to even on the
/// microseconds, as the CBV 2.0 event hash does.
///
/// ```swift
/// let start = EventTime(parsing: "28/10/2026 06:30")!
/// start.eventTime        // "2026-10-28T06:30:00+07:00"
/// start.timeZoneOffset   // "+07:00"
/// start.utc              // "2026-10-27T23:30:00.000Z"
/// ```
public struct EventTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The instant, in milliseconds since 1970-01-01T00:00Z.
    public let millisecondsSinceEpoch: Int
    /// The offset from UTC where it happened, in minutes (420 for Viet Nam).
    public let offsetMinutes: Int
    /// False when only a date was given: pages then show the date alone.
    public let hasTime: Bool

    /// Viet Nam's offset (UTC+7 all year), assumed when a time is written without one.
    public static let vietnamOffsetMinutes = Timestamp.vietnamOffsetSeconds / 60

    public init(millisecondsSinceEpoch: Int, offsetMinutes: Int = EventTime.vietnamOffsetMinutes, hasTime: Bool = true) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
        self.offsetMinutes = offsetMinutes
        self.hasTime = hasTime
    }

    /// The local date and time `date` `hour`:`minute`:`second` at `offsetMinutes` from UTC; nil
    /// when a part is out of range (hour 24, minute 60, an offset past ±14:00).
    public init?(date: CalendarDate, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0,
                 offsetMinutes: Int = EventTime.vietnamOffsetMinutes, hasTime: Bool = true) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second), (0...999).contains(millisecond),
              (-14 * 60...14 * 60).contains(offsetMinutes)
        else { return nil }
        let local = ((date.daysSinceEpoch * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millisecond
        self.init(millisecondsSinceEpoch: local - offsetMinutes * 60_000, offsetMinutes: offsetMinutes, hasTime: hasTime)
    }

    /// Reads a date, or a date and a time, as people and EPCIS documents write them; nil when the
    /// text is neither (the caller says what was expected: ``FieldParsers/eventTime(_:)``).
    ///
    /// The date is anything ``CalendarDate/init(parsing:)`` reads (`2026-10-28`, `28/10/2026`,
    /// never month first); the time follows after `T` or spaces as `6:30`, `06:30:15`,
    /// `06:30:15.250` or `6h30`; an offset may end it (`Z`, `+07:00`, `+0700`, `-06`).
    public init?(parsing text: String) {
        if let common = EventTime(commonForm: text) {
            self = common
            return
        }
        let trimmed = text.trimmed
        guard !trimmed.isEmpty, trimmed.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        var rest = Substring(trimmed)
        let datePart: Substring
        if let split = rest.firstIndex(where: { $0 == "T" || $0 == "t" || $0 == " " }) {
            datePart = rest[..<split]
            rest = rest[rest.index(after: split)...].drop(while: { $0 == " " })
        } else {
            datePart = rest
            rest = ""
        }
        guard let date = CalendarDate(parsing: String(datePart)) else { return nil }
        if rest.isEmpty {
            self.init(date: date, hasTime: false)
            return
        }
        var offset = EventTime.vietnamOffsetMinutes
        if let parsed = EventTime.offsetSuffix(of: rest) {
            offset = parsed.minutes
            rest = rest[..<parsed.start]
            while rest.last == " " { rest.removeLast() }
        }
        guard let time = EventTime.timeOfDay(rest) else { return nil }
        guard let start = EventTime(date: date, offsetMinutes: offset) else { return nil }
        self.init(millisecondsSinceEpoch: start.millisecondsSinceEpoch + time, offsetMinutes: offset)
    }

    /// The forms a diary writes on almost every row, `28/10/2026 06:30` and `2026-10-28T06:30`
    /// (Viet Nam time), read from their bytes; nil for anything else, which ``init(parsing:)``
    /// then reads the general way (and rejects, if it is no time: this never does more than it).
    private init?(commonForm text: String) {
        guard text.utf8.count == 16 else { return nil }
        let bytes = Array(text.utf8)
        func at(_ index: Int) -> UInt8 { bytes[index] }
        func number(_ range: Range<Int>) -> Int? { bytes[range].asciiDigitsValue }
        let year: Int?, month: Int?, day: Int?
        if at(2) == UInt8(ascii: "/"), at(5) == UInt8(ascii: "/"), at(10) == UInt8(ascii: " ") {
            (day, month, year) = (number(0..<2), number(3..<5), number(6..<10))
        } else if at(4) == UInt8(ascii: "-"), at(7) == UInt8(ascii: "-"), at(10) == UInt8(ascii: "T") {
            (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
        } else {
            return nil
        }
        guard at(13) == UInt8(ascii: ":"), let year, let month, let day, let hour = number(11..<13), let minute = number(14..<16),
              let date = CalendarDate(year: year, month: month, day: day)
        else { return nil }
        self.init(date: date, hour: hour, minute: minute)
    }

    /// `6:30`, `06:30:15`, `06:30:15.1415` or `6h30` as milliseconds into the day (sub-millisecond
    /// fractions rounded half to even on whole microseconds); nil when it is no time of day.
    private static func timeOfDay(_ text: Substring) -> Int? {
        let fields = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "h" || $0 == "H" })
        guard (2...3).contains(fields.count) else { return nil }
        func number(_ digits: Substring, _ range: ClosedRange<Int>, width: ClosedRange<Int>) -> Int? {
            guard width.contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let value = Int(digits), range.contains(value) else { return nil }
            return value
        }
        guard let hour = number(fields[0], 0...23, width: 1...2) else { return nil }
        let endsWithH = text.last == "h" || text.last == "H"
        guard let minute = fields.count == 2 && fields[1].isEmpty && endsWithH ? 0 : number(fields[1], 0...59, width: 2...2)
        else { return nil }
        var milliseconds = (hour * 60 + minute) * 60_000
        if fields.count == 3 {
            let parts = fields[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard let second = number(parts[0], 0...59, width: 2...2) else { return nil }
            milliseconds += second * 1000
            if parts.count == 2 {
                let fraction = parts[1]
                guard !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else { return nil }
                let micro = Int(String((fraction.prefix(6) + "000000").prefix(6)))!
                let (whole, remainder) = micro.quotientAndRemainder(dividingBy: 1000)
                let roundsUp = remainder > 500 || (remainder == 500 && !whole.isMultiple(of: 2))
                milliseconds += whole + (roundsUp ? 1 : 0)
            }
        }
        return milliseconds
    }

    /// An offset alone, as EPCIS `eventTimeZoneOffset` writes it (`+07:00`, `-06:00`, `Z`), in minutes.
    public static func offsetMinutes(parsing text: String) -> Int? {
        let trimmed = Substring(text.trimmed)
        guard let offset = offsetSuffix(of: trimmed), offset.start == trimmed.startIndex else { return nil }
        return offset.minutes
    }

    /// The UTC offset ending a time (`Z`, `+07:00`, `+0700`, `+07`) and where it starts.
    private static func offsetSuffix(of text: Substring) -> (minutes: Int, start: Substring.Index)? {
        if text.last == "Z" || text.last == "z" { return (0, text.index(before: text.endIndex)) }
        guard let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }) else { return nil }
        let digits = text[text.index(after: sign)...].filter { $0 != ":" }
        let colons = text[text.index(after: sign)...].filter { $0 == ":" }.count
        guard digits.count == 2 || digits.count == 4, colons <= (digits.count == 4 ? 1 : 0),
              digits.allSatisfy(\.isASCIIDigit), let hours = Int(digits.prefix(2)), let minutes = Int(digits.dropFirst(2).isEmpty ? "0" : digits.dropFirst(2)),
              hours <= 14, minutes < 60
        else { return nil }
        let total = hours * 60 + minutes
        return (text[sign] == "-" ? -total : total, sign)
    }

    /// `+07:00`, as EPCIS `eventTimeZoneOffset` writes it (`+00:00` for UTC).
    public var timeZoneOffset: String {
        let magnitude = abs(offsetMinutes)
        return (offsetMinutes < 0 ? "-" : "+") + EventTime.twoDigits(magnitude / 60) + ":" + EventTime.twoDigits(magnitude % 60)
    }

    /// The local time with its offset, as EPCIS `eventTime` writes it: `2026-10-28T06:30:00+07:00`
    /// (milliseconds only when there are some: `…T06:30:00.250+07:00`).
    public var eventTime: String {
        var local = Timestamp.string(milliseconds: millisecondsSinceEpoch + offsetMinutes * 60_000)
        local.removeLast()  // the Z
        if local.hasSuffix(".000") { local.removeLast(4) }
        return local + timeZoneOffset
    }

    /// The instant in UTC to the millisecond, `2026-10-27T23:30:00.000Z`: the registry's stored
    /// form and the CBV 2.0 event hash's.
    public var utc: String { Timestamp.string(milliseconds: millisecondsSinceEpoch) }

    /// The day it happened, where it happened.
    public var localDate: CalendarDate {
        let local = millisecondsSinceEpoch + offsetMinutes * 60_000
        return CalendarDate(daysSinceEpoch: local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000)!
    }

    public var description: String { eventTime }

    /// Earlier first; at the same instant, the one written with the smaller offset first (a stable order).
    public static func < (lhs: EventTime, rhs: EventTime) -> Bool {
        (lhs.millisecondsSinceEpoch, lhs.offsetMinutes) < (rhs.millisecondsSinceEpoch, rhs.offsetMinutes)
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
}

extension Character {
    /// `0` to `9` only (not other scripts' digits, which `isNumber` admits).
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
