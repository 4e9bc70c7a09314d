/// What an input file holds, told apart by its columns.
public enum InputKind: String, Sendable, Codable {
    case catalog
    case stampOrders = "stamp_orders"
    /// Shipments and receipts of cartons (by SSCC) or of lots, to receivers.
    case shipments

    public var requiredColumns: [CatalogColumn] {
        switch self {
        case .catalog: [.productCode, .name, .producer, .province, .priceVND]
        case .stampOrders: [.productCode, .lot, .quantity, .producedOn]
        case .shipments: [.receiver, .receiverProvince]
        }
    }

    public var allowedColumns: Set<CatalogColumn> {
        switch self {
        case .catalog: Set(CatalogColumn.allCases).subtracting([.lot, .quantity, .producedOn, .expiresOn] + InputKind.shipmentColumns)
        case .stampOrders: [.productCode, .producer, .province, .lot, .quantity, .producedOn, .expiresOn, .name, .gtin]
        case .shipments: Set(InputKind.shipmentColumns + [.productCode, .producer, .lot, .quantity])
        }
    }

    /// The columns only a shipments file has.
    static let shipmentColumns: [CatalogColumn] = [.sscc, .receiver, .receiverProvince, .receiverGLN, .shippedAt, .receivedAt]

    /// Whether `import` reads the file through the catalog pipeline (catalogs, stamp orders) or
    /// on its own (shipments, which name cartons and lots already in the registry).
    var isCatalogPipeline: Bool {
        switch self {
        case .catalog, .stampOrders: true
        case .shipments: false
        }
    }
}
