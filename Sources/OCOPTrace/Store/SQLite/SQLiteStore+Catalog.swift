import Foundation
import GRDB

extension SQLiteStore {
    public func importFile(_ job: JobStart, dryRun: Bool, rows feed: any CatalogImportFeed) async throws -> Int64? {
        do {
            // The whole file inside one write closure: SQLite answers each row in-process, so the
            // rows are written one by one, with no hop between threads per row.
            return try await write { db in
                let jobID = dryRun ? nil
                    : try JobLog.start(db, job)
                let tables = SQLiteCatalogTables(db: db, feed: feed, jobID: jobID, now: job.startedAt)
                var answer: CatalogAnswer?
                while let request = try feed.next(after: answer) {
                    answer = try tables.answer(request)
                }
                let ending = feed.ending()
                guard let jobID, case .commit(let outcome, let counts, let message) = ending else {
                    throw CatalogRollBack(ending: ending)
                }
                try JobLog.finish(db, id: jobID, outcome: outcome, counts: counts, message: message)
                return jobID
            }
        } catch let rollBack as CatalogRollBack {
            guard case .reject(let counts, let message) = rollBack.ending, !dryRun else { return nil }
            // The data rolled back; the attempt still belongs in the job log.
            return try await write { db in
                try JobLog.record(db, job, outcome: .rejected, counts: counts, message: message)
            }
        }
    }

    /// Every product with the code, whichever its producer, oldest first.
    static func productCandidates(_ db: Database, code: String) throws -> [ProductCandidate] {
        // A cached statement: a diary asks for a chunk's fifty codes or so, every chunk.
        try ProductCandidate.fetchAll(db.cachedStatement(sql: """
            SELECT p.id, p.code, p.shelf_life_days, pr.name AS producer, pr.province, p.gtin FROM products p
            JOIN producers pr ON pr.id = p.producer_id WHERE p.code = ? ORDER BY p.id
            """), arguments: [code])
    }
}

/// An import's statements inside its one SQLite transaction, with what it has learnt of the
/// registry so far: a catalog repeats its producer on every row, and a producer's products are
/// read once.
private final class SQLiteCatalogTables {
    private let db: Database
    private let feed: any CatalogImportFeed
    private let jobID: Int64?
    private let now: String

    private struct ProducerState {
        var id: Int64
        var stored: ProducerDraft
    }

    private var producers: [String: ProducerState] = [:]
    /// Existing products of each producer met so far: code → (id, fingerprint).
    private var products: [Int64: [String: (id: Int64, fingerprint: String)]] = [:]
    /// The producer of the previous row: catalogs list a producer's products together, and the
    /// same description as the row before needs no merging again.
    private var previousProducer: (draft: ProducerDraft, id: Int64)?

    init(db: Database, feed: any CatalogImportFeed, jobID: Int64?, now: String) {
        self.db = db
        self.feed = feed
        self.jobID = jobID
        self.now = now
    }

    func answer(_ request: CatalogRequest) throws -> CatalogAnswer {
        switch request {
        case .writeProducts(let writes):
            .productsWritten(try writes.map(write))
        case .findProducts(let codes):
            .productsFound(try codes.flatMap { try SQLiteStore.productCandidates(db, code: $0) })
        case .writeStampOrders(let writes):
            .stampOrdersWritten(try writes.map(write))
        case .findStages(let keys):
            .stagesFound(fingerprints: try findStages(keys))
        case .writeStages(let writes):
            .stagesWritten(try writes.map(write))
        }
    }

    // MARK: Products

    private func write(_ write: CatalogProductWrite) throws -> ProductWriteOutcome {
        let draft = write.product
        let producerID: Int64
        if let previous = previousProducer, previous.draft == draft.producer {
            producerID = previous.id
        } else {
            producerID = try producer(for: draft.producer, key: write.producerKey)
            previousProducer = (draft.producer, producerID)
        }

        let existing = try existingProducts(of: producerID)[draft.code]
        let fingerprint = draft.fingerprint
        if let existing, existing.fingerprint == fingerprint { return .unchanged }
        do {
            if let existing {
                try db.cachedStatement(sql: Self.updateProduct).execute(arguments: productValues(draft) + [fingerprint, jobID, now, existing.id])
                products[producerID]![draft.code] = (existing.id, fingerprint)
                return .updated
            }
            try db.cachedStatement(sql: Self.insertProduct).execute(arguments: productValues(draft) + [fingerprint, jobID, now, now, producerID, draft.code])
            products[producerID]![draft.code] = (db.lastInsertedRowID, fingerprint)
            return .inserted
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // The one unique key a valid row can break is the GTIN (codes are unique per producer,
            // and this producer's were read above): SQLite undid the statement, not the transaction.
            guard let gtin = draft.gtin,
                  let owner = try Row.fetchOne(db, sql: """
                      SELECT p.code, pr.name AS producer FROM products p JOIN producers pr ON pr.id = p.producer_id
                      WHERE p.gtin = ?
                      """, arguments: [gtin.digits])
            else { throw error }
            return .gtinTaken(code: owner["code"], producer: owner["producer"])
        }
    }

    /// The draft's own columns (``ProductDraft/writtenColumns``), then the bookkeeping.
    private static let productColumns = ProductDraft.writtenColumns.map(\.name) + ["fingerprint", "job_id", "updated_at"]
    private static let updateProduct = "UPDATE products SET \(productColumns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"
    private static let insertProduct = {
        let columns = productColumns + ["created_at", "producer_id", "code"]
        return "INSERT INTO products (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
    }()

    private func productValues(_ draft: ProductDraft) -> StatementArguments {
        StatementArguments(ProductDraft.writtenColumns.map { column -> (any DatabaseValueConvertible)? in
            switch column.value(draft) {
            case .text(let text): text
            case .integer(let integer): integer
            case .real(let real): real
            }
        })
    }

    private func existingProducts(of producerID: Int64) throws -> [String: (id: Int64, fingerprint: String)] {
        if let known = products[producerID] { return known }
        var loaded: [String: (id: Int64, fingerprint: String)] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, code, fingerprint FROM products WHERE producer_id = ?", arguments: [producerID])
        while let row = try rows.next() {
            loaded[row["code"]] = (row["id"], row["fingerprint"])
        }
        products[producerID] = loaded
        return loaded
    }

    /// The producer's id, inserting the producer, or filling in what the row adds to it.
    private func producer(for draft: ProducerDraft, key: String) throws -> Int64 {
        var state: ProducerState
        if let known = producers[key] {
            state = known
        } else if let stored = try StoredProducer.fetchOne(db, sql: StoredProducer.selection + " WHERE identity_key = ?", arguments: [key]) {
            state = ProducerState(id: stored.id, stored: stored.draft)
        } else {
            try db.execute(sql: """
                INSERT INTO producers (name, identity_key, type, tax_id, commune, district, province, gln, gs1_company_prefix, created_at,
                                       updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [draft.name, key, draft.type?.rawValue, draft.taxID, draft.commune, draft.district,
                                 draft.province, draft.gln?.digits, draft.companyPrefix, now, now])
            state = ProducerState(id: db.lastInsertedRowID, stored: draft)
        }
        let merged = feed.producer(state.stored, filledInBy: draft)
        if merged != state.stored {
            try db.execute(sql: """
                UPDATE producers SET type = ?, tax_id = ?, commune = ?, district = ?, gln = ?, gs1_company_prefix = ?, updated_at = ?
                WHERE id = ?
                """, arguments: [merged.type?.rawValue, merged.taxID, merged.commune, merged.district, merged.gln?.digits,
                                 merged.companyPrefix, now, state.id])
            state.stored = merged
        }
        producers[key] = state
        return state.id
    }

    // MARK: Stamp orders

    private func write(_ write: StampOrderWrite) throws -> StampOrderWriteOutcome {
        if let stored = try StoredStampOrder.fetchOne(db, sql: StoredStampOrder.selection + " WHERE product_id = ? AND lot = ?",
                                                      arguments: [write.productID, write.lot]) {
            let id = stored.id
            switch feed.change(of: stored, by: write) {
            case .unchanged: return .unchanged(id: id)
            case .locked(let status): return .locked(id: id, status: status)
            case .update: break
            }
            try db.execute(sql: """
                UPDATE stamp_orders SET lot_label = ?, quantity = ?, produced_on = ?, expires_on = ?, job_id = ?, updated_at = ?
                WHERE id = ?
                """, arguments: [write.lotLabel, write.quantity, write.producedOn.iso, write.expiresOn?.iso, jobID, now, id])
            return .updated(id: id)
        }
        try db.execute(sql: """
            INSERT INTO stamp_orders (product_id, lot, lot_label, quantity, produced_on, expires_on, job_id, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [write.productID, write.lot, write.lotLabel, write.quantity, write.producedOn.iso,
                             write.expiresOn?.iso, jobID, now, now])
        return .inserted(id: db.lastInsertedRowID)
    }

    // MARK: Production stages

    /// The stored stages the last ``CatalogRequest/findStages(_:)`` asked about (nil: none is
    /// stored), by key, kept up to date by the writes that follow it: each row's key is looked up
    /// once, and a key repeated within the chunk meets the earlier row's write.
    private var knownStages: [ProductionStageKey: (id: Int64, fingerprint: String)?] = [:]

    private func findStages(_ keys: [ProductionStageKey]) throws -> [String?] {
        knownStages.removeAll(keepingCapacity: true)
        return try keys.map { key in
            let stored = try storedStage(key)
            knownStages.updateValue(stored, forKey: key)
            return stored?.fingerprint
        }
    }

    private func storedStage(_ key: ProductionStageKey) throws -> (id: Int64, fingerprint: String)? {
        try Row.fetchOne(db.cachedStatement(sql: Statements.stageByKey), arguments: [key.productID, key.lot, key.stageKey, key.startedAt])
            .map { (id: $0["id"] as Int64, fingerprint: $0["fingerprint"] as String) }
    }

    private func write(_ write: ProductionStageWrite) throws -> ProductionStageWriteOutcome {
        let key = write.key
        let stored = try knownStages[key] ?? storedStage(key)
        if let stored, stored.fingerprint == write.fingerprint { return .unchanged }
        let values: StatementArguments = [
            write.lotLabel, write.stage, write.stageWord, write.bizStep, write.startedAt.offsetMinutes, write.startedAt.hasTime,
            write.finishedAt?.utc, write.finishedAt?.offsetMinutes, write.finishedAt?.hasTime, write.place, write.placeGLN,
            write.commune, write.province, write.actor, write.standard, write.certificate, write.note, write.fingerprint,
            write.eventID, jobID, now,
        ]
        if let stored {
            try db.cachedStatement(sql: """
                UPDATE production_stages SET lot_label = ?, stage = ?, stage_word = ?, biz_step = ?, started_offset = ?,
                    started_has_time = ?, finished_at = ?, finished_offset = ?, finished_has_time = ?, place = ?, place_gln = ?,
                    commune = ?, province = ?, actor = ?, standard = ?, certificate = ?, note = ?, fingerprint = ?, event_id = ?,
                    job_id = ?, updated_at = ?
                WHERE id = ?
                """).execute(arguments: values + [stored.id])
            knownStages.updateValue((stored.id, write.fingerprint), forKey: key)
            return .updated
        }
        try db.cachedStatement(sql: """
            INSERT INTO production_stages (lot_label, stage, stage_word, biz_step, started_offset, started_has_time, finished_at,
                finished_offset, finished_has_time, place, place_gln, commune, province, actor, standard, certificate, note,
                fingerprint, event_id, job_id, updated_at, created_at, product_id, lot, stage_key, started_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: values + [now, write.productID, write.lot, write.stageKey, key.startedAt])
        knownStages.updateValue((db.lastInsertedRowID, write.fingerprint), forKey: key)
        return .inserted
    }
}
