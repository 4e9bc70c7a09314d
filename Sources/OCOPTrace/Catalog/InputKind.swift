/// What an input file holds, told apart by its columns.
public enum InputKind: String, Sendable, Codable {
    case catalog
    case stampOrders = "stamp_orders"
    /// A production diary (nhật ký sản xuất): the stages of lots.
    case diary
    /// Shipments and receipts of cartons (by SSCC) or of lots, to receivers.
    case shipments

    public var requiredColumns: [CatalogColumn] {
        switch self {
        case .catalog: [.productCode, .name, .producer, .province, .priceVND]
        case .stampOrders: [.productCode, .lot, .quantity, .producedOn]
        case .diary: [.productCode, .lot, .stage, .startedAt]
        case .shipments: [.receiver, .receiverProvince]
        }
    }

    public var allowedColumns: Set<CatalogColumn> {
        switch self {
        case .catalog:
            Set(CatalogColumn.allCases).subtracting([.lot, .quantity, .producedOn, .expiresOn] + InputKind.shipmentColumns).subtracting(InputKind.diaryOnly)
        case .stampOrders: [.productCode, .producer, .province, .lot, .quantity, .producedOn, .expiresOn, .name, .gtin]
        case .diary: InputKind.diaryOnly.union([.productCode, .producer, .lot, .commune, .province, .gln])
        case .shipments: Set(InputKind.shipmentColumns + [.productCode, .producer, .lot, .quantity])
        }
    }

    /// The columns only a diary has; `stage` tells a diary apart.
    static let diaryOnly: Set<CatalogColumn> = [.stage, .startedAt, .finishedAt, .place, .placeGLN, .actor, .standard, .certificate, .note]

    /// The columns only a shipments file has.
    static let shipmentColumns: [CatalogColumn] = [.sscc, .receiver, .receiverProvince, .receiverGLN, .shippedAt, .receivedAt]

    /// Whether `import` reads the file through the catalog pipeline (catalogs, stamp orders,
    /// diaries) or on its own (shipments, which name cartons and lots already in the registry).
    var isCatalogPipeline: Bool {
        switch self {
        case .catalog, .stampOrders, .diary: true
        case .shipments: false
        }
    }

    /// How reports name the kind.
    public var displayName: String {
        switch self {
        case .catalog: "catalog"
        case .stampOrders: "stamp orders"
        case .diary: "production diary"
        case .shipments: "shipments"
        }
    }
}
