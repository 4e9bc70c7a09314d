import Foundation
import GRDB

/// What `issue` does and where it writes.
public struct IssueOptions: Sendable {
    /// Scheme, host and optional path of the resolver the URLs point to.
    public var resolver: String
    /// Add an Ed25519 signature (AI 8030) to every stamp of the batches issued.
    public var embedSignature: Bool
    /// Where the signing keys are (`keys/` by default).
    public var keysFolder: URL
    /// Where `stamps/` is written (`output/` by default).
    public var outputFolder: URL
    public var render: RenderOptions
    /// Write PNGs; without them only the manifest is written (for label sheets or a print shop that
    /// renders from URLs). `ocoptrace render` can draw them later.
    public var writePNGs: Bool

    public static let defaultResolver = "https://id.ocoptrace.vn"

    /// The resolver to use: an explicit one, else `OCOPTRACE_RESOLVER`, else ``defaultResolver``.
    public static func resolveResolver(_ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["OCOPTRACE_RESOLVER"], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultResolver
    }

    public init(resolver: String = IssueOptions.defaultResolver, embedSignature: Bool = false,
                keysFolder: URL = URL(fileURLWithPath: "keys"), outputFolder: URL = URL(fileURLWithPath: "output"),
                render: RenderOptions = RenderOptions(), writePNGs: Bool = true) {
        self.resolver = resolver
        self.embedSignature = embedSignature
        self.keysFolder = keysFolder
        self.outputFolder = outputFolder
        self.render = render
        self.writePNGs = writePNGs
    }
}

/// What happened to one batch.
public struct BatchReport: Sendable, Codable {
    public var batchID: Int64
    public var product: String
    public var producer: String
    public var lot: String
    public var quantity: Int
    /// Stamps created by this run (0 when the batch was already complete).
    public var newStamps: Int
    /// Whether the batch was already complete before this run: nothing was issued or written.
    public var alreadyIssued: Bool
    public var signed: Bool
    public var keyID: String?
    public var folder: String
    public var manifest: String
    /// Drawing (and signing) serials and storing them.
    public var storeSeconds = 0.0
    /// QR encoding, PNG compression, file writing and the manifest, overlapped.
    public var renderSeconds = 0.0
    public var render: RenderTimings?
    public var warnings: [String] = []

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id", product, producer, lot, quantity, newStamps = "new_stamps"
        case alreadyIssued = "already_issued", signed, keyID = "key_id", folder, manifest
        case storeSeconds = "store_seconds", renderSeconds = "render_seconds"
        case render, warnings
    }
}

public enum IssueError: Error, Sendable, CustomStringConvertible {
    case unknownProduct(String)
    case productNotForProducer(code: String, producer: String)
    case ambiguousProduct(code: String, producers: [String])
    case quantityConflict(lot: String, existing: Int, requested: Int)
    case invalidLot(String)
    case badDates(String)
    case badCount(Int)
    case noBatch(lot: String)
    case ambiguousLot(lot: String, products: [String])
    case notComplete(lot: String)

    public var description: String {
        switch self {
        case .unknownProduct(let code): "no product \"\(code)\" in the registry: import its catalog first"
        case .productNotForProducer(let code, let producer): "product \"\(code)\" exists, but not for a producer named like \"\(producer)\""
        case .ambiguousProduct(let code, let producers):
            "product code \"\(code)\" belongs to several producers (\(producers.joined(separator: ", "))): name one with --producer"
        case .quantityConflict(let lot, let existing, let requested):
            "lot \(lot) already has a batch of \(existing) stamps; \(requested) were asked for: use a new lot number"
        case .invalidLot(let reason): reason
        case .badDates(let reason): reason
        case .badCount(let count): "\(count) is not a number of stamps: ask for 1 to \(RowParser.maximumStampsPerOrder)"
        case .noBatch(let lot): "no stamps were issued for lot \(lot)"
        case .ambiguousLot(let lot, let products):
            "lot \(lot) exists for several products (\(products.joined(separator: ", "))): name one with --product"
        case .notComplete(let lot): "the batch of lot \(lot) is not complete: rerun `ocoptrace issue` to finish it"
        }
    }
}

/// Issues stamps: creates each batch, fills it with random serials (signed when asked), renders
/// every PNG, writes the manifest, and only then marks the batch issued.
///
/// A batch is all or nothing from the outside: until it is marked issued its stamps are pending,
/// and rerunning completes it to exactly its quantity. Stamps are added in short transactions that
/// count what is there first, so two processes completing one batch never overfill it.
public struct StampIssuer: Sendable {
    public let registry: Registry
    public let options: IssueOptions
    /// Stamps generated, signed and stored per transaction.
    static let storeChunk = 4096
    /// Stamps per folder and per rendering task.
    public static let stampsPerFolder = 1000

    public init(registry: Registry, options: IssueOptions) {
        self.registry = registry
        self.options = options
    }

    /// Issues every given stamp order that is not issued yet (finishing any that were interrupted).
    public func issue(orderIDs: [Int64], progress: (@Sendable (IssueProgress) -> Void)? = nil) throws -> [BatchReport] {
        try orderIDs.map { orderID in
            let batchID: Int64 = try registry.write { db in
                guard let order = try Row.fetchOne(db, sql: "SELECT * FROM stamp_orders WHERE id = ?", arguments: [orderID]) else {
                    throw IssueError.noBatch(lot: "#\(orderID)")
                }
                return try createBatch(db, productID: order["product_id"], orderID: orderID, lot: order["lot"], lotLabel: order["lot_label"],
                                       quantity: order["quantity"], producedOn: order["produced_on"], expiresOn: order["expires_on"])
            }
            return try complete(batchID: batchID, progress: progress)
        }
    }

    /// What became of one stamp order issued by `issueEach`.
    public struct OrderOutcome: Sendable {
        public var orderID: Int64
        /// The order's lot as written and its product code, to name it in a report.
        public var lot: String
        public var product: String
        public var result: Result<BatchReport, any Error>
    }

    /// Issues each order on its own, so that one that fails (a lot conflict, a missing signing
    /// key, a full disk) is reported with its lot and the others are still issued. Only a registry
    /// that cannot be read throws.
    public func issueEach(orderIDs: [Int64], progress: (@Sendable (IssueProgress) -> Void)? = nil) throws -> [OrderOutcome] {
        try orderIDs.map { orderID in
            let names = try registry.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT o.lot_label, p.code FROM stamp_orders o JOIN products p ON p.id = o.product_id WHERE o.id = ?
                    """, arguments: [orderID])
            }
            let result = Result<BatchReport, any Error> { try issue(orderIDs: [orderID], progress: progress)[0] }
            return OrderOutcome(orderID: orderID, lot: names?["lot_label"] ?? "#\(orderID)", product: names?["code"] ?? "?", result: result)
        }
    }

    /// Issues one batch ad hoc.
    public func issue(productCode: String, producer: String? = nil, lot lotLabel: String, count: Int,
                      producedOn: CalendarDate?, expiresOn: CalendarDate?,
                      progress: (@Sendable (IssueProgress) -> Void)? = nil) throws -> BatchReport {
        guard (1...RowParser.maximumStampsPerOrder).contains(count) else { throw IssueError.badCount(count) }
        let lot: LotNumber
        do { lot = try LotNumber(transliterating: lotLabel) } catch { throw IssueError.invalidLot(error.description) }
        let batchID: Int64 = try registry.write { db in
            let product = try StampIssuer.findProduct(db, code: productCode, producer: producer)
            var expires = expiresOn
            if expires == nil, let producedOn, let days = product.shelfLifeDays { expires = producedOn.adding(days: days) }
            if let producedOn, let expires, expires < producedOn {
                throw IssueError.badDates("the expiry date \(expires.iso) is before the production date \(producedOn.iso)")
            }
            return try createBatch(db, productID: product.id, orderID: nil, lot: lot.code, lotLabel: lotLabel, quantity: count,
                                   producedOn: producedOn?.iso, expiresOn: expires?.iso)
        }
        return try complete(batchID: batchID, progress: progress)
    }

    /// Redraws a batch's PNGs and manifest from the registry (for reprints), issuing nothing.
    public func rerender(lot lotLabel: String, productCode: String?, progress: (@Sendable (IssueProgress) -> Void)? = nil) throws -> BatchReport {
        let batch = try registry.read { db in try StampBatch.issued(db, lot: lotLabel, productCode: productCode) }
        var report = makeReport(batch, newStamps: 0, alreadyIssued: true)
        try renderAndWriteManifest(batch, report: &report, progress: progress)
        return report
    }

    // MARK: - Steps

    private func createBatch(_ db: Database, productID: Int64, orderID: Int64?, lot: String, lotLabel: String, quantity: Int,
                             producedOn: String?, expiresOn: String?) throws -> Int64 {
        if let existing = try Row.fetchOne(db, sql: "SELECT id, quantity FROM stamp_batches WHERE product_id = ? AND lot = ?",
                                           arguments: [productID, lot]) {
            let existingQuantity: Int = existing["quantity"]
            guard existingQuantity == quantity else {
                throw IssueError.quantityConflict(lot: lot, existing: existingQuantity, requested: quantity)
            }
            return existing["id"]
        }
        let signs = try options.embedSignature
            || (Bool.fetchOne(db, sql: "SELECT embed_signature FROM products WHERE id = ?", arguments: [productID]) ?? false)
        let keyID = signs ? try KeyStore(registry: registry, folder: options.keysFolder).activeSigningKey().keyID : nil
        let resolver: String
        do { resolver = try StampURL.normalisedResolver(options.resolver) } catch { throw IssueError.invalidLot(error.description) }
        let product = try Row.fetchOne(db, sql: """
            SELECT p.code, pr.name FROM products p JOIN producers pr ON pr.id = p.producer_id WHERE p.id = ?
            """, arguments: [productID])!
        let folder = ["stamps", FileName.slug(product["name"]), FileName.slug(product["code"]), FileName.slug(lot)]
            .joined(separator: "/")
        try db.execute(sql: """
            INSERT INTO stamp_batches (product_id, order_id, lot, lot_label, quantity, produced_on, expires_on, resolver, key_id,
                                       status, folder, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'issuing', ?, ?)
            """, arguments: [productID, orderID, lot, lotLabel, quantity, producedOn, expiresOn, resolver, keyID, folder, Timestamp.now()])
        if let orderID {
            try db.execute(sql: "UPDATE stamp_orders SET status = 'issuing' WHERE id = ? AND status = 'pending'", arguments: [orderID])
        }
        return db.lastInsertedRowID
    }

    /// Brings a batch to `issued`: missing stamps, every PNG, the manifest, then the status.
    private func complete(batchID: Int64, progress: (@Sendable (IssueProgress) -> Void)?) throws -> BatchReport {
        guard let batch = try registry.read({ try StampBatch.fetch($0, id: batchID) }) else { throw IssueError.noBatch(lot: "#\(batchID)") }
        if batch.status == "issued" {
            return makeReport(batch, newStamps: 0, alreadyIssued: true)
        }
        let storeStarted = Date()
        let newStamps = try fillStamps(batch, progress: progress)
        var report = makeReport(batch, newStamps: newStamps, alreadyIssued: false)
        report.storeSeconds = Date().timeIntervalSince(storeStarted)
        try renderAndWriteManifest(batch, report: &report, progress: progress)
        try registry.write { db in
            try db.execute(sql: "UPDATE stamp_batches SET status = 'issued', completed_at = ? WHERE id = ?", arguments: [Timestamp.now(), batch.id])
            if let orderID = batch.orderID {
                try db.execute(sql: "UPDATE stamp_orders SET status = 'issued' WHERE id = ?", arguments: [orderID])
            }
            try JobLog.record(db, kind: "issue", file: report.manifest, startedAt: Timestamp.string(storeStarted), outcome: "succeeded",
                              counts: JobLog.Counts(rowsRead: batch.quantity, inserted: newStamps, unchanged: batch.quantity - newStamps),
                              message: "\(batch.productCode) lot \(batch.lot)" + (batch.keyID.map { ", signed with \($0)" } ?? ""))
        }
        return report
    }

    private func makeReport(_ batch: StampBatch, newStamps: Int, alreadyIssued: Bool) -> BatchReport {
        let folder = options.outputFolder.appendingPathComponent(batch.folder)
        return BatchReport(batchID: batch.id, product: batch.productCode, producer: batch.producer, lot: batch.lot,
                           quantity: batch.quantity, newStamps: newStamps, alreadyIssued: alreadyIssued, signed: batch.keyID != nil,
                           keyID: batch.keyID, folder: InputFiles.displayPath(folder),
                           manifest: InputFiles.displayPath(folder.appendingPathComponent("manifest.csv")))
    }

    /// Adds stamps until the batch holds its quantity. Serials are drawn (and signed) outside the
    /// transaction; inside it, the count is taken again so that concurrent runs never overfill.
    private func fillStamps(_ batch: StampBatch, progress: (@Sendable (IssueProgress) -> Void)?) throws -> Int {
        let key = try batch.keyID.map { try KeyStore(registry: registry, folder: options.keysFolder).signingKey($0) }
        var added = 0
        while true {
            let existing = try registry.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM stamps WHERE batch_id = ?", arguments: [batch.id]) ?? 0 }
            let wanted = min(StampIssuer.storeChunk, batch.quantity - existing)
            if wanted <= 0 { return added }
            let drafts = try StampIssuer.draw(wanted, batch: batch, key: key)
            let inserted: Int = try registry.write { db in
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stamps WHERE batch_id = ?", arguments: [batch.id]) ?? 0
                var sequence = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM stamps WHERE batch_id = ?", arguments: [batch.id]) ?? 0
                let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO stamps (batch_id, sequence, serial, signature) VALUES (?, ?, ?, ?)")
                var inserted = 0
                for draft in drafts.prefix(max(0, batch.quantity - count)) {
                    sequence += 1
                    try statement.execute(arguments: [batch.id, sequence, draft.serial.text, draft.signature?.text])
                    if db.changesCount == 1 { inserted += 1 } else { sequence -= 1 }  // a serial already taken: drawn again next round
                }
                return inserted
            }
            added += inserted
            progress?(IssueProgress(stage: .store, lot: batch.lot, done: existing + inserted, total: batch.quantity))
        }
    }

    /// Random serials, signed on both cores when the batch is signed.
    private static func draw(_ count: Int, batch: StampBatch, key: SigningKey?) throws -> [IssuedStamp] {
        var generator = SystemRandomNumberGenerator()
        var stamps = (0..<count).map { _ in IssuedStamp(sequence: 0, serial: Serial.random(using: &generator), signature: nil) }
        guard let key else { return stamps }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let signatures = ConcurrentResults<[EmbeddedSignature]>(count: workers)
        let serials = stamps.map(\.serial)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = stride(from: worker, to: count, by: workers)
            signatures.set(worker, range.map { index in try! key.sign(batch.signedFields(serial: serials[index])) })
        }
        for worker in 0..<workers {
            for (offset, signature) in signatures.value(worker).enumerated() {
                stamps[worker + offset * workers].signature = signature
            }
        }
        return stamps
    }

    private func renderAndWriteManifest(_ batch: StampBatch, report: inout BatchReport,
                                        progress: (@Sendable (IssueProgress) -> Void)?) throws {
        let started = Date()
        let timings = try BatchRenderer(registry: registry, batch: batch, options: options.render, writePNGs: options.writePNGs,
                                        folder: options.outputFolder.appendingPathComponent(batch.folder)).run(progress: progress)
        report.render = timings
        report.renderSeconds = Date().timeIntervalSince(started)
        if batch.keyID == nil, let largest = timings.versions.keys.max(), largest > 5, options.render.correction == .medium {
            report.warnings.append("lot \(batch.lot): some URLs need QR version \(largest) at level M (over 5): a shorter product code or resolver keeps stamps small")
        }
    }

    // MARK: - Helpers

    static func stamps(_ db: Database, batchID: Int64, sequences: ClosedRange<Int>) throws -> [IssuedStamp] {
        try Row.fetchAll(db, sql: "SELECT sequence, serial, signature FROM stamps WHERE batch_id = ? AND sequence BETWEEN ? AND ? ORDER BY sequence",
                         arguments: [batchID, sequences.lowerBound, sequences.upperBound]).map(stamp(from:))
    }

    static func stamp(from row: Row) -> IssuedStamp {
        IssuedStamp(sequence: row["sequence"], serial: Serial(unchecked: row["serial"]),
                    signature: (row["signature"] as String?).flatMap(EmbeddedSignature.init(text:)))
    }

    /// `0001`, `0002`, ...: one folder per thousand stamps.
    static func chunkFolderName(_ chunk: Int) -> String {
        let digits = String(chunk + 1)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func findProduct(_ db: Database, code: String, producer: String?) throws -> ProductLookup.Match {
        switch try ProductLookup.find(db, code: code, producer: .nameContains(producer)) {
        case .found(let match): return match
        case .unknown: throw IssueError.unknownProduct(code)
        case .notForProducer: throw IssueError.productNotForProducer(code: code, producer: producer ?? "")
        case .ambiguous(let producers): throw IssueError.ambiguousProduct(code: code, producers: producers)
        }
    }
}

/// Progress of an issue run, for terminals.
public struct IssueProgress: Sendable {
    public enum Stage: String, Sendable { case store, render }
    public var stage: Stage
    public var lot: String
    public var done: Int
    public var total: Int
}
