/// Several series over the same days or months, as lines with a marker at every point: scans per
/// day by verdict. Each line has its own lightness, dash and marker shape.
public struct LineChart: ReportChart {
    public var caption: ChartCaption
    /// The points along the category axis, in order ("01/03", "02/03", …).
    public var categories: [String]
    /// At most ``ChartPalette/lines``' count of series; each has one value per category.
    public var series: [ChartSeries]

    public init(caption: ChartCaption, categories: [String], series: [ChartSeries]) {
        self.caption = caption
        self.categories = categories
        self.series = series
    }

    public func svg(_ language: Language) -> String {
        var canvas = SVGCanvas(caption: caption, language: language)
        let plot = canvas.plot(largest: series.flatMap(\.values).max() ?? 0, categories: categories.count, height: 180)
        let size = min(4.5, max(2, plot.slot * 0.45))
        for (seriesIndex, line) in series.enumerated() {
            let style = ChartPalette.lines[seriesIndex % ChartPalette.lines.count]
            let points = categories.indices.map { index in
                let value = line.values.indices.contains(index) ? max(0, line.values[index]) : 0
                return (x: plot.centre(index), y: plot.y(value), value: value)
            }
            canvas.raw("<g class=\"series\" data-series=\"\(seriesIndex)\"><title>\(line.name.markupEscaped)</title>")
            if points.count > 1 {
                let path = points.map { canvas.n($0.x) + "," + canvas.n($0.y) }.joined(separator: " ")
                canvas.raw("<polyline class=\"line\" points=\"\(path)\" fill=\"none\" stroke=\"\(style.stroke)\" stroke-width=\"2\" stroke-linejoin=\"round\"\(style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>")
            }
            for (index, point) in points.enumerated() {
                let tip = categories[index] + " · " + line.name + ": " + caption.unit.format(point.value, language)
                canvas.raw(LineChart.marker(style, x: point.x, y: point.y, size: size, extra: "class=\"point\"", title: tip))
            }
            canvas.raw("</g>")
        }
        let labelsBottom = canvas.finish(plot, labels: categories)
        let entries = series.enumerated().map { ($1.name, String($0)) }
        let bottom = canvas.legend(entries, top: labelsBottom + 6) { index, x, y in
            let style = ChartPalette.lines[Int(index)! % ChartPalette.lines.count]
            return "<line x1=\"\(SVGCanvas.number(x))\" x2=\"\(SVGCanvas.number(x + 16))\" y1=\"\(SVGCanvas.number(y + 6))\" y2=\"\(SVGCanvas.number(y + 6))\" stroke=\"\(style.stroke)\" stroke-width=\"2\"\(style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>"
                + LineChart.marker(style, x: x + 8, y: y + 6, size: 4, extra: nil, title: nil)
        }
        return canvas.finished(height: bottom + 4, description: description(language))
    }

    /// The marker of a point: a shape centred on (x, y), white-rimmed so that crossings stay legible.
    static func marker(_ style: LineStyle, x: Double, y: Double, size s: Double, extra: String?, title: String?) -> String {
        let f = SVGCanvas.number
        let attributes = (extra.map { $0 + " " } ?? "") + "fill=\"\(style.stroke)\" stroke=\"#ffffff\" stroke-width=\"0.8\""
        func element(_ name: String, _ geometry: String) -> String {
            let open = "<\(name) \(geometry) \(attributes)"
            guard let title else { return open + "/>" }
            return open + "><title>\(title.markupEscaped)</title></\(name)>"
        }
        switch style.marker {
        case .circle:
            return element("circle", "cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(s))\"")
        case .square:
            return element("rect", "x=\"\(f(x - s * 0.9))\" y=\"\(f(y - s * 0.9))\" width=\"\(f(s * 1.8))\" height=\"\(f(s * 1.8))\"")
        case .triangle:
            return element("path", "d=\"M\(f(x)) \(f(y - s * 1.15))L\(f(x + s * 1.1)) \(f(y + s * 0.85))L\(f(x - s * 1.1)) \(f(y + s * 0.85))Z\"")
        case .diamond:
            return element("path", "d=\"M\(f(x)) \(f(y - s * 1.2))L\(f(x + s * 1.2)) \(f(y))L\(f(x)) \(f(y + s * 1.2))L\(f(x - s * 1.2)) \(f(y))Z\"")
        case .cross:
            return element("path", "d=\"M\(f(x - s)) \(f(y - s * 0.4))h\(f(s * 0.6))v-\(f(s * 0.6))h\(f(s * 0.8))v\(f(s * 0.6))h\(f(s * 0.6))v\(f(s * 0.8))h-\(f(s * 0.6))v\(f(s * 0.6))h-\(f(s * 0.8))v-\(f(s * 0.6))h-\(f(s * 0.6))Z\"")
        }
    }

    func description(_ language: Language) -> String {
        var text = ReportText.lineSummary(ReportNumber.integer(categories.count, language), ReportNumber.integer(series.count, language)).text(language)
        text += ", " + valuesName(language) + " " + ReportText.range(categories.first ?? "–", categories.last ?? "–").text(language) + ". "
        text += series.map { line in
            var part = line.name + ": " + ReportText.total.text(language).lowercased() + " " + caption.unit.format(line.total, language)
            if let peak = line.values.indices.max(by: { line.values[$0] < line.values[$1] }), line.values[peak] > 0, categories.indices.contains(peak) {
                part += ", " + ReportText.peak(categories[peak], caption.unit.format(line.values[peak], language)).text(language)
            }
            return part
        }.joined(separator: "; ")
        return text + "."
    }
}
