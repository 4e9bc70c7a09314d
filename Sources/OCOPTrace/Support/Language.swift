import Foundation

/// The language of text meant for people: reports, verdicts.
public enum Language: String, Sendable, Codable, CaseIterable {
    case vi
    case en

    /// Vietnamese when the locale says so (`LC_ALL`, `LC_MESSAGES`, `LANG` starting `vi`), else English.
    public static var fromEnvironment: Language {
        let environment = ProcessInfo.processInfo.environment
        let locale = environment["LC_ALL"] ?? environment["LC_MESSAGES"] ?? environment["LANG"] ?? ""
        return locale.lowercased().hasPrefix("vi") ? .vi : .en
    }
}
