/// One card at the top of the report: a figure as the province reports it ("Tem đã phát hành:
/// 537.800"), with its breakdown underneath ("trong kỳ: 105.815").
public struct HeadlineFigure: Sendable, Hashable {
    public struct Part: Sendable, Hashable {
        public var label: ReportText
        public var value: ReportValue

        public init(_ label: ReportText, _ value: ReportValue) {
            self.label = label
            self.value = value
        }
    }

    public var label: ReportText
    public var value: ReportValue
    public var parts: [Part]

    public init(_ label: ReportText, _ value: ReportValue, parts: [Part] = []) {
        self.label = label
        self.value = value
        self.parts = parts
    }
}
