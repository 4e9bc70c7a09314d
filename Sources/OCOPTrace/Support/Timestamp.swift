import Foundation

/// Timestamps as the registry stores them: UTC, ISO 8601, to the millisecond.
enum Timestamp {
    static func now() -> String {
        string(Date())
    }

    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Viet Nam's offset from UTC (no daylight saving), as EPCIS `eventTimeZoneOffset` writes it.
    static let vietnamOffset = "+07:00"

    /// RFC 3339 wants the offset's colon (`+07:00`); the format style leaves it out unless asked.
    private static let vietnamStyle = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, includingFractionalSeconds: true,
                                                               timeZone: TimeZone(secondsFromGMT: 7 * 3600)!)

    /// The instant of a stored timestamp, or nil when the text is not one.
    static func date(_ stored: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(stored))
            ?? (try? Date.ISO8601FormatStyle().parse(stored))
    }

    /// The instant in Viet Nam's time, `2026-11-20T14:30:00.000+07:00`: the time the producer saw.
    static func vietnamese(_ date: Date) -> String {
        date.formatted(vietnamStyle)
    }

    /// A user's "since": a day (`2026-11-20` or `20/11/2026`, from midnight in Viet Nam) or an
    /// ISO 8601 instant with its offset.
    static func since(_ text: String) -> Date? {
        if let day = CalendarDate(parsing: text) {
            return Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400 - 7 * 3600))
        }
        return date(text.trimmed)
    }
}
