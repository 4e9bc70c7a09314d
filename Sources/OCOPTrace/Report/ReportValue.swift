/// A figure as a table cell or a headline card shows it, formatted for the page's language.
public enum ReportValue: Sendable, Hashable {
    case count(Int)
    /// 0 to 100.
    case percent(Double)
    case number(Double)
    case date(CalendarDate)
    /// Text from the registry (a producer's or lot's name): escaped when written.
    case text(String)
    /// The report's own words.
    case words(ReportText)

    public func text(_ language: Language) -> String {
        switch self {
        case .count(let value): ReportNumber.integer(value, language)
        case .percent(let value): ReportNumber.percent(value, language)
        case .number(let value): ReportNumber.decimal(value, fractionDigits: 2, language)
        case .date(let date): language == .vi ? date.vietnamese : date.iso
        case .text(let text): text
        case .words(let words): words.text(language)
        }
    }

    /// Numbers and dates line up on the right in a table.
    var isNumeric: Bool {
        switch self {
        case .count, .percent, .number, .date: true
        case .text, .words: false
        }
    }
}
