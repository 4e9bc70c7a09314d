/// How one series of a line chart is drawn.
public struct LineStyle: Sendable, Hashable {
    public enum Marker: String, Sendable, Hashable {
        case circle, square, triangle, diamond, cross
    }

    public var stroke: String
    /// An SVG `stroke-dasharray`, or nil for a solid line.
    public var dash: String?
    public var marker: Marker

    public init(stroke: String, dash: String?, marker: Marker) {
        self.stroke = stroke
        self.dash = dash
        self.marker = marker
    }
}
