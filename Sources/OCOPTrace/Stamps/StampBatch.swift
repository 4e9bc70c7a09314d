import Foundation
import GRDB

/// A lot's stamps as the registry records them, with what is needed to rebuild each URL.
public struct StampBatch: Sendable, Codable, FetchableRecord {
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
    public var status: String
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

    static let selectSQL = """
        SELECT b.*, p.code AS product_code, p.name AS product_name, p.gtin, pr.name AS producer
        FROM stamp_batches b JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id
        """

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

    /// The issued batch of a lot (as people write it: `Lô 1` finds `Lo-1`), of one product when
    /// several share the lot number.
    static func issued(_ db: Database, lot lotLabel: String, productCode: String?) throws -> StampBatch {
        let lot = (try? LotNumber(transliterating: lotLabel).code) ?? lotLabel
        var batches = try StampBatch.fetchAll(db, sql: selectSQL + " WHERE b.lot = ?", arguments: [lot])
        if let productCode { batches = batches.filter { $0.productCode == productCode } }
        guard let first = batches.first else { throw IssueError.noBatch(lot: lot) }
        guard batches.count == 1 else { throw IssueError.ambiguousLot(lot: lot, products: batches.map(\.productCode)) }
        guard first.status == "issued" else { throw IssueError.notComplete(lot: lot) }
        return first
    }

    static func fetch(_ db: Database, id: Int64) throws -> StampBatch? {
        try StampBatch.fetchOne(db, sql: selectSQL + " WHERE b.id = ?", arguments: [id])
    }
}

/// One stamp of a batch.
public struct IssuedStamp: Sendable {
    public var sequence: Int
    public var serial: Serial
    public var signature: EmbeddedSignature?

    public var stampID: StampID { StampID(serial: serial) }
}
