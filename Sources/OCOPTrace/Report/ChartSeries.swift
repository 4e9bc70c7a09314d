/// One named series of a chart: a producer's stamps per month, the scans of one verdict per day.
/// `values` line up with the chart's categories.
public struct ChartSeries: Sendable, Hashable {
    /// The series' name; a producer's name comes from a catalog, so it is escaped when drawn.
    public var name: String
    public var values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }

    public var total: Double { values.reduce(0, +) }
}

extension [ChartSeries] {
    /// The `count` series with the largest totals, in that order (ties by name, for the same
    /// output every time), then one series named `othersName` that adds up the rest, category by
    /// category. Nothing is folded when there are at most `count + 1` series: an "others" of a
    /// single series would hide its name for nothing.
    ///
    /// ```swift
    /// producers.foldingAllButLargest(10, into: ReportText.others.text(.vi))
    /// ```
    public func foldingAllButLargest(_ count: Int, into othersName: String) -> [ChartSeries] {
        let ranked = sorted { ($0.total, $1.name) > ($1.total, $0.name) }
        guard ranked.count > Swift.max(0, count) + 1 else { return ranked }
        let kept = Array(ranked.prefix(Swift.max(0, count)))
        let width = map(\.values.count).max() ?? 0
        var others = [Double](repeating: 0, count: width)
        for series in ranked.dropFirst(kept.count) {
            for (index, value) in series.values.enumerated() { others[index] += value }
        }
        return kept + [ChartSeries(name: othersName, values: others)]
    }
}
