import Foundation

/// A record read from a join, whose columns are listed once: its `Columns` (the `CodingKeys` both
/// engines decode it by, as GRDB's record practices recommend) and, for each, the expression it is
/// read from. The SELECT list is made from them, so adding a column is one case and one source, and
/// the compiler asks for the source.
protocol SelectedRecord: Decodable {
    associatedtype Columns: CaseIterable, RawRepresentable where Columns.RawValue == String
    /// Where `column` is read from: `p.code`, `pr.name`, an expression.
    static func source(of column: Columns) -> String
    /// The FROM clause with its joins, without WHERE: each statement adds its own.
    static var tables: String { get }
}

extension SelectedRecord {
    /// The SELECT list: each column's source, named as the record decodes it. A record keeps this
    /// in a `static let` (see ``selectStatement()``) rather than building it per statement.
    static func columnList() -> String {
        Columns.allCases.map { column in
            let source = source(of: column)
            return source.hasSuffix(".\(column.rawValue)") || source == column.rawValue ? source : "\(source) AS \(column.rawValue)"
        }.joined(separator: ", ")
    }

    /// `SELECT` the columns `FROM` the tables; each engine adds its `WHERE`.
    static func selectStatement() -> String {
        "SELECT \(columnList())\n\(tables)"
    }
}
