/// One row of a spreadsheet or CSV file, before any meaning is given to its cells.
public struct RawRow: Sendable {
    /// The row number a spreadsheet shows for it: the header is row 1.
    public var number: Int
    /// The cells, left to right; missing trailing cells are absent, not empty strings.
    public var cells: [String]

    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }

    public subscript(column: Int) -> String {
        column < cells.count ? cells[column] : ""
    }

    /// A row of empty cells, as spreadsheets leave below their data (`;;;;` in CSV exports).
    public var isBlank: Bool {
        cells.allSatisfy { $0.allSatisfy(\.isWhitespace) }
    }
}

/// Where a tabular file is in its reading, for progress displays.
public struct ReadPosition: Sendable {
    public var bytesRead: Int64
    public var totalBytes: Int64
}

/// A file of rows: CSV or the first sheet of an xlsx workbook.
public protocol TableReader {
    /// Calls `body` with each row in order, the header included, streaming where the format allows.
    func forEachRow(_ body: (RawRow, ReadPosition) throws -> Void) throws
}
