/// Vertical bars of several series stacked per category: stamps issued per month by producer.
/// Past `largest` series the rest fold into one "others" series, drawn in its own grey.
public struct StackedBarChart: ReportChart {
    public var caption: ChartCaption
    public var categories: [String]
    /// Each with one value per category.
    public var series: [ChartSeries]
    /// How many series keep their own colour before the rest fold into "others"; nil keeps all
    /// (then no more than ``ChartPalette/series`` can tell apart).
    public var largest: Int?
    /// Each series' own style, in order, where the series mean something a colour should say
    /// (listed, with warnings, refused); nil: the palette's. Only with `largest` nil.
    public var styles: [ChartStyle]?

    public init(caption: ChartCaption, categories: [String], series: [ChartSeries], largest: Int? = 10, styles: [ChartStyle]? = nil) {
        self.caption = caption
        self.categories = categories
        self.series = series
        self.largest = largest
        self.styles = styles
    }

    /// The series as drawn, largest first, and whether the last is "others".
    func drawnSeries(_ language: Language) -> (series: [ChartSeries], hasOthers: Bool) {
        guard let largest else { return (series, false) }
        let folded = series.foldingAllButLargest(largest, into: ReportText.others.text(language))
        return (folded, folded.count < series.count)
    }

    public func svg(_ language: Language) -> String {
        let (drawn, hasOthers) = drawnSeries(language)
        let totals = categories.indices.map { index in drawn.reduce(0) { $0 + max(0, $1.values.indices.contains(index) ? $1.values[index] : 0) } }
        var canvas = SVGCanvas(caption: caption, language: language)
        let plot = canvas.plot(largest: totals.max() ?? 0, categories: categories.count, height: 190)
        let barWidth = min(plot.slot * 0.72, 48)
        let paints = drawn.indices.map { index in
            if largest == nil, let styles, !styles.isEmpty { return canvas.paint(styles[index % styles.count]) }
            return canvas.paint(ChartPalette.style(index, of: drawn.count, hasOthers: hasOthers))
        }
        let unitHeight = (plot.bottom - plot.top) / plot.scale.maximum
        canvas.raw("<g class=\"bars\">")
        for (index, category) in categories.enumerated() {
            let x = plot.centre(index) - barWidth / 2
            var y = plot.bottom
            canvas.raw("<g class=\"stack\">")
            for (seriesIndex, series) in drawn.enumerated() {
                let value = series.values.indices.contains(index) ? series.values[index] : 0
                guard value > 0 else { continue }
                let height = value * unitHeight
                y -= height
                let tip = category + " · " + series.name + ": " + caption.unit.format(value, language)
                canvas.raw("<rect class=\"segment\" x=\"\(canvas.n(x))\" y=\"\(canvas.n(y))\" width=\"\(canvas.n(barWidth))\" height=\"\(canvas.n(height))\" fill=\"\(paints[seriesIndex])\" stroke=\"#ffffff\" stroke-width=\"0.8\"><title>\(tip.markupEscaped)</title></rect>")
            }
            canvas.raw("</g>")
            let total = caption.unit.format(totals[index], language)
            if SVGCanvas.textWidth(total, size: 11) <= plot.slot {
                canvas.text(total, x: x + barWidth / 2, y: y - 4, anchor: "middle", size: 11, className: "value")
            }
        }
        canvas.raw("</g>")
        let labelsBottom = canvas.finish(plot, labels: categories)
        let bottom = canvas.legend(drawn.enumerated().map { ($1.name, paints[$0]) }, top: labelsBottom + 6) { paint, x, y in
            "<rect x=\"\(SVGCanvas.number(x))\" y=\"\(SVGCanvas.number(y))\" width=\"14\" height=\"12\" fill=\"\(paint)\" stroke=\"\(SVGCanvas.ink)\" stroke-width=\"0.6\"/>"
        }
        return canvas.finished(height: bottom + 4, description: description(drawn, totals: totals, language))
    }

    func description(_ drawn: [ChartSeries], totals: [Double], _ language: Language) -> String {
        let count = ReportNumber.integer(categories.count, language)
        var text = ReportText.stackedSummary(count, ReportNumber.integer(drawn.count, language)).text(language) + ", " + valuesName(language)
        text += " " + ReportText.range(categories.first ?? "–", categories.last ?? "–").text(language) + ". "
        text += ReportText.total.text(language) + ": " + listing(drawn.map { ($0.name, $0.total) }, language) + ". "
        text += listing(Array(zip(categories, totals)).map { ($0.0, $0.1) }, language)
        text += ". " + ReportText.total.text(language) + " " + caption.unit.format(totals.reduce(0, +), language) + "."
        return text
    }
}
