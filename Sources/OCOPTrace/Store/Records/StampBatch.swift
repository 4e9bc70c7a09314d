import Foundation

/// A lot's stamps as the registry records them, with what is needed to rebuild each URL.
public struct StampBatch: Sendable, Codable {
    /// `issuing` until every stamp, PNG and the manifest exist; then `issued`.
    public enum Status: String, Sendable, Codable {
        case issuing, issued
    }

    public var id: Int64
    public var productID: Int64
    public var orderID: Int64?
    public var lot: String
    public var lotLabel: String
    public var quantity: Int
    public var producedOn: String?
    public var expiresOn: String?
    public var resolver: String
    public var keyID: String?
    public var status: Status
    public var folder: String
    public var productCode: String
    public var productName: String
    public var gtin: String?
    public var producer: String

    enum CodingKeys: String, CodingKey {
        case id
        case productID = "product_id", orderID = "order_id", lot, lotLabel = "lot_label", quantity
        case producedOn = "produced_on", expiresOn = "expires_on", resolver, keyID = "key_id", status, folder
        case productCode = "product_code", productName = "product_name", gtin, producer
    }
}
