/// What a section holds.
public enum ReportBlock: Sendable {
    case chart(any ReportChart)
    case table(ReportTable)
    /// A paragraph of the report's own words.
    case note(ReportText)
}
