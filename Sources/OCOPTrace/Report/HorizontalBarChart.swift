/// Horizontal bars, one a row, each under its full label: marketplace readiness per platform,
/// traceability completeness per producer. Long names read on a phone because the label has the
/// whole width above its bar.
public struct HorizontalBarChart: ReportChart {
    public var caption: ChartCaption
    public var bars: [BarChart.Bar]

    public init(caption: ChartCaption, bars: [BarChart.Bar]) {
        self.caption = caption
        self.bars = bars
    }

    public func svg(_ language: Language) -> String {
        var canvas = SVGCanvas(caption: caption, language: language)
        var y = canvas.header()
        let scale = caption.unit.scale(bars.map(\.value).max() ?? 0)
        let left = 14.0
        let right = SVGCanvas.width - 52
        let width = right - left
        canvas.text(caption.categoryAxis.text(language), x: left, y: y + 2, fill: SVGCanvas.muted, className: "axis-title")
        y += 10
        let plotTop = y
        let rowHeight = 36.0
        let plotBottom = plotTop + rowHeight * Double(bars.count) + 4
        canvas.raw("<g class=\"value-axis\">")
        for tick in scale.ticks {
            let x = left + width * tick / scale.maximum
            canvas.raw("<line x1=\"\(canvas.n(x))\" x2=\"\(canvas.n(x))\" y1=\"\(canvas.n(plotTop))\" y2=\"\(canvas.n(plotBottom))\" stroke=\"\(tick == 0 ? SVGCanvas.ink : SVGCanvas.grid)\" stroke-width=\"\(tick == 0 ? "1" : "0.6")\"/>")
            canvas.text(caption.unit.format(tick, language), x: x, y: plotBottom + 14, anchor: "middle", size: 11, fill: SVGCanvas.muted, className: "tick")
        }
        canvas.raw("</g><g class=\"bars\">")
        let paint = canvas.paint(ChartPalette.series[0])
        for (index, bar) in bars.enumerated() {
            let rowTop = plotTop + rowHeight * Double(index)
            let length = width * max(0, bar.value) / scale.maximum
            let value = caption.unit.format(bar.value, language)
            canvas.text(SVGCanvas.shortened(bar.label, to: 48), x: left, y: rowTop + 14, size: 12, className: "category")
            canvas.raw("<rect class=\"bar\" x=\"\(canvas.n(left))\" y=\"\(canvas.n(rowTop + 19))\" width=\"\(canvas.n(length))\" height=\"14\" fill=\"\(paint)\"><title>\((bar.label + ": " + value).markupEscaped)</title></rect>")
            canvas.text(value, x: left + length + 4, y: rowTop + 30.5, size: 11.5, weight: "600", className: "value")
        }
        canvas.raw("</g>")
        if bars.isEmpty { canvas.text(ReportText.noData.text(language), x: SVGCanvas.width / 2, y: plotTop + 20, anchor: "middle", fill: SVGCanvas.muted) }
        let bottom = plotBottom + 34 + (bars.isEmpty ? 30 : 0)
        canvas.text(caption.valueAxisTitle(language), x: left + width / 2, y: bottom - 4, anchor: "middle", className: "axis-title")
        return canvas.finished(height: bottom + 4, description: description(language))
    }

    func description(_ language: Language) -> String {
        var text = ReportText.horizontalSummary(ReportNumber.integer(bars.count, language)).text(language) + ", " + valuesName(language) + ": "
        text += listing(bars.map { ($0.label, $0.value) }, language)
        return text + "."
    }
}
