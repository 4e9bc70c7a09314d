import Foundation

/// Timestamps as the registry stores them: UTC, ISO 8601, to the millisecond.
enum Timestamp {
    static func now() -> String {
        string(Date())
    }

    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
