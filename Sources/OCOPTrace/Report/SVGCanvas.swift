/// The markup of one chart, built by appending: coordinates written the same way every time, every
/// piece of text escaped, and the parts all charts share (header, value axis, legend).
struct SVGCanvas {
    static let width = 360.0
    static let fontFamily = "system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif"
    static let ink = "#1d1d1f"
    static let muted = "#55555a"
    static let grid = "#d4d4d8"

    let caption: ChartCaption
    let language: Language
    private(set) var body = ""
    private var definitions = ""
    private var definedPatterns: Set<ChartStyle> = []

    init(caption: ChartCaption, language: Language) {
        self.caption = caption
        self.language = language
    }

    var id: String { caption.safeID }

    // MARK: Writing

    mutating func raw(_ markup: String) {
        body += markup
    }

    /// A `<text>` element; `content` is escaped.
    mutating func text(_ content: String, x: Double, y: Double, anchor: String = "start", size: Double = 12, weight: String? = nil,
                       fill: String = SVGCanvas.ink, className: String? = nil, rotate: Double? = nil) {
        var element = "<text x=\"\(n(x))\" y=\"\(n(y))\""
        if anchor != "start" { element += " text-anchor=\"\(anchor)\"" }
        if size != 12 { element += " font-size=\"\(n(size))\"" }
        if let weight { element += " font-weight=\"\(weight)\"" }
        if fill != SVGCanvas.ink { element += " fill=\"\(fill)\"" }
        if let className { element += " class=\"\(className)\"" }
        if let rotate { element += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
        body += element + ">" + content.markupEscaped + "</text>"
    }

    /// The fill attribute value for a style: its colour, or its pattern (defined once per chart).
    mutating func paint(_ style: ChartStyle) -> String {
        guard style.pattern != .solid else { return style.fill }
        let patternID = id + "-" + style.pattern.rawValue + "-" + String(style.fill.dropFirst())
        if definedPatterns.insert(style).inserted {
            switch style.pattern {
            case .hatched:
                let stripe = style.lightness < 60 ? "#ffffff\" fill-opacity=\".6" : "#1d1d1f\" fill-opacity=\".45"
                definitions += "<pattern id=\"\(patternID)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                    + "<rect width=\"6\" height=\"6\" fill=\"\(style.fill)\"/><rect width=\"2.5\" height=\"6\" fill=\"\(stripe)\"/></pattern>"
            case .dotted:
                definitions += "<pattern id=\"\(patternID)\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">"
                    + "<rect width=\"5\" height=\"5\" fill=\"\(style.fill)\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.1\" fill=\"#1d1d1f\"/></pattern>"
            case .solid:
                break
            }
        }
        return "url(#\(patternID))"
    }

    /// The whole `<svg>`: `<title>` first, then `<desc>`, the pattern definitions and the body.
    func finished(height: Double, description: String) -> String {
        let heading = caption.heading(language).markupEscaped
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"chart\" id=\"\(id)\" viewBox=\"0 0 \(n(SVGCanvas.width)) \(n(height))\""
        svg += " width=\"\(n(SVGCanvas.width))\" height=\"\(n(height))\" aria-labelledby=\"\(id)-title \(id)-desc\""
        svg += " font-family=\"\(SVGCanvas.fontFamily)\" font-size=\"12\" fill=\"\(SVGCanvas.ink)\">"
        svg += "<title id=\"\(id)-title\">\(heading)</title><desc id=\"\(id)-desc\">\(description.markupEscaped)</desc>"
        if !definitions.isEmpty { svg += "<defs>" + definitions + "</defs>" }
        svg += "<rect width=\"\(n(SVGCanvas.width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>"
        return svg + body + "</svg>"
    }

    // MARK: Shared parts

    /// The title (wrapped) and the period under it; returns the y where the plot may start.
    mutating func header() -> Double {
        var y = 18.0
        for line in SVGCanvas.wrap(caption.title.text(language), width: 40) {
            text(line, x: 0, y: y, size: 15, weight: "700", className: "chart-title")
            y += 19
        }
        text(caption.period.text(language), x: 0, y: y - 2, size: 12, fill: SVGCanvas.muted, className: "chart-period")
        return y + 14
    }

    /// The area of a chart with values up the left and categories along the bottom.
    struct Plot {
        let scale: AxisScale
        let left: Double
        let right: Double
        let top: Double
        let bottom: Double
        /// The width each category gets.
        let slot: Double

        /// The y of a value (negative values sit on the axis).
        func y(_ value: Double) -> Double {
            bottom - (bottom - top) * max(0, value) / scale.maximum
        }

        /// The x of the middle of category `index`.
        func centre(_ index: Int) -> Double {
            left + slot * (Double(index) + 0.5)
        }
    }

    /// Draws the header and the value axis for values up to `largest` and `categories` slots;
    /// returns the plot area, `height` high.
    mutating func plot(largest: Double, categories: Int, height: Double) -> Plot {
        let top = header() + 10
        let scale = caption.unit.scale(largest)
        let left = valueAxisMargin(scale)
        let right = SVGCanvas.width - 8
        valueAxis(scale, left: left, right: right, top: top, bottom: top + height)
        return Plot(scale: scale, left: left, right: right, top: top, bottom: top + height, slot: (right - left) / Double(max(1, categories)))
    }

    /// Under the plot: the category labels and the axis's title, or a word that there is no data.
    /// Returns the y below them.
    mutating func finish(_ plot: Plot, labels: [String]) -> Double {
        if labels.isEmpty {
            text(ReportText.noData.text(language), x: (plot.left + plot.right) / 2, y: (plot.top + plot.bottom) / 2, anchor: "middle", fill: SVGCanvas.muted)
        }
        return categoryLabels(labels, left: plot.left, slot: plot.slot, top: plot.bottom)
    }

    /// The left margin that leaves room for the value axis's title and its widest tick label.
    func valueAxisMargin(_ scale: AxisScale) -> Double {
        let widest = scale.ticks.map { SVGCanvas.textWidth(caption.unit.format($0, language), size: 11) }.max() ?? 0
        return 20 + widest + 6
    }

    /// Horizontal gridlines with their values, and the value axis's title turned upright.
    mutating func valueAxis(_ scale: AxisScale, left: Double, right: Double, top: Double, bottom: Double) {
        raw("<g class=\"value-axis\">")
        for tick in scale.ticks {
            let y = bottom - (bottom - top) * tick / scale.maximum
            raw("<line x1=\"\(n(left))\" x2=\"\(n(right))\" y1=\"\(n(y))\" y2=\"\(n(y))\" stroke=\"\(tick == 0 ? SVGCanvas.ink : SVGCanvas.grid)\" stroke-width=\"\(tick == 0 ? "1" : "0.6")\"/>")
            text(caption.unit.format(tick, language), x: left - 4, y: y + 4, anchor: "end", size: 11, fill: SVGCanvas.muted, className: "tick")
        }
        text(caption.valueAxisTitle(language), x: 12, y: (top + bottom) / 2, anchor: "middle", size: 12, className: "axis-title", rotate: -90)
        raw("</g>")
    }

    /// Category labels under slots of equal width: level when they fit, else turned 45°, and only
    /// every k-th when even that crowds. Returns the y below them.
    mutating func categoryLabels(_ labels: [String], left: Double, slot: Double, top: Double) -> Double {
        let shown = labels.map { SVGCanvas.shortened($0, to: 16) }
        let widest = shown.map { SVGCanvas.textWidth($0, size: 11) }.max() ?? 0
        let level = widest + 4 <= slot
        let every = level ? 1 : max(1, Int((14 / slot).rounded(.up)))
        raw("<g class=\"category-axis\">")
        for (index, label) in shown.enumerated() where index % every == 0 {
            let x = left + slot * (Double(index) + 0.5)
            if level {
                text(label, x: x, y: top + 13, anchor: "middle", size: 11, className: "category")
            } else {
                text(label, x: x + 3, y: top + 10, anchor: "end", size: 11, className: "category", rotate: -45)
            }
        }
        raw("</g>")
        let depth = level ? 18 : widest * 0.72 + 14
        text(caption.categoryAxis.text(language), x: left + slot * Double(labels.count) / 2, y: top + depth + 12, anchor: "middle", className: "axis-title")
        return top + depth + 20
    }

    /// Swatches with the series' names, two to a row; returns the y below them.
    mutating func legend(_ entries: [(name: String, paint: String)], top: Double, swatch: (String, Double, Double) -> String) -> Double {
        raw("<g class=\"legend\">")
        let columnWidth = SVGCanvas.width / 2
        for (index, entry) in entries.enumerated() {
            let x = Double(index % 2) * columnWidth
            let y = top + Double(index / 2) * 18
            raw("<g class=\"legend-item\"><title>\(entry.name.markupEscaped)</title>")
            raw(swatch(entry.paint, x, y))
            text(SVGCanvas.shortened(entry.name, to: 23), x: x + 20, y: y + 10, size: 11.5)
            raw("</g>")
        }
        raw("</g>")
        return top + Double((entries.count + 1) / 2) * 18
    }

    // MARK: Numbers and text

    /// A coordinate with at most one decimal, written the same way on every machine.
    func n(_ value: Double) -> String {
        SVGCanvas.number(value)
    }

    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        return magnitude % 10 == 0 ? sign + String(magnitude / 10) : sign + String(magnitude / 10) + "." + String(magnitude % 10)
    }

    /// About how wide a text is drawn in a sans-serif face.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.56
    }

    /// At most `limit` characters, the last one `…` when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// Words into lines of at most about `width` characters.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
