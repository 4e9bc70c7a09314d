/// The report page: one self-contained HTML document (style inline, charts as inline SVG, no
/// script, nothing fetched), readable on a phone at 360 px and printable on A4. The figures come
/// from the caller; this only lays them out, so the same document gives the same bytes.
///
/// ```swift
/// let page = ReportDocument(title: ReportText("Báo cáo OCOP", "OCOP report"), scope: "Tỉnh Phú Thọ",
///                           period: ReportPeriod(since: start, until: end), generated: "2026-04-01 08:00",
///                           figures: [HeadlineFigure(ReportText("Tem đã phát hành", "Stamps issued"), .count(537_800))],
///                           sections: [ReportSection(id: "stamps", title: …, blocks: [.chart(chart), .table(table)])])
/// try page.html(.vi).write(to: url, atomically: true, encoding: .utf8)
/// ```
public struct ReportDocument: Sendable {
    public var title: ReportText
    /// The province, district or producer the figures cover (from the registry: escaped).
    public var scope: String?
    public var period: ReportPeriod
    /// When the figures were read, as the caller writes it (given, not read from the clock, so
    /// that the page is reproducible).
    public var generated: String?
    public var figures: [HeadlineFigure]
    public var sections: [ReportSection]
    /// The same report in the other language (a relative file name such as `report.en.html`):
    /// the page links to it at the top.
    public var otherLanguageFile: String?

    public init(title: ReportText, scope: String? = nil, period: ReportPeriod, generated: String? = nil,
                figures: [HeadlineFigure], sections: [ReportSection], otherLanguageFile: String? = nil) {
        self.title = title
        self.scope = scope
        self.period = period
        self.generated = generated
        self.figures = figures
        self.sections = sections
        self.otherLanguageFile = otherLanguageFile
    }
}
