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

    public var productKey: StampURL.ProductKey {
        if let gtin, let parsed = try? GTIN(parsing: gtin) { return .gtin(parsed) }
        return .code(productCode)
    }

    public var produced: CalendarDate? { producedOn.flatMap(CalendarDate.init(parsing:)) }
    public var expires: CalendarDate? { expiresOn.flatMap(CalendarDate.init(parsing:)) }

    /// The URL of one of this batch's stamps.
    public func url(serial: Serial, signature: EmbeddedSignature?) -> StampURL {
        StampURL(resolver: resolver, product: productKey, lot: lot, serial: serial, producedOn: produced,
                 expiresOn: expires, signature: signature)
    }

    public func signedFields(serial: Serial) -> SignedStampFields {
        SignedStampFields(product: productKey, lot: lot, serial: serial, producedOn: produced, expiresOn: expires)
    }

    /// A lot as people write it (`Lô 1`) as the registry keeps it (`Lo-1`).
    static func lotCode(_ lotLabel: String) -> String {
        (try? LotNumber(transliterating: lotLabel).code) ?? lotLabel
    }

    /// The issued batch among a lot's batches, of one product when several share the lot number.
    static func issued(among batches: [StampBatch], lot: String, productCode: String?) throws -> StampBatch {
        var batches = batches
        if let productCode { batches = batches.filter { $0.productCode == productCode } }
        guard let first = batches.first else { throw IssueError.noBatch(lot: lot) }
        guard batches.count == 1 else { throw IssueError.ambiguousLot(lot: lot, products: batches.map(\.productCode)) }
        guard first.status == .issued else { throw IssueError.notComplete(lot: lot) }
        return first
    }
}

extension IssuanceStore {
    /// The issued batch of a lot (as people write it: `Lô 1` finds `Lo-1`), of one product when
    /// several share the lot number.
    public func issuedBatch(lot lotLabel: String, productCode: String?) async throws -> StampBatch {
        let lot = StampBatch.lotCode(lotLabel)
        return try StampBatch.issued(among: try await batches(lot: lot), lot: lot, productCode: productCode)
    }
}

/// One stamp of a batch.
public struct IssuedStamp: Sendable, Decodable {
    public var sequence: Int
    public var serial: Serial
    public var signature: EmbeddedSignature?

    public var stampID: StampID { StampID(serial: serial) }

    init(sequence: Int, serial: Serial, signature: EmbeddedSignature?) {
        self.sequence = sequence
        self.serial = serial
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey {
        case sequence, serial, signature
    }

    /// From the stored columns: the serial and signature as the registry wrote them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(sequence: try container.decode(Int.self, forKey: .sequence),
                  serial: Serial(unchecked: try container.decode(String.self, forKey: .serial)),
                  signature: try container.decodeIfPresent(String.self, forKey: .signature).flatMap(EmbeddedSignature.init(text:)))
    }
}
