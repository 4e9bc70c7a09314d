/// What every chart says about itself: its title and period (in the SVG `<title>` and drawn on
/// top), the names of its axes, and the unit of its values.
public struct ChartCaption: Sendable, Hashable {
    /// Names the chart's elements (`<title id="…-title">`, patterns): unique within a page. Only
    /// ASCII letters, digits and `-` are kept.
    public var id: String
    public var title: ReportText
    public var period: ReportPeriod
    /// The axis along which the categories or days run ("Tháng" / "Month").
    public var categoryAxis: ReportText
    /// The axis of the values, without its unit ("Tem phát hành" / "Stamps issued").
    public var valueAxis: ReportText
    public var unit: ChartUnit

    public init(id: String, title: ReportText, period: ReportPeriod, categoryAxis: ReportText, valueAxis: ReportText, unit: ChartUnit) {
        self.id = id
        self.title = title
        self.period = period
        self.categoryAxis = categoryAxis
        self.valueAxis = valueAxis
        self.unit = unit
    }

    /// `id` with everything but ASCII letters, digits and `-` dropped; `chart` when nothing is left.
    var safeID: String {
        id.reportAnchor(fallback: "chart")
    }

    /// "Title (period)".
    func heading(_ language: Language) -> String {
        title.text(language) + " (" + period.text(language) + ")"
    }

    /// "Stamps issued (stamps)".
    func valueAxisTitle(_ language: Language) -> String {
        valueAxis.text(language) + " (" + unit.name.text(language) + ")"
    }
}

/// The unit of a chart's values.
public enum ChartUnit: Sendable, Hashable {
    /// Things counted, named in the plural: `.count(ReportText("tem", "stamps"))`.
    case count(ReportText)
    /// Percentages, 0 to 100.
    case percent

    var name: ReportText {
        switch self {
        case .count(let name): name
        case .percent: ReportText.percentUnit
        }
    }

    /// A value as the chart writes it: `1.234` or `12,5%`.
    func format(_ value: Double, _ language: Language) -> String {
        switch self {
        case .count: ReportNumber.decimal(value, fractionDigits: 1, language)
        case .percent: ReportNumber.percent(value, language)
        }
    }

    var scale: (Double) -> AxisScale {
        switch self {
        case .count: { AxisScale(covering: $0) }
        case .percent: { $0 > 100 ? AxisScale(covering: $0, wholeNumbers: false) : AxisScale.percent }
        }
    }
}
