/// A problem with one cell of an input file, reported as `file:row:column: message`.
public struct RowProblem: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    /// The spreadsheet row number (header = 1).
    public var row: Int
    /// The column's header as written in the file, or nil when the problem concerns the whole row.
    public var column: String?
    public var message: String

    public init(file: String, row: Int, column: String?, message: String) {
        self.file = file
        self.row = row
        self.column = column
        self.message = message
    }

    public var description: String {
        if let column { return "\(file):\(row):\(column.excerpt): \(message)" }
        return "\(file):\(row): \(message)"
    }
}

/// Why a catalog or stamp-order file could not be imported as a whole.
public enum CatalogError: Error, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case notUTF8(file: String, row: Int)
    case unsupportedFormat(file: String, reason: String)
    case missingHeader(file: String)
    case missingColumns(file: String, columns: [String])
    case duplicateColumn(file: String, column: String, first: String, second: String)
    case unknownKind(file: String)
    case invalidRows(file: String, problems: [RowProblem])

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "\(file): cannot read the file: \(reason)"
        case .notUTF8(let file, let row):
            "\(file):\(row): the text is not UTF-8; save the sheet as \"CSV UTF-8\" (or as .xlsx)"
        case .unsupportedFormat(let file, let reason):
            "\(file): \(reason)"
        case .missingHeader(let file):
            "\(file):1: the file is empty: the first row must hold the column names"
        case .missingColumns(let file, let columns):
            "\(file):1: missing required column\(columns.count > 1 ? "s" : "") \(columns.joined(separator: ", "))"
        case .duplicateColumn(let file, let column, let first, let second):
            "\(file):1: the columns \(first.quoted) and \(second.quoted) both mean \(column); keep one"
        case .unknownKind(let file):
            "\(file):1: neither a product catalog (needs product_code, name, producer, province, price_vnd) nor stamp orders (needs product_code, lot, quantity, produced_on) nor a production diary (needs product_code, lot, stage, started_at) nor shipments (needs sscc or product_code and lot, receiver, receiver_province, shipped_at or received_at)"
        case .invalidRows(let file, let problems):
            "\(file): \(problems.count) invalid row\(problems.count == 1 ? "" : "s"), nothing imported:\n"
                + problems.map(\.description).joined(separator: "\n")
        }
    }
}
