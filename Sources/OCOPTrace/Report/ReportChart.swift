/// A chart the report page can hold: one `<svg role="img">` whose first child is its `<title>`,
/// then a `<desc>` that says in words what the chart shows. The same chart and language give the
/// same bytes.
public protocol ReportChart: Sendable {
    var caption: ChartCaption { get }
    func svg(_ language: Language) -> String
}

extension ReportChart {
    /// "label value; label value; … and 7 more": the text alternative's list, at most `limit` items.
    func listing(_ items: [(label: String, value: Double)], limit: Int = 24, _ language: Language) -> String {
        var parts = items.prefix(limit).map { $0.label + " " + caption.unit.format($0.value, language) }
        if items.count > limit { parts.append(ReportText.andMore(ReportNumber.integer(items.count - limit, language)).text(language)) }
        return parts.joined(separator: "; ")
    }

    /// "Stamps issued (stamps)" as the text alternative names the values.
    func valuesName(_ language: Language) -> String {
        caption.valueAxisTitle(language)
    }
}
