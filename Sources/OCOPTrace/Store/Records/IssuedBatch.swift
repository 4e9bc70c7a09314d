import Foundation

/// An issued batch as the registry holds it, with its product and producer: what an EPCIS
/// commissioning event is made of.
public struct IssuedBatch: Sendable, Codable, Hashable, SelectedRecord {
    public var id: Int64
    public var lot: String
    public var producedOn: String?
    public var expiresOn: String?
    public var resolver: String
    /// When the batch was completed (else created), ISO 8601 UTC as stored.
    public var issuedAt: String
    public var productCode: String
    public var gtin: GTIN?
    public var producer: String
    public var province: String
    public var gln: GLN?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, lot
        case producedOn = "produced_on", expiresOn = "expires_on"
        case resolver
        case issuedAt = "issued_at"
        case productCode = "code"
        case gtin, producer, province, gln
    }
    typealias Columns = CodingKeys

    static func source(of column: Columns) -> String {
        switch column {
        case .id, .lot, .producedOn, .expiresOn, .resolver: "b.\(column.rawValue)"
        case .issuedAt: "COALESCE(b.completed_at, b.created_at)"
        case .productCode, .gtin: "p.\(column.rawValue)"
        case .producer: "pr.name"
        case .province, .gln: "pr.\(column.rawValue)"
        }
    }

    static let tables = "FROM stamp_batches b JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id"

    /// Issued batches with their product and producer, in both dialects; each engine adds its
    /// `WHERE` and its order.
    static let selection = selectStatement()
}
