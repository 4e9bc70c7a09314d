/// How labels sit on a page: page size, grid, label size and margins, in millimetres.
public struct LabelLayout: Sendable, Codable, Equatable {
    public var name: String
    public var description: String
    public var pageWidth: Double
    public var pageHeight: Double
    public var columns: Int
    public var rows: Int
    public var labelWidth: Double
    public var labelHeight: Double
    public var marginLeft: Double
    public var marginTop: Double
    /// Space between neighbouring labels.
    public var gapX: Double
    public var gapY: Double

    public init(name: String, description: String, pageWidth: Double, pageHeight: Double, columns: Int, rows: Int,
                labelWidth: Double, labelHeight: Double, marginLeft: Double? = nil, marginTop: Double? = nil,
                gapX: Double = 0, gapY: Double = 0) {
        self.name = name
        self.description = description
        self.pageWidth = pageWidth
        self.pageHeight = pageHeight
        self.columns = columns
        self.rows = rows
        self.labelWidth = labelWidth
        self.labelHeight = labelHeight
        self.gapX = gapX
        self.gapY = gapY
        // Without margins, the grid is centred on the page, as sticker sheets are cut.
        self.marginLeft = marginLeft ?? (pageWidth - Double(columns) * labelWidth - Double(columns - 1) * gapX) / 2
        self.marginTop = marginTop ?? (pageHeight - Double(rows) * labelHeight - Double(rows - 1) * gapY) / 2
    }

    public var labelsPerPage: Int { columns * rows }

    /// The layouts shipped by name: A4 sticker sheets and thermal roll labels.
    public static let builtIn: [LabelLayout] = [
        LabelLayout(name: "a4-5x13", description: "A4 sheet, 65 labels 38.1 × 21.2 mm (the default)", pageWidth: 210, pageHeight: 297,
                    columns: 5, rows: 13, labelWidth: 38.1, labelHeight: 21.2, gapX: 2.5),
        LabelLayout(name: "a4-4x10", description: "A4 sheet, 40 labels 48.5 × 25.4 mm", pageWidth: 210, pageHeight: 297,
                    columns: 4, rows: 10, labelWidth: 48.5, labelHeight: 25.4),
        LabelLayout(name: "a4-3x8", description: "A4 sheet, 24 labels 70 × 37 mm", pageWidth: 210, pageHeight: 297,
                    columns: 3, rows: 8, labelWidth: 70, labelHeight: 37),
        LabelLayout(name: "roll-50x30", description: "thermal roll, one 50 × 30 mm label per page", pageWidth: 50, pageHeight: 30,
                    columns: 1, rows: 1, labelWidth: 50, labelHeight: 30),
        LabelLayout(name: "roll-40x30", description: "thermal roll, one 40 × 30 mm label per page", pageWidth: 40, pageHeight: 30,
                    columns: 1, rows: 1, labelWidth: 40, labelHeight: 30),
    ]

    public static let defaultName = "a4-5x13"

    public static func named(_ name: String) -> LabelLayout? {
        builtIn.first { $0.name == name.lowercased() }
    }

    public enum LayoutError: Error, Sendable, CustomStringConvertible {
        case unknown(String)
        case doesNotFit(String)
        case modulesTooSmall(layout: String, moduleMillimetres: Double, minimum: Double)

        public var description: String {
            switch self {
            case .unknown(let name):
                "no layout \(name.quoted): use one of \(LabelLayout.builtIn.map(\.name).joined(separator: ", ")), or give a custom one"
            case .doesNotFit(let reason): reason
            case .modulesTooSmall(let layout, let size, let minimum):
                "on \(layout) labels the QR modules would be \(String(format: "%.2f", size)) mm; phones need at least \(String(format: "%.2f", minimum)) mm: choose larger labels"
            }
        }
    }

    /// Checks that the grid fits on the page and every size is positive.
    public func validate() throws(LayoutError) {
        guard pageWidth > 0, pageHeight > 0, labelWidth > 0, labelHeight > 0, columns > 0, rows > 0, gapX >= 0, gapY >= 0 else {
            throw .doesNotFit("layout \(name): sizes, columns and rows must be positive")
        }
        let right = marginLeft + Double(columns) * labelWidth + Double(columns - 1) * gapX
        let bottom = marginTop + Double(rows) * labelHeight + Double(rows - 1) * gapY
        guard marginLeft >= -0.01, marginTop >= -0.01, right <= pageWidth + 0.01, bottom <= pageHeight + 0.01 else {
            throw .doesNotFit("layout \(name): \(columns) × \(rows) labels of \(labelWidth) × \(labelHeight) mm do not fit on a \(pageWidth) × \(pageHeight) mm page")
        }
    }
}
