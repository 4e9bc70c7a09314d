import Foundation

/// A lot's stamps as the registry records them, with what is needed to rebuild each URL.
public struct StampBatch: Sendable, Codable, SelectedRecord {
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
    public var gtin: GTIN?
    public var producer: String
    /// Whether every stamp of the batch has a scratch-off PIN.
    public var scratchPIN: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case productID = "product_id", orderID = "order_id", lot, lotLabel = "lot_label", quantity
        case producedOn = "produced_on", expiresOn = "expires_on", resolver, keyID = "key_id", status, folder
        case productCode = "product_code", productName = "product_name", gtin, producer, scratchPIN = "scratch_pin"
    }
    typealias Columns = CodingKeys

    static func source(of column: Columns) -> String {
        switch column {
        case .productCode: "p.code"
        case .productName: "p.name"
        case .gtin: "p.gtin"
        case .producer: "pr.name"
        case .id, .productID, .orderID, .lot, .lotLabel, .quantity, .producedOn, .expiresOn, .resolver, .keyID, .status, .folder, .scratchPIN:
            "b.\(column.rawValue)"
        }
    }

    static let tables = "FROM stamp_batches b JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id"

    /// Batches with their product and producer, in both dialects; each statement adds its `WHERE`.
    static let selection = selectStatement()
}
