import Foundation

/// Timestamps as the registry stores them: UTC, ISO 8601, to the millisecond.
public enum Timestamp {
    public static func now() -> String {
        string(Date())
    }

    /// A stored timestamp as people in Viet Nam read it: `23/11/2026 14:05`, Vietnam time.
    public static func vietnamese(_ stored: String) -> String {
        guard let date = try? Date(stored, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) else { return stored }
        return vietnameseFormat.format(date)
    }

    private static let vietnameseFormat = Date.VerbatimFormatStyle(
        format: "\(day: .twoDigits)/\(month: .twoDigits)/\(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
        timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, calendar: Calendar(identifier: .gregorian))

    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
