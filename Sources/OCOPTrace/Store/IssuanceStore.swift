import Foundation

/// What issuing stamps, rendering them, label sheets and signing keys need of the registry.
///
/// A batch is created `issuing`, filled a chunk at a time and only then marked `issued`; each of
/// these steps is one operation (one transaction), so a killed run leaves a batch `issuing` that a
/// rerun completes. Both engines keep the same guarantees under concurrency: one batch per product
/// and lot, and a batch never holds more stamps than its quantity.
public protocol IssuanceStore: Sendable {
    // MARK: Products and orders

    /// The products with this code (one per producer that uses it), for `issue --product`.
    func issuableProducts(code: String) async throws -> [IssuableProduct]
    /// One product by id (a stamp order names it so).
    func issuableProduct(id: Int64) async throws -> IssuableProduct?
    /// An imported stamp order.
    func stampOrder(id: Int64) async throws -> StampOrderToIssue?

    // MARK: Batches

    /// The batch of a product's lot, whatever its status.
    func batch(productID: Int64, lot: String) async throws -> StampBatch?
    /// Creates the batch `issuing` (marking its order `issuing`), or finds the one that exists for
    /// the product and lot (another run made it, or a killed one left it): never two.
    func createBatch(_ batch: NewStampBatch) async throws -> BatchCreation
    func batch(id: Int64) async throws -> StampBatch?
    /// Every batch of a lot (its code, as in URLs), of any product.
    func batches(lot: String) async throws -> [StampBatch]
    /// How many stamps the batch holds now.
    func stampCount(batchID: Int64) async throws -> Int
    /// Stores drawn stamps after the batch's last, as many as still fit in its quantity, in one
    /// transaction that holds the batch against other writers: two processes completing one batch
    /// never overfill it. A drawn serial that is already taken is not stored (draw again).
    func appendStamps(_ stamps: [DrawnStamp], toBatch batchID: Int64) async throws -> StampAppend
    /// Marks the batch (and its order) `issued` and records the issue job, together.
    func completeBatch(id: Int64, orderID: Int64?, job: JobStart, counts: JobCounts, message: String?) async throws
    /// A batch's stamps whose sequence numbers are in `sequences`, in sequence order.
    func stamps(batchID: Int64, sequences: ClosedRange<Int>) async throws -> [IssuedStamp]
    /// The product's OCOP recognition as stored (for label sheets).
    func recognition(productID: Int64) async throws -> OCOPRecognition?

    // MARK: Signing keys

    func addSigningKey(_ key: SigningKeyRecord) async throws
    /// Sets a key's retirement time unless it has one; false when there is no such key.
    func retireSigningKey(_ keyID: String, at time: String) async throws -> Bool
}

/// A product as issuing needs it: where its folder goes, and whether it asks for signed stamps.
public struct IssuableProduct: Sendable, Codable, Hashable {
    public var id: Int64
    public var code: String
    public var shelfLifeDays: Int?
    public var embedSignature: Bool
    /// Whether its stamps carry a scratch-off PIN by default.
    public var scratchPIN: Bool
    /// The producer's name and province.
    public var producer: String
    public var province: String
    /// The product's GTIN-14, if it has one.
    public var gtin: String?
    /// The producer's GS1 company prefix (catalog column `gs1_company_prefix`), for SSCCs.
    public var companyPrefix: String?
    /// Stamps per carton when packing (catalog column `carton_size`).
    public var cartonSize: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, code, shelfLifeDays = "shelf_life_days", embedSignature = "embed_signature", scratchPIN = "scratch_pin", producer, province, gtin
        case companyPrefix = "gs1_company_prefix", cartonSize = "carton_size"
    }
}

extension IssuableProduct: SelectedRecord {
    typealias Columns = CodingKeys

    static func source(of column: Columns) -> String {
        switch column {
        case .id, .code, .shelfLifeDays, .embedSignature, .scratchPIN, .gtin, .cartonSize: "p.\(column.rawValue)"
        case .producer: "pr.name"
        case .province, .companyPrefix: "pr.\(column.rawValue)"
        }
    }

    static let tables = "FROM products p JOIN producers pr ON pr.id = p.producer_id"

    /// Products with their producers, in both dialects; each engine adds its own `WHERE`.
    static let selection = selectStatement()
}

/// An imported stamp order, to issue.
public struct StampOrderToIssue: Sendable, Codable, Hashable {
    public var id: Int64
    public var productID: Int64
    public var productCode: String
    public var lot: String
    public var lotLabel: String
    public var quantity: Int
    public var producedOn: String?
    public var expiresOn: String?

    enum CodingKeys: String, CodingKey {
        case id, productID = "product_id", productCode = "product_code", lot, lotLabel = "lot_label", quantity
        case producedOn = "produced_on", expiresOn = "expires_on"
    }
}

/// A batch about to be created.
public struct NewStampBatch: Sendable, Hashable {
    public var productID: Int64
    public var orderID: Int64?
    public var lot: String
    public var lotLabel: String
    public var quantity: Int
    public var producedOn: String?
    public var expiresOn: String?
    public var resolver: String
    public var keyID: String?
    public var folder: String
    public var createdAt: String
    /// Whether every stamp of the batch gets a scratch-off PIN.
    public var scratchPIN: Bool

    public init(productID: Int64, orderID: Int64?, lot: String, lotLabel: String, quantity: Int, producedOn: String?, expiresOn: String?,
                resolver: String, keyID: String?, folder: String, createdAt: String, scratchPIN: Bool = false) {
        self.productID = productID
        self.orderID = orderID
        self.lot = lot
        self.lotLabel = lotLabel
        self.quantity = quantity
        self.producedOn = producedOn
        self.expiresOn = expiresOn
        self.resolver = resolver
        self.keyID = keyID
        self.folder = folder
        self.createdAt = createdAt
        self.scratchPIN = scratchPIN
    }
}

/// What ``IssuanceStore/createBatch(_:)`` found.
public enum BatchCreation: Sendable, Hashable {
    case created(id: Int64)
    /// The product's lot had a batch already.
    case existing(id: Int64, quantity: Int)
}

/// A stamp drawn (and signed) but not stored yet.
public struct DrawnStamp: Sendable, Hashable {
    public var serial: Serial
    public var signature: EmbeddedSignature?
    /// The keyed hash of its scratch-off PIN (``PINKey/hash(serial:pin:)``), for a PIN batch.
    public var pinHash: String?

    public init(serial: Serial, signature: EmbeddedSignature?, pinHash: String? = nil) {
        self.serial = serial
        self.signature = signature
        self.pinHash = pinHash
    }
}

/// What one ``IssuanceStore/appendStamps(_:toBatch:)`` did.
public struct StampAppend: Sendable, Hashable {
    /// Stamps stored by this call.
    public var inserted: Int
    /// Stamps the batch holds now.
    public var stored: Int
}
