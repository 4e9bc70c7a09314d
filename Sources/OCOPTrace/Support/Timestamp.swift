import Foundation

/// Timestamps as the registry stores them: UTC, ISO 8601, to the millisecond
/// (`2026-11-23T13:20:00.000Z`). Written and read with integer arithmetic: Foundation's date
/// styles cost more than a whole page of the verification server.
public enum Timestamp {
    /// Viet Nam keeps UTC+7 all year (no daylight saving time).
    static let vietnamOffsetSeconds = 7 * 3600

    public static func now() -> String {
        string(Date())
    }

    public static func string(_ date: Date) -> String {
        // Whole seconds, then the fraction cut (not rounded) to milliseconds, as ISO8601FormatStyle does.
        let interval = date.timeIntervalSince1970
        let wholeSeconds = interval.rounded(.down)
        return string(milliseconds: Int(wholeSeconds) * 1000 + Int(((interval - wholeSeconds) * 1000).rounded(.down)))
    }

    /// The stored form of an instant given in milliseconds since 1970 (UTC), as the CBV 2.0 event
    /// hash also writes times: `2026-11-23T13:20:00.000Z`.
    public static func string(milliseconds: Int) -> String {
        let days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let inDay = milliseconds - days * 86_400_000
        let date = CalendarDate(daysSinceEpoch: days) ?? CalendarDate(year: 1970, month: 1, day: 1)!
        // Written as 24 bytes: a diary import writes each stage's times several times, and joining
        // padded strings cost 7 % of it. Every CalendarDate's year has four digits.
        return String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var rest = value
                for index in (offset..<offset + width).reversed() {
                    out[index] = UInt8(48 + rest % 10)
                    rest /= 10
                }
            }
            put(date.year, 4, at: 0)
            put(date.month, 2, at: 5)
            put(date.day, 2, at: 8)
            put(inDay / 3_600_000, 2, at: 11)
            put(inDay / 60000 % 60, 2, at: 14)
            put(inDay / 1000 % 60, 2, at: 17)
            put(inDay % 1000, 3, at: 20)
            (out[4], out[7], out[10]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "T"))
            (out[13], out[16], out[19], out[23]) = (UInt8(ascii: ":"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "Z"))
            return 24
        }
    }

    /// A stored timestamp as people in Viet Nam read it: `23/11/2026 20:20` (Vietnam time).
    public static func vietnamese(_ stored: String) -> String {
        let bytes = Array(stored.utf8)
        func number(_ range: Range<Int>) -> Int? { range.upperBound <= bytes.count ? bytes[range].asciiDigitsValue : nil }
        guard let year = number(0..<4), let month = number(5..<7), let dayOfMonth = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let date = CalendarDate(year: year, month: month, day: dayOfMonth) else { return stored }
        let minutes = hour * 60 + minute + vietnamOffsetSeconds / 60
        guard let local = date.adding(days: minutes / 1440) else { return stored }
        return local.vietnamese + " " + padded(minutes % 1440 / 60, 2) + ":" + padded(minutes % 60, 2)
    }

    /// Viet Nam's offset from UTC (no daylight saving), as EPCIS `eventTimeZoneOffset` writes it.
    static let vietnamOffset = "+07:00"

    /// RFC 3339 wants the offset's colon (`+07:00`); the format style leaves it out unless asked.
    private static let vietnamStyle = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, includingFractionalSeconds: true,
                                                               timeZone: TimeZone(secondsFromGMT: vietnamOffsetSeconds)!)

    /// The instant of a stored timestamp, or nil when the text is not one.
    static func date(_ stored: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(stored))
            ?? (try? Date.ISO8601FormatStyle().parse(stored))
    }

    /// The instant in Viet Nam's time, `2026-11-20T14:30:00.000+07:00`: the time the producer saw.
    static func inVietnam(_ date: Date) -> String {
        date.formatted(vietnamStyle)
    }

    /// A user's "since": a day (`2026-11-20` or `20/11/2026`, from midnight in Viet Nam) or an
    /// ISO 8601 instant with its offset.
    static func since(_ text: String) -> Date? {
        if let day = CalendarDate(parsing: text) {
            return Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400 - vietnamOffsetSeconds))
        }
        return date(text.trimmed)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

extension CalendarDate {
    /// Today in Viet Nam (UTC+7, no daylight saving time), by arithmetic: the server asks on every
    /// request, and building a Calendar and TimeZone each time costs more than the page.
    public static func todayInVietnam(now: Date = Date()) -> CalendarDate {
        let seconds = Int(now.timeIntervalSince1970.rounded(.down)) + Timestamp.vietnamOffsetSeconds
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        return CalendarDate(daysSinceEpoch: days)!
    }

}
