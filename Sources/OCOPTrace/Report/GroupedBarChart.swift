/// Vertical bars of a few series side by side per category: production stages, shipments and
/// receipts per month. Unlike ``StackedBarChart`` the series are not parts of one whole (a stage
/// and a shipment do not add up), so each gets its own bar from the axis.
public struct GroupedBarChart: ReportChart {
    public var caption: ChartCaption
    public var categories: [String]
    /// Each with one value per category; at most a handful (each category's slot is shared).
    public var series: [ChartSeries]
    /// Each series' style, in order; nil: the palette's.
    public var styles: [ChartStyle]?

    public init(caption: ChartCaption, categories: [String], series: [ChartSeries], styles: [ChartStyle]? = nil) {
        self.caption = caption
        self.categories = categories
        self.series = series
        self.styles = styles
    }

    func value(_ series: ChartSeries, _ index: Int) -> Double {
        series.values.indices.contains(index) ? max(0, series.values[index]) : 0
    }

    public func svg(_ language: Language) -> String {
        var canvas = SVGCanvas(caption: caption, language: language)
        let largest = series.flatMap { $0.values }.max() ?? 0
        let plot = canvas.plot(largest: largest, categories: categories.count, height: 190)
        let groupWidth = min(plot.slot * 0.84, 20 * Double(max(1, series.count)))
        let barWidth = groupWidth / Double(max(1, series.count))
        let paints = series.indices.map { index in
            canvas.paint(styles.map { $0[index % $0.count] } ?? ChartPalette.style(index, of: series.count, hasOthers: false))
        }
        canvas.raw("<g class=\"bars\">")
        for (index, category) in categories.enumerated() {
            let left = plot.centre(index) - groupWidth / 2
            canvas.raw("<g class=\"group\">")
            for (seriesIndex, series) in series.enumerated() {
                let value = value(series, index)
                let y = plot.y(value)
                let x = left + barWidth * Double(seriesIndex)
                let tip = category + " · " + series.name + ": " + caption.unit.format(value, language)
                canvas.raw("<rect class=\"bar\" x=\"\(canvas.n(x))\" y=\"\(canvas.n(y))\" width=\"\(canvas.n(barWidth))\" height=\"\(canvas.n(plot.bottom - y))\" fill=\"\(paints[seriesIndex])\" stroke=\"\(SVGCanvas.ink)\" stroke-width=\"0.5\"><title>\(tip.markupEscaped)</title></rect>")
            }
            canvas.raw("</g>")
        }
        canvas.raw("</g>")
        let labelsBottom = canvas.finish(plot, labels: categories)
        let bottom = canvas.legend(series.enumerated().map { ($1.name, paints[$0]) }, top: labelsBottom + 6) { paint, x, y in
            "<rect x=\"\(SVGCanvas.number(x))\" y=\"\(SVGCanvas.number(y))\" width=\"14\" height=\"12\" fill=\"\(paint)\" stroke=\"\(SVGCanvas.ink)\" stroke-width=\"0.6\"/>"
        }
        return canvas.finished(height: bottom + 4, description: description(language))
    }

    /// "Grouped bar chart, 3 months of 3 series each, … from 09/2026 to 11/2026. Total: stages 12;
    /// shipments 4; receipts 2. 09/2026: stages 5, shipments 0, receipts 0; …"
    func description(_ language: Language) -> String {
        let count = ReportNumber.integer(categories.count, language)
        var text = ReportText.groupedSummary(count, ReportNumber.integer(series.count, language)).text(language) + ", " + valuesName(language)
        text += " " + ReportText.range(categories.first ?? "–", categories.last ?? "–").text(language) + ". "
        text += ReportText.total.text(language) + ": " + listing(series.map { ($0.name, $0.total) }, language) + ". "
        let months = categories.enumerated().prefix(24).map { index, category in
            category + ": " + series.map { $0.name + " " + caption.unit.format(value($0, index), language) }.joined(separator: ", ")
        }
        text += months.joined(separator: "; ")
        if categories.count > 24 {
            text += "; " + ReportText.andMore(ReportNumber.integer(categories.count - 24, language)).text(language)
        }
        return text + "."
    }
}
