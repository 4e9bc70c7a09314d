import Foundation

/// What importing catalogs and stamp orders needs of the registry.
public protocol CatalogStore: Sendable {
    /// Imports one file as one transaction: starts its job (not for a dry run), asks `rows` for its
    /// work a chunk at a time and answers each request, then ends as `rows.ending()` says: committed
    /// with the job's outcome, or rolled back (a rejected file's job is then recorded on its own; a
    /// dry run leaves no trace). Returns the job's id, nil for a dry run.
    ///
    /// `rows` is called from one task at a time, in order. An error it throws rolls everything back
    /// and is thrown on unchanged.
    func importFile(_ job: JobStart, dryRun: Bool, rows: any CatalogImportFeed) async throws -> Int64?
}

/// The file's side of an import, which the store drives inside the file's transaction: the checked
/// rows to write, and how the file ends. The store decides nothing about the data beyond what the
/// registry holds (who owns a GTIN, whether an order is issued already).
public protocol CatalogImportFeed: AnyObject, Sendable {
    /// The next request, given the store's answer to the previous one (nil at first); nil once the
    /// file has no more rows.
    func next(after answer: CatalogAnswer?) throws -> CatalogRequest?
    /// How the import ends, asked once `next` has returned nil.
    func ending() -> CatalogImportEnding

    /// The import's rules, which the store applies as it writes:
    /// what a stamp-order row does to the order stored for its lot,
    func change(of stored: StoredStampOrder, by write: StampOrderWrite) -> StampOrderChange
    /// and the producer a row makes of the one stored (or of an earlier row's) with its key.
    func producer(_ stored: ProducerDraft, filledInBy row: ProducerDraft) -> ProducerDraft
}

/// What an import asks of the store, a chunk of rows at a time.
public enum CatalogRequest: Sendable {
    /// Write these products and their producers, in row order.
    case writeProducts([CatalogProductWrite])
    /// The products with these codes, whichever producer they belong to.
    case findProducts(codes: [String])
    /// Write these stamp orders, in row order.
    case writeStampOrders([StampOrderWrite])
    /// The fingerprints of the stored stages with these keys (nil where none is stored), so that
    /// only new and changed diary rows get their event built and hashed.
    case findStages([ProductionStageKey])
    /// Write these production-diary rows, in row order.
    case writeStages([ProductionStageWrite])
}

/// The store's answer to a ``CatalogRequest``, one outcome per row asked about, in the same order.
public enum CatalogAnswer: Sendable {
    case productsWritten([ProductWriteOutcome])
    case productsFound([ProductCandidate])
    case stampOrdersWritten([StampOrderWriteOutcome])
    case stagesFound(fingerprints: [String?])
    case stagesWritten([ProductionStageWriteOutcome])
}

/// How an import ends.
public enum CatalogImportEnding: Sendable {
    /// Keep what was written, and finish the job so.
    case commit(outcome: JobOutcome, counts: JobCounts, message: String?)
    /// Undo everything (a rejected file), and record the attempt in the job log.
    case reject(counts: JobCounts, message: String?)
    /// Undo everything and record nothing: a dry run.
    case rollBack
}

/// One valid catalog row: a product and the producer it belongs to.
public struct CatalogProductWrite: Sendable {
    public var row: Int
    /// Producers are told apart by this key (``ProducerDraft/identityKey``): a row naming a known
    /// producer fills in what it left blank; a new key is a new producer.
    public var producerKey: String
    public var product: ProductDraft

    public init(row: Int, producerKey: String, product: ProductDraft) {
        self.row = row
        self.producerKey = producerKey
        self.product = product
    }
}

/// What writing one product did.
public enum ProductWriteOutcome: Sendable, Hashable {
    case inserted, updated
    /// The stored product has the same fingerprint: nothing was written.
    case unchanged
    /// Its GTIN belongs to another product in the registry (that product's code and producer's
    /// name): the row was not written.
    case gtinTaken(code: String, producer: String)
}

/// A product a stamp-order row may mean: every product with the code it names.
public struct ProductCandidate: Sendable, Hashable, Codable {
    public var id: Int64
    public var code: String
    public var shelfLifeDays: Int?
    /// The producer's name and province.
    public var producer: String
    public var province: String
    /// Its GTIN's 14 digits, if it has one (a diary row's event names the lot by it).
    public var gtin: String?

    public init(id: Int64, code: String, shelfLifeDays: Int?, producer: String, province: String, gtin: String? = nil) {
        self.id = id
        self.code = code
        self.shelfLifeDays = shelfLifeDays
        self.producer = producer
        self.province = province
        self.gtin = gtin
    }

    enum CodingKeys: String, CodingKey {
        case id, code
        case shelfLifeDays = "shelf_life_days"
        case producer, province, gtin
    }
}

/// One valid stamp-order row, its product found: stamps for one lot.
public struct StampOrderWrite: Sendable, Hashable {
    public var row: Int
    public var productID: Int64
    /// The lot number as stamps carry it, and as the producer wrote it.
    public var lot: String
    public var lotLabel: String
    public var quantity: Int
    public var producedOn: CalendarDate
    public var expiresOn: CalendarDate?

    public init(row: Int, productID: Int64, lot: String, lotLabel: String, quantity: Int, producedOn: CalendarDate,
                expiresOn: CalendarDate?) {
        self.row = row
        self.productID = productID
        self.lot = lot
        self.lotLabel = lotLabel
        self.quantity = quantity
        self.producedOn = producedOn
        self.expiresOn = expiresOn
    }
}

/// Where a stamp order stands: its stamps not issued yet, being issued, or issued.
public enum StampOrderStatus: String, Sendable, Codable, CaseIterable {
    case pending, issuing, issued
}

/// What writing one stamp order did, with the order's id.
public enum StampOrderWriteOutcome: Sendable, Hashable {
    case inserted(id: Int64)
    case updated(id: Int64)
    case unchanged(id: Int64)
    /// The order differs, but its stamps are being issued or issued already: it was left as it was.
    case locked(id: Int64, status: StampOrderStatus)

    public var id: Int64 {
        switch self {
        case .inserted(let id), .updated(let id), .unchanged(let id), .locked(let id, _): id
        }
    }
}

/// Carries an import's ending out of its transaction, which rolls it back (both engines).
struct CatalogRollBack: Error {
    var ending: CatalogImportEnding
}
