/// One part of the report under its own heading: charts, tables and notes, in order.
public struct ReportSection: Sendable {
    /// The section's anchor in the page (`#stamps`): ASCII letters, digits and `-`.
    public var id: String
    public var title: ReportText
    public var blocks: [ReportBlock]

    public init(id: String, title: ReportText, blocks: [ReportBlock]) {
        self.id = id
        self.title = title
        self.blocks = blocks
    }
}
