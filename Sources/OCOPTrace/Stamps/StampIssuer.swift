import Foundation

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
    /// Give every stamp of the batches issued a scratch-off PIN (`pins.csv`, and its keyed hash in the registry).
    public var scratchPIN: Bool

    public static let defaultResolver = "https://id.ocoptrace.vn"

    /// The resolver to use: an explicit one, else `OCOPTRACE_RESOLVER`, else ``defaultResolver``.
    public static func resolveResolver(_ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["OCOPTRACE_RESOLVER"], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultResolver
    }

    public init(resolver: String = IssueOptions.defaultResolver, embedSignature: Bool = false,
                keysFolder: URL = URL(fileURLWithPath: "keys"), outputFolder: URL = URL(fileURLWithPath: "output"),
                render: RenderOptions = RenderOptions(), writePNGs: Bool = true, scratchPIN: Bool = false) {
        self.resolver = resolver
        self.embedSignature = embedSignature
        self.keysFolder = keysFolder
        self.outputFolder = outputFolder
        self.render = render
        self.writePNGs = writePNGs
        self.scratchPIN = scratchPIN
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
    /// The batch's `pins.csv` (PIN batches only).
    public var pins: String?
    public var warnings: [String] = []

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id", product, producer, lot, quantity, newStamps = "new_stamps"
        case alreadyIssued = "already_issued", signed, keyID = "key_id", folder, manifest
        case storeSeconds = "store_seconds", renderSeconds = "render_seconds"
        case render, warnings, pins
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
    case pinsLost(lot: String, count: Int)

    public var description: String {
        switch self {
        case .unknownProduct(let code): "no product \(code.quoted) in the registry: import its catalog first"
        case .productNotForProducer(let code, let producer): "product \(code.quoted) exists, but not for a producer named like \(producer.quoted)"
        case .ambiguousProduct(let code, let producers):
            "product code \(code.quoted) belongs to several producers (\(producers.joined(separator: ", "))): name one with --producer"
        case .quantityConflict(let lot, let existing, let requested):
            "lot \(lot) already has a batch of \(existing) stamps; \(requested) were asked for: use a new lot number"
        case .invalidLot(let reason): reason
        case .badDates(let reason): reason
        case .badCount(let count): "\(count) is not a number of stamps: ask for 1 to \(RowParser.maximumStampsPerOrder)"
        case .noBatch(let lot): "no stamps were issued for lot \(lot)"
        case .ambiguousLot(let lot, let products):
            "lot \(lot) exists for several products (\(products.joined(separator: ", "))): name one with --product"
        case .notComplete(let lot): "the batch of lot \(lot) is not complete: rerun `ocoptrace issue` to finish it"
        case .pinsLost(let lot, let count):
            "the scratch-off PINs of \(count) stamps of lot \(lot) are lost (the batch folder's .pins-drawn.csv is gone): revoke the lot (`ocoptrace revoke --lot \(lot) --reason \"PINs lost\"`) and issue a new one"
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
    public let store: any RegistryStore
    public let options: IssueOptions
    /// Stamps generated, signed and stored per transaction.
    public static let storeChunk = 4096
    /// Stamps per folder and per rendering task.
    public static let stampsPerFolder = 1000

    public init(store: any RegistryStore, options: IssueOptions) {
        self.store = store
        self.options = options
    }

    /// Issues every given stamp order that is not issued yet (finishing any that were interrupted).
    public func issue(orderIDs: [Int64], progress: (@Sendable (IssueProgress) -> Void)? = nil) async throws -> [BatchReport] {
        var reports: [BatchReport] = []
        for orderID in orderIDs {
            guard let order = try await store.stampOrder(id: orderID),
                  let product = try await store.issuableProduct(id: order.productID) else {
                throw IssueError.noBatch(lot: "#\(orderID)")
            }
            let batchID = try await createBatch(product: product, orderID: orderID, lot: order.lot, lotLabel: order.lotLabel,
                                                quantity: order.quantity, producedOn: order.producedOn, expiresOn: order.expiresOn)
            reports.append(try await complete(batchID: batchID, progress: progress))
        }
        return reports
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
    public func issueEach(orderIDs: [Int64], progress: (@Sendable (IssueProgress) -> Void)? = nil) async throws -> [OrderOutcome] {
        var outcomes: [OrderOutcome] = []
        for orderID in orderIDs {
            let order = try await store.stampOrder(id: orderID)
            let result: Result<BatchReport, any Error>
            do {
                result = .success(try await issue(orderIDs: [orderID], progress: progress)[0])
            } catch {
                result = .failure(error)
            }
            outcomes.append(OrderOutcome(orderID: orderID, lot: order?.lotLabel ?? "#\(orderID)", product: order?.productCode ?? "?",
                                         result: result))
        }
        return outcomes
    }

    /// Issues one batch ad hoc.
    public func issue(productCode: String, producer: String? = nil, lot lotLabel: String, count: Int,
                      producedOn: CalendarDate?, expiresOn: CalendarDate?,
                      progress: (@Sendable (IssueProgress) -> Void)? = nil) async throws -> BatchReport {
        guard (1...RowParser.maximumStampsPerOrder).contains(count) else { throw IssueError.badCount(count) }
        let lot: LotNumber
        do { lot = try LotNumber(transliterating: lotLabel) } catch { throw IssueError.invalidLot(error.description) }
        let product = try await findProduct(code: productCode, producer: producer)
        var expires = expiresOn
        if expires == nil, let producedOn, let days = product.shelfLifeDays { expires = producedOn.adding(days: days) }
        if let producedOn, let expires, expires < producedOn {
            throw IssueError.badDates("the expiry date \(expires.iso) is before the production date \(producedOn.iso)")
        }
        let batchID = try await createBatch(product: product, orderID: nil, lot: lot.code, lotLabel: lotLabel, quantity: count,
                                            producedOn: producedOn?.iso, expiresOn: expires?.iso)
        return try await complete(batchID: batchID, progress: progress)
    }

    /// Redraws a batch's PNGs and manifest from the registry (for reprints), issuing nothing.
    public func rerender(lot lotLabel: String, productCode: String?, progress: (@Sendable (IssueProgress) -> Void)? = nil) async throws -> BatchReport {
        let batch = try await store.issuedBatch(lot: lotLabel, productCode: productCode)
        var report = makeReport(batch, newStamps: 0, alreadyIssued: true)
        try await renderAndWriteManifest(batch, report: &report, progress: progress)
        return report
    }

    // MARK: - Steps

    /// The product's batch of the lot: the one that exists (of the same quantity), else a new one.
    private func createBatch(product: IssuableProduct, orderID: Int64?, lot: String, lotLabel: String, quantity: Int,
                             producedOn: String?, expiresOn: String?) async throws -> Int64 {
        if let existing = try await store.batch(productID: product.id, lot: lot) {
            return try Self.sameQuantity(existing.id, existing: existing.quantity, requested: quantity, lot: lot)
        }
        // A signing key is needed only for a new batch: an interrupted one keeps the key it started with.
        let signs = options.embedSignature || product.embedSignature
        let keyID = signs ? try await KeyStore(store: store, folder: options.keysFolder).activeSigningKey().keyID : nil
        let scratchPIN = options.scratchPIN || product.scratchPIN
        // The PIN key exists before the first PIN is drawn: the first PIN batch makes it.
        if scratchPIN { _ = try PINKey.loadOrCreate(folder: options.keysFolder) }
        let resolver: String
        do { resolver = try StampURL.normalisedResolver(options.resolver) } catch { throw IssueError.invalidLot(error.description) }
        let folder = StampIssuer.batchFolder(producer: product.producer, productCode: product.code, lot: lot)
        let creation = try await store.createBatch(NewStampBatch(
            productID: product.id, orderID: orderID, lot: lot, lotLabel: lotLabel, quantity: quantity, producedOn: producedOn,
            expiresOn: expiresOn, resolver: resolver, keyID: keyID, folder: folder, createdAt: Timestamp.now(), scratchPIN: scratchPIN))
        switch creation {
        case .created(let id): return id
        // Another run created it meanwhile.
        case .existing(let id, let existing): return try Self.sameQuantity(id, existing: existing, requested: quantity, lot: lot)
        }
    }

    private static func sameQuantity(_ id: Int64, existing: Int, requested: Int, lot: String) throws -> Int64 {
        guard existing == requested else { throw IssueError.quantityConflict(lot: lot, existing: existing, requested: requested) }
        return id
    }

    /// Brings a batch to `issued`: missing stamps, every PNG, the manifest, then the status.
    private func complete(batchID: Int64, progress: (@Sendable (IssueProgress) -> Void)?) async throws -> BatchReport {
        guard let batch = try await store.batch(id: batchID) else { throw IssueError.noBatch(lot: "#\(batchID)") }
        if batch.status == .issued {
            return makeReport(batch, newStamps: 0, alreadyIssued: true)
        }
        let storeStarted = Date()
        let (newStamps, drawn, drawnInOrder) = try await fillStamps(batch, progress: progress)
        // The drawn PINs reach the disk while the batch renders: on a thread of its own, as waiting
        // for the disk must not hold one of the few threads rendering runs on. The batch is marked
        // issued (its stamps go live) only after both.
        async let drawnSynced: Void = Self.sync(drawn)
        var report = makeReport(batch, newStamps: newStamps, alreadyIssued: false)
        report.storeSeconds = Date().timeIntervalSince(storeStarted)
        // A PIN batch's pins.csv is written with the manifest, from the PINs this run drew when it
        // filled the batch from empty, else from the drawn file (and any pins.csv an earlier run wrote).
        let pins = batch.scratchPIN ? drawnInOrder ?? PINFile.knownPINs(folder: options.outputFolder.appendingPathComponent(batch.folder)) : nil
        try await renderAndWriteManifest(batch, report: &report, pins: pins, progress: progress)
        try await drawnSynced
        let folder = options.outputFolder.appendingPathComponent(batch.folder)
        try await store.completeBatch(
            id: batch.id, orderID: batch.orderID,
            job: JobStart(kind: "issue", file: report.manifest, startedAt: Timestamp.string(storeStarted)),
            counts: JobCounts(rowsRead: batch.quantity, inserted: newStamps, unchanged: batch.quantity - newStamps),
            message: "\(batch.productCode) lot \(batch.lot)" + (batch.keyID.map { ", signed with \($0)" } ?? "")
                + (batch.scratchPIN ? ", scratch-off PINs" : ""))
        if batch.scratchPIN { PINFile.removeDrawn(folder: folder) }
        return report
    }

    private func makeReport(_ batch: StampBatch, newStamps: Int, alreadyIssued: Bool) -> BatchReport {
        let folder = options.outputFolder.appendingPathComponent(batch.folder)
        var report = BatchReport(batchID: batch.id, product: batch.productCode, producer: batch.producer, lot: batch.lot,
                                 quantity: batch.quantity, newStamps: newStamps, alreadyIssued: alreadyIssued, signed: batch.keyID != nil,
                                 keyID: batch.keyID, folder: InputFiles.displayPath(folder),
                                 manifest: InputFiles.displayPath(folder.appendingPathComponent("manifest.csv")))
        if batch.scratchPIN { report.pins = InputFiles.displayPath(folder.appendingPathComponent(PINFile.fileName)) }
        return report
    }

    /// Waits, on a thread of its own, for the disk to hold the drawn PINs (nothing without them).
    private static func sync(_ drawn: PINFile.DrawnPINs?) async throws {
        guard let drawn else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do {
                    try drawn.sync()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Adds stamps until the batch holds its quantity. Serials are drawn (and signed) outside the
    /// transaction; the store counts again inside it, so that concurrent runs never overfill.
    /// Returns how many it added; for a PIN batch that drew PINs, the drawn file they were written
    /// to (not yet synced: the caller syncs it before the batch goes live); and when this run
    /// filled the batch from empty, each chunk stored whole right after the one before, its PINs in
    /// stamp order (else the caller reads them back from the drawn file).
    private func fillStamps(_ batch: StampBatch, progress: (@Sendable (IssueProgress) -> Void)?) async throws
        -> (added: Int, drawn: PINFile.DrawnPINs?, inOrder: PINTable?) {
        let key = try batch.keyID.map { try KeyStore(store: store, folder: options.keysFolder).signingKey($0) }
        let pinKey = batch.scratchPIN ? try PINKey.required(folder: options.keysFolder) : nil
        var existing = try await store.stampCount(batchID: batch.id)
        guard existing < batch.quantity else { return (0, nil, nil) }
        let drawn = try pinKey.map { _ in try PINFile.DrawnPINs(folder: options.outputFolder.appendingPathComponent(batch.folder)) }
        var inOrder = pinKey != nil && existing == 0 ? PINTable.inOrder(capacity: batch.quantity) : nil
        var added = 0
        /// The chunk that follows `stored` stamps; nil when the batch needs none.
        @Sendable func prepare(after stored: Int) throws -> PreparedChunk? {
            let wanted = min(StampIssuer.storeChunk, batch.quantity - stored)
            return wanted > 0 ? try StampIssuer.prepareChunk(wanted, batch: batch, key: key, pinKey: pinKey, drawn: drawn) : nil
        }
        var next = try prepare(after: existing)
        while let chunk = next {
            // The next chunk is drawn (signed, its PINs written and hashed) while this one is stored:
            // the store's writer and the drawing each keep a core busy.
            let expected = existing + chunk.drafts.count
            let following = Task { try prepare(after: expected) }
            let append: StampAppend
            do {
                append = try await store.appendStamps(chunk.drafts, toBatch: batch.id)
            } catch {
                _ = try? await following.value  // nothing is left appending to the drawn file
                throw error
            }
            // Stored whole, as the sequences right after the ones before: its PINs are the next in order.
            if inOrder != nil, append.inserted != chunk.drafts.count || append.stored != existing + chunk.drafts.count
                || !inOrder!.appendInOrder(chunk.pins) {
                inOrder = nil
            }
            added += append.inserted
            existing = append.stored
            progress?(IssueProgress(stage: .store, lot: batch.lot, done: append.stored, total: batch.quantity))
            // A serial already taken (or another run adding to the batch) leaves the count short of
            // what was expected: the chunk drawn meanwhile is used as it is, or drawn now when none was.
            let drawnMeanwhile = try await following.value
            next = existing >= batch.quantity ? nil : try drawnMeanwhile ?? prepare(after: existing)
        }
        return (added, drawn, inOrder)
    }

    /// One chunk of stamps ready to store: drawn and signed; for a PIN batch, each PIN drawn, written
    /// to the drawn file, and its keyed hash in its stamp.
    private struct PreparedChunk: Sendable {
        var drafts: [DrawnStamp]
        var pins: [(serial: Serial, pin: ScratchPIN)]
    }

    private static func prepareChunk(_ count: Int, batch: StampBatch, key: SigningKey?, pinKey: PINKey?,
                                drawn: PINFile.DrawnPINs?) throws -> PreparedChunk {
        var drafts = try draw(count, batch: batch, key: key)
        guard let pinKey, let drawn else { return PreparedChunk(drafts: drafts, pins: []) }
        let drawnPINs = ScratchPIN.random(drafts.count)
        let pins = drafts.indices.map { (serial: drafts[$0].serial, pin: drawnPINs[$0]) }
        // Every PIN is in the drawn file before its stamp is in the registry: see PINFile.
        try drawn.append(pins)
        // Hashed on every core, as signatures are.
        let hashes = mapOnEveryCore(pins.count, workers: 8) { pinKey.hash(serial: pins[$0].serial, pin: pins[$0].pin) }
        for (index, hash) in hashes.enumerated() { drafts[index].pinHash = hash }
        return PreparedChunk(drafts: drafts, pins: pins)
    }

    /// Random serials, signed on both cores when the batch is signed.
    private static func draw(_ count: Int, batch: StampBatch, key: SigningKey?) throws -> [DrawnStamp] {
        var generator = BufferedSecureRandom()
        // One narrow range of the registry's serial index, in order: see Serial.randomChunk.
        var stamps = Serial.randomChunk(count, using: &generator).map { DrawnStamp(serial: $0, signature: nil) }
        guard let key else { return stamps }
        let serials = stamps.map(\.serial)
        let signatures = mapOnEveryCore(count, workers: 8) { try! key.sign(batch.signedFields(serial: serials[$0])) }
        for (index, signature) in signatures.enumerated() { stamps[index].signature = signature }
        return stamps
    }

    private func renderAndWriteManifest(_ batch: StampBatch, report: inout BatchReport, pins: PINTable? = nil,
                                        progress: (@Sendable (IssueProgress) -> Void)?) async throws {
        let started = Date()
        let timings = try await BatchRenderer(store: store, batch: batch, options: options.render, writePNGs: options.writePNGs,
                                              folder: options.outputFolder.appendingPathComponent(batch.folder), pins: pins)
            .run(progress: progress)
        report.render = timings
        report.renderSeconds = Date().timeIntervalSince(started)
        if batch.keyID == nil, let largest = timings.versions.keys.max(), largest > 5, options.render.correction == .medium {
            report.warnings.append("lot \(batch.lot): some URLs need QR version \(largest) at level M (over 5): a shorter product code or resolver keeps stamps small")
        }
    }

    // MARK: - Helpers

    /// Where a batch's PNGs, manifest and label sheets go, under the output folder:
    /// `stamps/{producer}/{product}/{lot}`. The batch records it when it is created, and every
    /// later step (render, labels, run) reads it from there. Two products or two lots never share
    /// a folder: `MD/2611` and `MD-2611` get `MD-2611_…` and `MD-2611` (see ``FileName/distinct(_:)``).
    public static func batchFolder(producer: String, productCode: String, lot: String) -> String {
        ["stamps", FileName.slug(producer), FileName.distinct(productCode), FileName.distinct(lot)].joined(separator: "/")
    }

    /// `0001`, `0002`, ...: one folder per thousand stamps.
    static func chunkFolderName(_ chunk: Int) -> String {
        let digits = String(chunk + 1)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The product `issue --product CODE [--producer NAME]` means.
    private func findProduct(code: String, producer: String?) async throws -> IssuableProduct {
        let candidates = try await store.issuableProducts(code: code)
        let matching = ProductLookup.matching(candidates, .nameContains(producer), name: \.producer, province: \.province)
        switch matching.count {
        case 1: return matching[0]
        case 0: throw candidates.isEmpty ? IssueError.unknownProduct(code) : IssueError.productNotForProducer(code: code, producer: producer ?? "")
        default: throw IssueError.ambiguousProduct(code: code, producers: matching.map(\.producer))
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
