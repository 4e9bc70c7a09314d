/// The styles of a chart's series, in order.
public enum ChartPalette {
    /// Six base colours, ordered so that neighbours in a stack differ most in lightness.
    static let base = ["#1a446b", "#eebf73", "#368c54", "#f2e9b9", "#9e403c", "#37acd7"]

    /// Twelve styles for series: the six base colours plain, then hatched.
    public static let series: [ChartStyle] =
        base.map { ChartStyle(fill: $0, pattern: .solid) } + base.map { ChartStyle(fill: $0, pattern: .hatched) }

    /// The folded "others" series: neutral grey under dots, unlike any producer's style.
    public static let others = ChartStyle(fill: "#b0b0b0", pattern: .dotted)

    /// Line styles for up to six series on a white background: dark to middle lightness (L* 22–58),
    /// each with its own dash and marker, so lines part in grey too.
    public static let lines: [LineStyle] = [
        LineStyle(stroke: "#113852", dash: nil, marker: .circle),
        LineStyle(stroke: "#b34843", dash: "7 4", marker: .square),
        LineStyle(stroke: "#0e5f31", dash: "2 3", marker: .triangle),
        LineStyle(stroke: "#8d80d7", dash: "9 3 2 3", marker: .diamond),
        LineStyle(stroke: "#5c5c60", dash: "4 2", marker: .cross),
        LineStyle(stroke: "#a0641c", dash: "1 2", marker: .circle),
    ]

    /// A platform's verdicts: listed (green), listed with warnings (light, hatched), refused (dark
    /// red); light, hatched and dark stay apart in grey.
    public static let readiness = [ChartStyle(fill: "#368c54", pattern: .solid), ChartStyle(fill: "#eebf73", pattern: .hatched),
                                   ChartStyle(fill: "#9e403c", pattern: .solid)]

    /// The chain's series: production stages (dark blue), cartons packed (brick), shipments
    /// (light, hatched), receipts (green): L* 28, 40, 80 and 52, apart in grey.
    public static let chain = [ChartStyle(fill: "#1a446b", pattern: .solid), ChartStyle(fill: "#9e403c", pattern: .solid),
                               ChartStyle(fill: "#eebf73", pattern: .hatched), ChartStyle(fill: "#368c54", pattern: .solid)]

    /// The style of series `index` of `count`, where the last series is "others" when `hasOthers`.
    public static func style(_ index: Int, of count: Int, hasOthers: Bool) -> ChartStyle {
        if hasOthers, index == count - 1 { return others }
        return series[index % series.count]
    }
}
