import Foundation

/// A stamp order the registry holds, as a new row for its lot meets it.
public struct StoredStampOrder: Sendable, Hashable, Codable, SelectedRecord {
    public var id: Int64
    public var productID: Int64
    public var lot: String
    public var lotLabel: String
    public var quantity: Int
    public var producedOn: String
    public var expiresOn: String?
    public var status: StampOrderStatus

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, productID = "product_id", lot, lotLabel = "lot_label", quantity, producedOn = "produced_on", expiresOn = "expires_on", status
    }
    typealias Columns = CodingKeys

    static func source(of column: Columns) -> String { column.rawValue }
    static let tables = "FROM stamp_orders"

    /// Every stored order, in both dialects; each engine adds its own `WHERE`.
    static let selection = selectStatement()
}

/// What a stamp-order row does to the order stored for its lot (the import decides, the store writes).
public enum StampOrderChange: Sendable, Hashable {
    case unchanged
    case update
    /// The order differs, but its stamps are being issued or issued already.
    case locked(StampOrderStatus)
}
