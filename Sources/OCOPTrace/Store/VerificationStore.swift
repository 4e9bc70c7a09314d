import Foundation

/// What verifying stamps (the CLI, offline packs, the server's page and resolver) and revoking
/// them need of the registry.
public protocol VerificationStore: Sendable {
    /// Every signing key the registry knows, newest first, retired ones included: they still verify what they signed.
    func signingKeys() async throws -> [SigningKeyRecord]

    /// The registry's record of each serial (nil: never issued), with its scan history, read in one
    /// transaction, in the order given.
    func stamps(serials: [Serial]) async throws -> [StoredStamp?]

    /// The registry's record of one serial, with its scan history (the verification page's read:
    /// the history comes from one statement, consistent in itself).
    func stamp(serial: Serial) async throws -> StoredStamp?

    /// Records the CLI's verifications as scans, in one transaction.
    func recordScans(_ scans: [InspectorScan]) async throws

    /// Records a batch of the verification page's scans in one short transaction.
    func recordWebScans(_ scans: [WebScan]) async throws

    /// A journal that makes the page's scans durable with one append each group, for the registry
    /// to take in large transactions (``WebScanJournal``); nil where commits are cheap enough
    /// (PostgreSQL: a commit flushes its log, and readers keep their caches) or the store is read-only.
    func webScanJournal() async throws -> (any WebScanJournal)?

    /// Checks a scratch-off PIN against the stamp's, in one transaction that holds the stamp's PIN
    /// row (and the client network's guesses) against every other check, so that the limits hold
    /// across several servers on one registry: records a wrong guess (locking the stamp when it
    /// is one too many) or the first activation (with a scan, which the copy rule counts).
    func checkPIN(_ attempt: PINAttempt) async throws -> PINOutcome

    /// Returns when the registry answers a trivial read (the server's readiness check).
    func ping() async throws

    /// How many scans the verification page has recorded.
    func webScanCount() async throws -> Int

    /// The registry's secret of that name; `candidate` is stored when there is none yet. Servers
    /// starting together on one registry all get the one that was stored first.
    func registrySecret(named name: String, candidate: String) async throws -> String

    /// Revokes the stamps with these serials, all or none, and records the job: when any serial is
    /// unknown, nothing is changed and those are returned.
    func revokeStamps(serials: [Serial], reason: String) async throws -> StampRevocation

    /// Revokes every stamp of the batch `choose` picks among the lot's batches (given in batch
    /// order), and records the job, in one transaction; what `choose` throws is thrown, nothing changed.
    /// With `recall`, a recall of the goods: every stamp of the batch (also one revoked before, as
    /// lost) then says the lot is recalled, with this reason.
    func revokeLot(_ lot: String, reason: String, recall: Bool,
                   choosing choose: @escaping @Sendable ([StampBatch]) throws -> StampBatch) async throws -> RevocationOutcome

    /// Every scanned stamp with its history, most recently scanned first (of one lot when given).
    func scanListings(lot: String?) async throws -> [ScanListing]

    /// What an offline pack holds: every issued batch with its product and producer, and the
    /// stamps of each (serial, signed, revocation), read in one transaction. `body` is called once
    /// per batch that `include` accepts, in batch order, so that memory holds one batch's stamps.
    func forEachIssuedBatch(where include: @escaping @Sendable (PackBatch) -> Bool,
                            _ body: @escaping @Sendable (PackBatch, [PackStamp]) throws -> Void) async throws

    /// A product with its producer by its row id or by its GTIN-14 (the verification page, the
    /// product information page).
    func storedProduct(id: Int64) async throws -> StoredProduct?
    func storedProduct(gtin: String) async throws -> StoredProduct?

    /// The resolver's view of a GTIN's product; nil when no product has it.
    func resolverProduct(gtin: String) async throws -> ResolverProduct?
    /// Which of a request's levels are registered for the product: an issued lot, a stamp.
    func registeredLevels(productID: Int64, lot: String?, serial: String?) async throws -> (lot: Bool, serial: Bool)
}

/// A stamp as the registry holds it for verification: its batch, product and producer, its
/// revocation and its scan history.
public struct StoredStamp: Sendable {
    /// The stamp's and its product's row ids.
    public var id: Int64
    public var productID: Int64
    public var serial: Serial
    /// Whether the stamp was issued with an embedded signature, and the key that signed its batch.
    public var signed: Bool
    public var keyID: String?
    public var batchStatus: StampBatch.Status
    public var lot: String
    public var producedOn: CalendarDate?
    public var expiresOn: CalendarDate?
    public var resolver: String
    public var productCode: String
    public var productName: String
    public var gtin: GTIN?
    public var ocop: OCOPRecognition?
    public var producer: String
    public var province: String
    public var revocationReason: String?
    /// Whether the revocation is a recall of the lot (not a lost roll of stamps).
    public var recalled = false
    /// Whether the stamp has a scratch-off PIN, and when (and where) it was first activated.
    public var hasPIN = false
    public var activatedAt: String?
    public var activatedProvince: String?
    /// The carton the stamp is packed in now, if any (its journey follows the carton).
    public var cartonID: Int64? = nil
    /// Scans recorded so far.
    public var scans: ScanHistory
}

/// A verification by the CLI, to record as a scan.
public struct InspectorScan: Sendable {
    public var stampID: Int64
    public var scannedAt: String
    public var inspector: String?
    public var location: String?
    public var status: VerificationStatus

    public init(stampID: Int64, scannedAt: String, inspector: String?, location: String?, status: VerificationStatus) {
        self.stampID = stampID
        self.scannedAt = scannedAt
        self.inspector = inspector
        self.location = location
        self.status = status
    }
}

/// One scan from the verification page, waiting to be written.
/// Scans made durable by an append, before the registry takes them (see ``VerificationStore/webScanJournal()``).
public protocol WebScanJournal: Sendable {
    /// Appends `scans` in one write: when it returns, a crash of this process cannot lose them.
    /// Throws when the disk will not take them (nothing of them is kept).
    func append(_ scans: [WebScan]) throws
    /// Every scan appended so far (and not yet in the registry), for ``SealedScanJournal/apply()``;
    /// later appends start a new journal. Nil when there is none.
    func seal() throws -> (any SealedScanJournal)?
    /// Closes the journal; scans not applied stay in its file, written at the registry's next opening.
    func close()
}

/// Scans a ``WebScanJournal`` sealed, to be written into the registry.
public protocol SealedScanJournal: Sendable {
    /// The scans sealed, in the order they were appended.
    var scans: [WebScan] { get }
    /// Writes the scans into the registry in one transaction and removes their journal; when it
    /// throws, they stay in the journal and the next seal takes them again.
    func apply() async throws
}

public struct WebScan: Sendable, Codable {
    public var stampID: Int64
    public var scannedAt: String
    /// The salted hash of the client's network (``ScanClient``).
    public var network: String
    public var status: VerificationStatus

    public init(stampID: Int64, scannedAt: String, network: String, status: VerificationStatus) {
        self.stampID = stampID
        self.scannedAt = scannedAt
        self.network = network
        self.status = status
    }
}

/// What revoking did, or why it changed nothing.
public enum StampRevocation: Sendable, Equatable {
    case revoked(RevocationOutcome)
    /// Serials the registry does not know: nothing was revoked.
    case unknownSerials([Serial])
}

/// A batch an offline pack lists, with its product and producer.
public struct PackBatch: Sendable, Codable, SelectedRecord {
    public var id: Int64
    public var lot: String
    public var producedOn: String?
    public var expiresOn: String?
    public var resolver: String
    public var productID: Int64
    public var code: String
    public var name: String
    public var gtin: GTIN?
    public var ocopStars: Int?
    public var ocopDecision: String?
    public var ocopRecognizedOn: String?
    public var producer: String
    public var province: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, lot, producedOn = "produced_on", expiresOn = "expires_on", resolver, productID = "product_id", code, name, gtin
        case ocopStars = "ocop_stars", ocopDecision = "ocop_decision", ocopRecognizedOn = "ocop_recognized_on", producer, province
    }
    typealias Columns = CodingKeys

    static func source(of column: Columns) -> String {
        switch column {
        case .id, .lot, .producedOn, .expiresOn, .resolver: "b.\(column.rawValue)"
        case .productID: "p.id"
        case .code, .name, .gtin, .ocopStars, .ocopDecision, .ocopRecognizedOn: "p.\(column.rawValue)"
        case .producer: "pr.name"
        case .province: "pr.province"
        }
    }

    static let tables = "FROM stamp_batches b JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id"
}

/// A stamp of a batch, as an offline pack lists it.
public struct PackStamp: Sendable, Codable {
    public var serial: String
    public var signed: Bool
    /// The revocation's reason, when revoked.
    public var reason: String?
}

/// A GTIN's product, as the resolver links it.
public struct ResolverProduct: Sendable, Codable {
    public var id: Int64
    public var name: String
    public var producer: String
    public var province: String
    public var ocopStars: Int?
    public var ocopDecision: String?
    public var ocopRecognizedOn: String?

    public var ocop: OCOPRecognition? {
        OCOPRecognition(storedStars: ocopStars, decision: ocopDecision, recognizedOn: ocopRecognizedOn)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, producer, province
        case ocopStars = "ocop_stars", ocopDecision = "ocop_decision", ocopRecognizedOn = "ocop_recognized_on"
    }
}

extension VerificationStore {
    /// ``revokeLot(_:reason:recall:choosing:)`` of a lost roll (not a recall).
    public func revokeLot(_ lot: String, reason: String, choosing choose: @escaping @Sendable ([StampBatch]) throws -> StampBatch) async throws
        -> RevocationOutcome {
        try await revokeLot(lot, reason: reason, recall: false, choosing: choose)
    }

    public func stamp(serial: Serial) async throws -> StoredStamp? {
        try await stamps(serials: [serial])[0]
    }
}

/// A stamp's row as both engines read it for verification (see ``StoredStamp``): the one place its
/// columns become a ``StampRecord``.
struct StoredStampRow: Decodable, Sendable, SelectedRecord {
    var id: Int64
    var productID: Int64
    var serial: String
    var signed: Bool
    var status: StampBatch.Status
    var lot: String
    var producedOn: String?
    var expiresOn: String?
    var resolver: String
    var keyID: String?
    var code: String
    var name: String
    var gtin: GTIN?
    var ocopStars: Int?
    var ocopDecision: String?
    var ocopRecognizedOn: String?
    var producer: String
    var province: String
    var revocation: String?
    var recall: Bool
    var hasPIN: Bool
    var activatedAt: String?
    var activatedProvince: String?
    var cartonID: Int64?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, productID = "product_id", serial, signed, status, lot, producedOn = "produced_on", expiresOn = "expires_on", resolver
        case keyID = "key_id", code, name, gtin, ocopStars = "ocop_stars", ocopDecision = "ocop_decision"
        case ocopRecognizedOn = "ocop_recognized_on", producer, province, revocation
        case recall, hasPIN = "has_pin", activatedAt = "activated_at", activatedProvince = "activated_province"
        case cartonID = "carton_id"
    }
    typealias Columns = CodingKeys

    static func source(of column: Columns) -> String {
        switch column {
        case .id, .serial: "s.\(column.rawValue)"
        // 0/1 on both engines.
        case .signed: "CASE WHEN s.signature IS NULL THEN 0 ELSE 1 END"
        case .productID, .status, .lot, .producedOn, .expiresOn, .resolver, .keyID: "b.\(column.rawValue)"
        case .code, .name, .gtin, .ocopStars, .ocopDecision, .ocopRecognizedOn: "p.\(column.rawValue)"
        case .producer: "pr.name"
        case .province: "pr.province"
        case .revocation: "r.reason"
        // 0/1 on both engines.
        case .recall: "COALESCE(r.recall, 0)"
        case .hasPIN: "CASE WHEN s.pin_hash IS NULL THEN 0 ELSE 1 END"
        case .activatedAt: "sp.activated_at"
        case .activatedProvince: "sp.activated_province"
        // The carton the stamp is in now (one at most: a unique index says so).
        case .cartonID: "(SELECT m.carton_id FROM carton_stamps m WHERE m.stamp_id = s.id AND m.unpacked_at IS NULL)"
        }
    }

    /// The columns, in both dialects.
    static let selection = selectStatement()

    /// The columns of ``selection``, for a statement that reads more beside them.
    static let columns = columnList()

    /// The tables of ``selection``, for a statement that joins more to them.
    static let tables = """
        FROM stamps s
        JOIN stamp_batches b ON b.id = s.batch_id
        JOIN products p ON p.id = b.product_id
        JOIN producers pr ON pr.id = p.producer_id
        LEFT JOIN revocations r ON r.stamp_id = s.id
        LEFT JOIN stamp_pins sp ON sp.stamp_id = s.id
        """

    func stored(scans: ScanHistory) -> StoredStamp {
        StoredStamp(id: id, productID: productID, serial: Serial(unchecked: serial), signed: signed, keyID: keyID, batchStatus: status,
                    lot: lot, producedOn: producedOn.flatMap(CalendarDate.init(parsing:)),
                    expiresOn: expiresOn.flatMap(CalendarDate.init(parsing:)), resolver: resolver, productCode: code, productName: name,
                    gtin: gtin, ocop: OCOPRecognition(storedStars: ocopStars, decision: ocopDecision,
                    recognizedOn: ocopRecognizedOn), producer: producer, province: province, revocationReason: revocation,
                    recalled: recall, hasPIN: hasPIN, activatedAt: activatedAt, activatedProvince: activatedProvince, cartonID: cartonID,
                    scans: scans)
    }
}

/// A stamp's scan history as both engines aggregate it: the distinct places joined with the unit
/// separator (U+001F), which no place name contains.
struct ScanHistoryRow: Decodable, Sendable {
    var count: Int
    var first: String?
    var last: String?
    var locations: String?

    enum CodingKeys: String, CodingKey {
        case count, first, last, locations
    }

    var scans: ScanHistory {
        ScanHistory(count: count, firstAt: count > 0 ? first : nil, lastAt: count > 0 ? last : nil,
                                 locations: ScanHistoryRow.split(locations))
    }

    static func split(_ joined: String?) -> [String] {
        joined.map { $0.split(separator: "\u{1F}").map(String.init) } ?? []
    }
}

extension PackBatch {
    /// Every issued batch, in batch order, in both dialects.
    static let selection = selectStatement() + "\nWHERE b.status = 'issued' ORDER BY b.id"
}

extension PackStamp {
    /// The stamps of a batch; each engine adds its own `WHERE s.batch_id = …`.
    static let selection = """
        SELECT s.serial, CASE WHEN s.signature IS NULL THEN 0 ELSE 1 END AS signed, r.reason FROM stamps s
        LEFT JOIN revocations r ON r.stamp_id = s.id
        """
}

extension ResolverProduct: SelectedRecord {
    typealias Columns = CodingKeys

    static func source(of column: Columns) -> String {
        switch column {
        case .id, .name, .ocopStars, .ocopDecision, .ocopRecognizedOn: "p.\(column.rawValue)"
        case .producer: "pr.name"
        case .province: "pr.province"
        }
    }

    static let tables = "FROM products p JOIN producers pr ON pr.id = p.producer_id"

    /// Products with their producers; each engine adds its own `WHERE p.gtin = …`.
    static let selection = selectStatement()
}

/// A scanned stamp's row for ``ScanListing``, as both engines aggregate it.
struct ScanListingRow: Decodable, Sendable {
    var serial: String
    var product: String
    var lot: String
    var scans: Int
    var firstAt: String
    var lastAt: String
    var locations: String?
    var inspectors: String?
    var activatedAt: String?

    enum CodingKeys: String, CodingKey {
        case serial, product, lot, scans, firstAt = "first_at", lastAt = "last_at", locations, inspectors, activatedAt = "activated_at"
    }

    var listing: ScanListing {
        var listing = ScanListing(serial: serial, product: product, lot: lot, scans: scans, firstAt: firstAt, lastAt: lastAt,
                                  locations: ScanHistoryRow.split(locations), inspectors: ScanHistoryRow.split(inspectors))
        listing.activatedAt = activatedAt
        return listing
    }
}
