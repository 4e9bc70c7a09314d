/// What an input file holds, told apart by its columns.
public enum InputKind: String, Sendable, Codable {
    case catalog
    case stampOrders = "stamp_orders"

    public var requiredColumns: [CatalogColumn] {
        switch self {
        case .catalog: [.productCode, .name, .producer, .province, .priceVND]
        case .stampOrders: [.productCode, .lot, .quantity, .producedOn]
        }
    }

    public var allowedColumns: Set<CatalogColumn> {
        switch self {
        case .catalog: Set(CatalogColumn.allCases).subtracting([.lot, .quantity, .producedOn, .expiresOn])
        case .stampOrders: [.productCode, .producer, .province, .lot, .quantity, .producedOn, .expiresOn, .name, .gtin]
        }
    }
}
