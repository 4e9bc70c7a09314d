/// Vertical bars, one a category: OCOP products by star rating, stamps issued per month.
public struct BarChart: ReportChart {
    public struct Bar: Sendable, Hashable {
        public var label: String
        public var value: Double

        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    public var caption: ChartCaption
    public var bars: [Bar]

    public init(caption: ChartCaption, bars: [Bar]) {
        self.caption = caption
        self.bars = bars
    }

    public func svg(_ language: Language) -> String {
        var canvas = SVGCanvas(caption: caption, language: language)
        let plot = canvas.plot(largest: bars.map(\.value).max() ?? 0, categories: bars.count, height: 170)
        let barWidth = min(plot.slot * 0.7, 48)
        canvas.raw("<g class=\"bars\">")
        let style = ChartPalette.series[0]
        for (index, bar) in bars.enumerated() {
            let y = plot.y(bar.value)
            let x = plot.centre(index) - barWidth / 2
            let value = caption.unit.format(bar.value, language)
            canvas.raw("<rect class=\"bar\" x=\"\(canvas.n(x))\" y=\"\(canvas.n(y))\" width=\"\(canvas.n(barWidth))\" height=\"\(canvas.n(plot.bottom - y))\" fill=\"\(canvas.paint(style))\"><title>\((bar.label + ": " + value).markupEscaped)</title></rect>")
            if SVGCanvas.textWidth(value, size: 11) <= plot.slot {
                canvas.text(value, x: x + barWidth / 2, y: y - 4, anchor: "middle", size: 11, className: "value")
            }
        }
        canvas.raw("</g>")
        let bottom = canvas.finish(plot, labels: bars.map(\.label))
        return canvas.finished(height: bottom + 4, description: description(language))
    }

    func description(_ language: Language) -> String {
        let total = bars.reduce(0) { $0 + $1.value }
        var text = ReportText.barChartSummary(ReportNumber.integer(bars.count, language)).text(language) + ", " + valuesName(language)
        text += " " + ReportText.range(bars.first?.label ?? "–", bars.last?.label ?? "–").text(language) + ": "
        text += listing(bars.map { ($0.label, $0.value) }, language)
        if caption.unit != .percent { text += ". " + ReportText.total.text(language) + " " + caption.unit.format(total, language) }
        if let highest = bars.max(by: { $0.value < $1.value }) {
            text += "; " + ReportText.highest(highest.label, caption.unit.format(highest.value, language)).text(language)
        }
        return text + "."
    }
}
