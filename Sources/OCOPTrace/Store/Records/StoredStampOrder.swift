import Foundation

/// A stamp order the registry holds, as a new row for its lot meets it.
public struct StoredStampOrder: Sendable, Hashable, Codable {
    public var id: Int64
    public var productID: Int64
    public var lot: String
    public var lotLabel: String
    public var quantity: Int
    public var producedOn: String
    public var expiresOn: String?
    public var status: String

    enum CodingKeys: String, CodingKey {
        case id, lot, quantity, status
        case productID = "product_id", lotLabel = "lot_label", producedOn = "produced_on", expiresOn = "expires_on"
    }

    /// Every stored order, in both dialects; each engine adds its own `WHERE`.
    static let selection = "SELECT id, product_id, lot, lot_label, quantity, produced_on, expires_on, status FROM stamp_orders"
}

/// What a stamp-order row does to the order stored for its lot (the import decides, the store writes).
public enum StampOrderChange: Sendable, Hashable {
    case unchanged
    case update
    /// The order differs, but its stamps are being issued or issued already.
    case locked(StampOrderStatus)
}
