/// The days a report covers, as `--since` and `--until` give them; either end may be open.
public struct ReportPeriod: Sendable, Hashable {
    public var since: CalendarDate?
    public var until: CalendarDate?

    public init(since: CalendarDate? = nil, until: CalendarDate? = nil) {
        self.since = since
        self.until = until
    }

    /// `01/01/2026 – 31/03/2026` in Vietnamese, `2026-01-01 – 2026-03-31` in English; an open end
    /// reads "since …" or "until …", and no end at all "all time".
    public func text(_ language: Language) -> String {
        func date(_ day: CalendarDate) -> String { language == .vi ? day.vietnamese : day.iso }
        switch (since, until) {
        case let (since?, until?): return date(since) + " – " + date(until)
        case let (since?, nil): return ReportText.since(date(since)).text(language)
        case let (nil, until?): return ReportText.until(date(until)).text(language)
        case (nil, nil): return ReportText.allTime.text(language)
        }
    }
}
