/// The columns found in a header row: where each one is and how the file spells it.
public struct HeaderMap: Sendable {
    public let kind: InputKind
    private var positions: [CatalogColumn: (index: Int, header: String)] = [:]
    /// Headers that name no known column; their cells are ignored.
    public private(set) var ignoredHeaders: [String] = []

    public init(header: RawRow, file: String) throws {
        var positions: [CatalogColumn: (index: Int, header: String)] = [:]
        var ignored: [String] = []
        for (index, text) in header.cells.enumerated() {
            let trimmed = text.nfc.collapsingWhitespace
            guard !trimmed.isEmpty else { continue }
            guard let column = CatalogColumn(header: trimmed) else {
                ignored.append(trimmed)
                continue
            }
            if let first = positions[column] {
                throw CatalogError.duplicateColumn(file: file, column: column.displayName, first: first.header, second: trimmed)
            }
            positions[column] = (index, trimmed)
        }
        let isDiary = positions[.stage] != nil
        let isShipments = !isDiary && (positions[.receiver] != nil || positions[.sscc] != nil)
        let isOrders = !isDiary && !isShipments && (positions[.lot] != nil || positions[.quantity] != nil)
        let isCatalog = !isDiary && !isShipments && (positions[.priceVND] != nil || positions[.name] != nil && !isOrders)
        guard isDiary || isShipments || isOrders || isCatalog else { throw CatalogError.unknownKind(file: file) }
        let kind: InputKind = isDiary ? .diary : isShipments ? .shipments : isOrders ? .stampOrders : .catalog
        let missing = kind.requiredColumns.filter { positions[$0] == nil }
        guard missing.isEmpty else {
            throw CatalogError.missingColumns(file: file, columns: missing.map(\.displayName))
        }
        for (column, position) in positions where !kind.allowedColumns.contains(column) {
            ignored.append(position.header)
            positions[column] = nil
        }
        self.kind = kind
        self.positions = positions
        self.ignoredHeaders = ignored
    }

    public func contains(_ column: CatalogColumn) -> Bool { positions[column] != nil }

    /// The header as the file writes it, for messages.
    public func header(of column: CatalogColumn) -> String {
        positions[column]?.header ?? column.rawValue
    }

    /// The cell of `column` in `row`, or "" when the file has no such column.
    public func cell(_ column: CatalogColumn, in row: RawRow) -> String {
        guard let position = positions[column] else { return "" }
        return row[position.index]
    }
}
