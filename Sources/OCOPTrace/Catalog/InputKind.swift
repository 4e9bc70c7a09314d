/// What an input file holds, told apart by its columns.
public enum InputKind: String, Sendable, Codable {
    case catalog
    case stampOrders = "stamp_orders"
    /// A production diary (nhật ký sản xuất): the stages of lots.
    case diary

    public var requiredColumns: [CatalogColumn] {
        switch self {
        case .catalog: [.productCode, .name, .producer, .province, .priceVND]
        case .stampOrders: [.productCode, .lot, .quantity, .producedOn]
        case .diary: [.productCode, .lot, .stage, .startedAt]
        }
    }

    public var allowedColumns: Set<CatalogColumn> {
        switch self {
        case .catalog: Set(CatalogColumn.allCases).subtracting([.lot, .quantity, .producedOn, .expiresOn]).subtracting(InputKind.diaryOnly)
        case .stampOrders: [.productCode, .producer, .province, .lot, .quantity, .producedOn, .expiresOn, .name, .gtin]
        case .diary: InputKind.diaryOnly.union([.productCode, .producer, .lot, .commune, .province, .gln])
        }
    }

    /// The columns only a diary has; `stage` tells a diary apart.
    static let diaryOnly: Set<CatalogColumn> = [.stage, .startedAt, .finishedAt, .place, .placeGLN, .actor, .standard, .certificate, .note]

    /// How reports name the kind.
    public var displayName: String {
        switch self {
        case .catalog: "catalog"
        case .stampOrders: "stamp orders"
        case .diary: "production diary"
        }
    }
}
