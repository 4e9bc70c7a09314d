import Foundation

/// An issued batch as the registry holds it, with its product and producer: what an EPCIS
/// commissioning event is made of.
public struct IssuedBatch: Sendable, Codable, Hashable {
    public var id: Int64
    public var lot: String
    public var producedOn: String?
    public var expiresOn: String?
    public var resolver: String
    /// When the batch was completed (else created), ISO 8601 UTC as stored.
    public var issuedAt: String
    public var productCode: String
    public var gtin: String?
    public var producer: String
    public var province: String
    public var gln: String?

    enum CodingKeys: String, CodingKey {
        case id, lot
        case producedOn = "produced_on", expiresOn = "expires_on"
        case resolver
        case issuedAt = "issued_at"
        case productCode = "code"
        case gtin, producer, province, gln
    }
}
