/// A table of figures under a chart or on its own: per district, per producer, the most-scanned
/// suspected copies. Columns of numbers are aligned right.
public struct ReportTable: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public var title: ReportText
        public var numeric: Bool

        public init(_ title: ReportText, numeric: Bool = false) {
            self.title = title
            self.numeric = numeric
        }
    }

    public var caption: ReportText
    public var columns: [Column]
    /// Each as many cells as there are columns.
    public var rows: [[ReportValue]]

    public init(caption: ReportText, columns: [Column], rows: [[ReportValue]]) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
    }
}
