import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    public func importFile(_ job: JobStart, dryRun: Bool, rows feed: any CatalogImportFeed) async throws -> Int64? {
        do {
            return try await transaction("import \(job.file ?? "a file")") { connection in
                let jobID = dryRun ? nil : try await PostgresJobLog.start(connection, job, logger: logger)
                let tables = PostgresCatalogTables(connection: connection, logger: logger, feed: feed, jobID: jobID, now: job.startedAt)
                var answer: CatalogAnswer?
                // `next` may wait for the parsing thread's next chunk; it blocks this task's thread
                // (never an event loop) for that long, as SQLite's writer does.
                while let request = try feed.next(after: answer) {
                    answer = try await tables.answer(request)
                }
                let ending = feed.ending()
                guard let jobID, case .commit(let outcome, let counts, let message) = ending else {
                    // Thrown out of the transaction, which PostgreSQL then rolls back.
                    throw CatalogRollBack(ending: ending)
                }
                try await PostgresJobLog.finish(connection, id: jobID, outcome: outcome, counts: counts, message: message, logger: logger)
                return jobID
            }
        } catch let rollBack as CatalogRollBack {
            guard case .reject(let counts, let message) = rollBack.ending, !dryRun else { return nil }
            // The data rolled back; the attempt still belongs in the job log.
            return try await recordJob(job, outcome: .rejected, counts: counts, message: message)
        }
    }
}

/// An import's statements inside its one PostgreSQL transaction. Each request (a chunk of rows) is
/// a few round trips, not one per row: what the chunk needs is read at once, the rows are decided in
/// order as SQLite would write them one by one, and the writes go as multi-row statements.
private struct PostgresCatalogTables {
    let connection: PostgresConnection
    let logger: Logger
    let feed: any CatalogImportFeed
    let jobID: Int64?
    let now: String

    init(connection: PostgresConnection, logger: Logger, feed: any CatalogImportFeed, jobID: Int64?, now: String) {
        self.connection = connection
        self.logger = logger
        self.feed = feed
        self.jobID = jobID
        self.now = now
    }

    func answer(_ request: CatalogRequest) async throws -> CatalogAnswer {
        switch request {
        case .writeProducts(let writes): .productsWritten(try await write(writes))
        case .findProducts(let codes): .productsFound(try await candidates(codes))
        case .writeStampOrders(let writes): .stampOrdersWritten(try await write(writes))
        case .findStages(let keys): .stagesFound(fingerprints: try await fingerprints(keys))
        case .writeStages(let writes): .stagesWritten(try await write(writes))
        }
    }

    private func rows<T: Decodable>(_ query: PostgresQuery, as type: T.Type) async throws -> [T] {
        try await connection.query(query, logger: logger).decodeAll(T.self)
    }

    // MARK: Producers

    /// Inserts the chunk's new producers and fills in the known ones (the import's rule); their ids
    /// by identity key. Known ones are locked first, then new ones inserted: the identity key is
    /// unique, so two imports at once never create a producer twice, and one that loses the race
    /// fills in the producer the other made.
    private func producerIDs(_ writes: [CatalogProductWrite]) async throws -> [String: Int64] {
        var drafts: [String: ProducerDraft] = [:]
        for write in writes {
            drafts[write.producerKey] = drafts[write.producerKey].map { feed.producer($0, filledInBy: write.product.producer) }
                ?? write.product.producer
        }
        // In key order: two imports locking the same producers take their locks in the same order.
        let keys = drafts.keys.sorted()
        var stored = try await lockProducers(keys)
        var ids = stored.mapValues(\.id)
        let new = keys.filter { stored[$0] == nil }
        if !new.isEmpty {
            let values = PostgresValues(new, types: ["text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text"]) { key, binds in
                let draft = drafts[key]!
                binds.append(draft.name)
                binds.append(key)
                binds.append(draft.type?.rawValue)
                binds.append(draft.taxID)
                binds.append(draft.commune)
                binds.append(draft.district)
                binds.append(draft.province)
                binds.append(draft.gln?.digits)
                binds.append(draft.companyPrefix)
                binds.append(now)
                binds.append(now)
            }
            for producer in try await rows(values.query(before: """
                INSERT INTO producers (name, identity_key, type, tax_id, commune, district, province, gln, gs1_company_prefix, created_at,
                                       updated_at)
                VALUES
                """, after: " ON CONFLICT (identity_key) DO NOTHING RETURNING id, identity_key"), as: ProducerKeyRow.self) {
                ids[producer.identityKey] = producer.id
            }
            // Another import inserted some of them meanwhile (and has committed: the insert waited for it).
            let raced = new.filter { ids[$0] == nil }
            if !raced.isEmpty {
                for (key, producer) in try await lockProducers(raced) {
                    stored[key] = producer
                    ids[key] = producer.id
                }
            }
        }
        var changed: [(id: Int64, draft: ProducerDraft)] = []
        for key in keys {
            guard let producer = stored[key], let draft = drafts[key] else { continue }
            let known = producer.draft
            let merged = feed.producer(known, filledInBy: draft)
            if merged != known { changed.append((producer.id, merged)) }
        }
        if !changed.isEmpty {
            let values = PostgresValues(changed, types: ["bigint", "text", "text", "text", "text", "text", "text", "text"]) { change, binds in
                binds.append(change.id)
                binds.append(change.draft.type?.rawValue)
                binds.append(change.draft.taxID)
                binds.append(change.draft.commune)
                binds.append(change.draft.district)
                binds.append(change.draft.gln?.digits)
                binds.append(change.draft.companyPrefix)
                binds.append(now)
            }
            try await connection.query(values.query(before: """
                UPDATE producers AS p SET type = v.type, tax_id = v.tax_id, commune = v.commune, district = v.district, gln = v.gln,
                    gs1_company_prefix = v.gs1_company_prefix, updated_at = v.updated_at
                FROM (VALUES
                """, after: ") AS v(id, type, tax_id, commune, district, gln, gs1_company_prefix, updated_at) WHERE p.id = v.id"), logger: logger)
        }
        return ids
    }

    /// The stored producers with these keys, locked until the import ends, by key.
    private func lockProducers(_ keys: [String]) async throws -> [String: StoredProducer] {
        var stored: [String: StoredProducer] = [:]
        for producer in try await rows("""
            \(unescaped: StoredProducer.selection) WHERE identity_key = ANY(\(keys)::text[]) ORDER BY identity_key COLLATE "C" FOR UPDATE
            """, as: StoredProducer.self) {
            stored[producer.identityKey] = producer
        }
        return stored
    }

    private struct ProducerKeyRow: Decodable {
        var id: Int64
        var identityKey: String
        enum CodingKeys: String, CodingKey {
            case id
            case identityKey = "identity_key"
        }
    }

    // MARK: Products

    private struct StoredProduct: Decodable {
        var id: Int64
        var producerID: Int64
        var code: String
        var fingerprint: String
        var gtin: String?
        enum CodingKeys: String, CodingKey {
            case id, code, fingerprint, gtin
            case producerID = "producer_id"
        }
    }

    private struct GTINOwner: Decodable {
        /// nil: a product this chunk inserts.
        var id: Int64?
        var gtin: String
        var code: String
        var producer: String
    }

    private struct PlannedProduct {
        var producerID: Int64
        /// nil: a new product.
        var existingID: Int64?
        var draft: ProductDraft
    }

    private struct ProductKey: Hashable {
        var producerID: Int64
        var code: String
    }

    private func write(_ writes: [CatalogProductWrite]) async throws -> [ProductWriteOutcome] {
        guard !writes.isEmpty else { return [] }
        let producerIDs = try await producerIDs(writes)
        let keys = try writes.map { write in
            guard let id = producerIDs[write.producerKey] else {
                throw RegistryError.failed(operation: "import row \(write.row)", reason: "its producer was not stored")
            }
            return ProductKey(producerID: id, code: write.product.code)
        }
        var existing: [ProductKey: StoredProduct] = [:]
        for product in try await rows("""
            SELECT id, producer_id, code, fingerprint, gtin FROM products
            WHERE (producer_id, code) IN (SELECT * FROM unnest(\(keys.map(\.producerID))::bigint[], \(keys.map(\.code))::text[]))
            """, as: StoredProduct.self) {
            existing[ProductKey(producerID: product.producerID, code: product.code)] = product
        }
        let changed = writes.indices.filter { existing[keys[$0]]?.fingerprint != writes[$0].product.fingerprint }
        var owners: [String: GTINOwner] = [:]
        let gtins = changed.compactMap { writes[$0].product.gtin?.digits }
        if !gtins.isEmpty {
            for owner in try await rows("""
                SELECT p.id, p.gtin, p.code, pr.name AS producer FROM products p JOIN producers pr ON pr.id = p.producer_id
                WHERE p.gtin = ANY(\(gtins)::text[])
                """, as: GTINOwner.self) {
                owners[owner.gtin] = owner
            }
        }

        // Decide each row as if the rows before it were written: a GTIN that an earlier row let go
        // of is free for a later one, never for an earlier one. Such a hand-over starts a new group
        // of writes, so that the release is written before the claim.
        var outcomes = [ProductWriteOutcome](repeating: .unchanged, count: writes.count)
        var groups: [[PlannedProduct]] = [[]]
        var releasedInGroup: Set<String> = []
        for index in changed {
            let draft = writes[index].product
            let stored = existing[keys[index]]
            let gtin = draft.gtin?.digits
            if let gtin, let owner = owners[gtin], owner.id == nil || owner.id != stored?.id {
                outcomes[index] = .gtinTaken(code: owner.code, producer: owner.producer)
                continue
            }
            if let gtin, releasedInGroup.contains(gtin) {
                groups.append([])
                releasedInGroup = []
            }
            if let old = stored?.gtin, old != gtin {
                owners[old] = nil
                releasedInGroup.insert(old)
            }
            if let gtin {
                owners[gtin] = GTINOwner(id: stored?.id, gtin: gtin, code: draft.code, producer: draft.producer.name)
            }
            groups[groups.count - 1].append(PlannedProduct(producerID: keys[index].producerID, existingID: stored?.id, draft: draft))
            outcomes[index] = stored == nil ? .inserted : .updated
        }
        for group in groups {
            try await insert(group.filter { $0.existingID == nil })
            try await update(group.filter { $0.existingID != nil })
        }
        return outcomes
    }

    /// The product columns both writes set, with their types: the draft's own, then the bookkeeping.
    private static let productColumns = ProductDraft.writtenColumns.map { ($0.name, $0.kind.postgresType) }
        + [("fingerprint", "text"), ("job_id", "bigint"), ("updated_at", "text")]

    private func bindProduct(_ draft: ProductDraft, _ binds: inout PostgresBindings) {
        for column in ProductDraft.writtenColumns {
            switch column.value(draft) {
            case .text(let text): binds.append(text)
            case .integer(let integer): binds.append(integer)
            case .real(let real): binds.append(real)
            }
        }
        binds.append(draft.fingerprint)
        binds.append(jobID)
        binds.append(now)
    }

    private func insert(_ products: [PlannedProduct]) async throws {
        guard !products.isEmpty else { return }
        let columns = Self.productColumns + [("created_at", "text"), ("producer_id", "bigint"), ("code", "text")]
        let values = PostgresValues(products, types: columns.map { $0.1 }) { product, binds in
            bindProduct(product.draft, &binds)
            binds.append(now)
            binds.append(product.producerID)
            binds.append(product.draft.code)
        }
        try await connection.query(values.query(before: "INSERT INTO products (\(columns.map { $0.0 }.joined(separator: ", "))) VALUES"),
                                   logger: logger)
    }

    private func update(_ products: [PlannedProduct]) async throws {
        guard !products.isEmpty else { return }
        let columns = Self.productColumns + [("id", "bigint")]
        let values = PostgresValues(products, types: columns.map { $0.1 }) { product, binds in
            bindProduct(product.draft, &binds)
            binds.append(product.existingID)
        }
        let set = Self.productColumns.map { "\($0.0) = v.\($0.0)" }.joined(separator: ", ")
        try await connection.query(values.query(before: "UPDATE products AS p SET \(set) FROM (VALUES",
                                                after: ") AS v(\(columns.map { $0.0 }.joined(separator: ", "))) WHERE p.id = v.id"),
                                   logger: logger)
    }

    // MARK: Stamp orders

    private func candidates(_ codes: [String]) async throws -> [ProductCandidate] {
        guard !codes.isEmpty else { return [] }
        return try await rows("""
            SELECT p.id, p.code, p.shelf_life_days, pr.name AS producer, pr.province, p.gtin FROM products p
            JOIN producers pr ON pr.id = p.producer_id WHERE p.code = ANY(\(codes)::text[]) ORDER BY p.id
            """, as: ProductCandidate.self)
    }

    private struct OrderKey: Hashable {
        var productID: Int64
        var lot: String
    }

    private struct InsertedOrder: Decodable {
        var id: Int64
        var productID: Int64
        var lot: String
        enum CodingKeys: String, CodingKey {
            case id, lot
            case productID = "product_id"
        }
    }

    private func write(_ writes: [StampOrderWrite]) async throws -> [StampOrderWriteOutcome] {
        // A lot named twice (two spellings of one product) is written as SQLite would: the second
        // row meets the first as an existing order.
        var outcomes: [StampOrderWriteOutcome] = []
        var group: [StampOrderWrite] = []
        var keys: Set<OrderKey> = []
        for write in writes {
            if !keys.insert(OrderKey(productID: write.productID, lot: write.lot)).inserted {
                outcomes += try await writeDistinct(group)
                group = []
                keys = [OrderKey(productID: write.productID, lot: write.lot)]
            }
            group.append(write)
        }
        return outcomes + (try await writeDistinct(group))
    }

    /// Writes orders that are all for different lots.
    private func writeDistinct(_ writes: [StampOrderWrite]) async throws -> [StampOrderWriteOutcome] {
        guard !writes.isEmpty else { return [] }
        var existing: [OrderKey: StoredStampOrder] = [:]
        for order in try await rows("""
            \(unescaped: StoredStampOrder.selection)
            WHERE (product_id, lot) IN (SELECT * FROM unnest(\(writes.map(\.productID))::bigint[], \(writes.map(\.lot))::text[]))
            """, as: StoredStampOrder.self) {
            existing[OrderKey(productID: order.productID, lot: order.lot)] = order
        }
        var outcomes: [StampOrderWriteOutcome?] = []
        var inserts: [StampOrderWrite] = []
        var updates: [(id: Int64, write: StampOrderWrite)] = []
        for write in writes {
            guard let stored = existing[OrderKey(productID: write.productID, lot: write.lot)] else {
                inserts.append(write)
                outcomes.append(nil)
                continue
            }
            switch feed.change(of: stored, by: write) {
            case .unchanged:
                outcomes.append(.unchanged(id: stored.id))
            case .locked(let status):
                outcomes.append(.locked(id: stored.id, status: status))
            case .update:
                updates.append((stored.id, write))
                outcomes.append(.updated(id: stored.id))
            }
        }
        if !updates.isEmpty {
            let values = PostgresValues(updates, types: ["bigint", "text", "bigint", "text", "text", "bigint", "text"]) { update, binds in
                binds.append(update.id)
                binds.append(update.write.lotLabel)
                binds.append(update.write.quantity)
                binds.append(update.write.producedOn.iso)
                binds.append(update.write.expiresOn?.iso)
                binds.append(jobID)
                binds.append(now)
            }
            try await connection.query(values.query(before: """
                UPDATE stamp_orders AS o SET lot_label = v.lot_label, quantity = v.quantity, produced_on = v.produced_on,
                    expires_on = v.expires_on, job_id = v.job_id, updated_at = v.updated_at
                FROM (VALUES
                """, after: ") AS v(id, lot_label, quantity, produced_on, expires_on, job_id, updated_at) WHERE o.id = v.id"),
                logger: logger)
        }
        var insertedIDs: [OrderKey: Int64] = [:]
        if !inserts.isEmpty {
            let values = PostgresValues(inserts, types: ["bigint", "text", "text", "bigint", "text", "text", "bigint", "text", "text"]) { write, binds in
                binds.append(write.productID)
                binds.append(write.lot)
                binds.append(write.lotLabel)
                binds.append(write.quantity)
                binds.append(write.producedOn.iso)
                binds.append(write.expiresOn?.iso)
                binds.append(jobID)
                binds.append(now)
                binds.append(now)
            }
            for order in try await rows(values.query(before: """
                INSERT INTO stamp_orders (product_id, lot, lot_label, quantity, produced_on, expires_on, job_id, created_at, updated_at)
                VALUES
                """, after: " RETURNING id, product_id, lot"), as: InsertedOrder.self) {
                insertedIDs[OrderKey(productID: order.productID, lot: order.lot)] = order.id
            }
        }
        return try zip(writes, outcomes).map { write, outcome in
            if let outcome { return outcome }
            guard let id = insertedIDs[OrderKey(productID: write.productID, lot: write.lot)] else {
                throw RegistryError.failed(operation: "import row \(write.row)", reason: "its stamp order was not stored")
            }
            return .inserted(id: id)
        }
    }
}

extension PostgresCatalogTables {
    // MARK: Production stages

    private struct StoredStageKey: Decodable {
        var id: Int64
        var productID: Int64
        var lot: String
        var stageKey: String
        var startedAt: String
        var fingerprint: String
        enum CodingKeys: String, CodingKey {
            case id, lot, fingerprint
            case productID = "product_id", stageKey = "stage_key", startedAt = "started_at"
        }
    }

    /// The columns both writes set, with their types.
    private static let stageColumns = [
        ("lot_label", "text"), ("stage", "text"), ("stage_word", "text"), ("biz_step", "text"), ("started_offset", "bigint"),
        ("started_has_time", "bigint"), ("finished_at", "text"), ("finished_offset", "bigint"), ("finished_has_time", "bigint"),
        ("place", "text"), ("place_gln", "text"), ("commune", "text"), ("province", "text"), ("actor", "text"), ("standard", "text"),
        ("certificate", "text"), ("note", "text"), ("fingerprint", "text"), ("event_id", "text"), ("job_id", "bigint"),
        ("updated_at", "text"),
    ]

    private func bindStage(_ write: ProductionStageWrite, _ binds: inout PostgresBindings) {
        binds.append(write.lotLabel)
        binds.append(write.stage)
        binds.append(write.stageWord)
        binds.append(write.bizStep)
        binds.append(write.startedAt.offsetMinutes)
        binds.append(write.startedAt.hasTime ? 1 : 0)
        binds.append(write.finishedAt?.utc)
        binds.append(write.finishedAt?.offsetMinutes)
        binds.append(write.finishedAt.map { $0.hasTime ? 1 : 0 })
        binds.append(write.place)
        binds.append(write.placeGLN)
        binds.append(write.commune)
        binds.append(write.province)
        binds.append(write.actor)
        binds.append(write.standard)
        binds.append(write.certificate)
        binds.append(write.note)
        binds.append(write.fingerprint)
        binds.append(write.eventID)
        binds.append(jobID)
        binds.append(now)
    }

    fileprivate func write(_ writes: [ProductionStageWrite]) async throws -> [ProductionStageWriteOutcome] {
        // A key named twice in one chunk (two spellings of one product) is written as SQLite
        // would: the second row meets the first as a stored stage.
        var outcomes: [ProductionStageWriteOutcome] = []
        var group: [ProductionStageWrite] = []
        var keys: Set<ProductionStageKey> = []
        for write in writes {
            if !keys.insert(write.key).inserted {
                outcomes += try await writeDistinct(group)
                group = []
                keys = [write.key]
            }
            group.append(write)
        }
        return outcomes + (try await writeDistinct(group))
    }

    private func fingerprints(_ keys: [ProductionStageKey]) async throws -> [String?] {
        let existing = try await storedStages(keys)
        return keys.map { existing[$0]?.fingerprint }
    }

    /// The stored stages with these keys, in one read.
    private func storedStages(_ keys: [ProductionStageKey]) async throws -> [ProductionStageKey: StoredStageKey] {
        guard !keys.isEmpty else { return [:] }
        var existing: [ProductionStageKey: StoredStageKey] = [:]
        let query: PostgresQuery = """
            SELECT id, product_id, lot, stage_key, started_at, fingerprint FROM production_stages
            WHERE (product_id, lot, stage_key, started_at) IN (SELECT * FROM unnest(\(keys.map(\.productID))::bigint[],
                \(keys.map(\.lot))::text[], \(keys.map(\.stageKey))::text[], \(keys.map(\.startedAt))::text[]))
            """
        for stored in try await connection.query(query, logger: logger).decodeAll(StoredStageKey.self) {
            existing[ProductionStageKey(productID: stored.productID, lot: stored.lot, stageKey: stored.stageKey, startedAt: stored.startedAt)] = stored
        }
        return existing
    }

    /// Writes stages that all have different keys: one read, one insert and one update.
    private func writeDistinct(_ writes: [ProductionStageWrite]) async throws -> [ProductionStageWriteOutcome] {
        guard !writes.isEmpty else { return [] }
        let existing = try await storedStages(writes.map(\.key))
        var outcomes: [ProductionStageWriteOutcome] = []
        var inserts: [ProductionStageWrite] = []
        var updates: [(id: Int64, write: ProductionStageWrite)] = []
        for write in writes {
            guard let stored = existing[write.key] else {
                inserts.append(write)
                outcomes.append(.inserted)
                continue
            }
            if stored.fingerprint == write.fingerprint {
                outcomes.append(.unchanged)
            } else {
                updates.append((stored.id, write))
                outcomes.append(.updated)
            }
        }
        if !inserts.isEmpty {
            let columns = Self.stageColumns + [("created_at", "text"), ("product_id", "bigint"), ("lot", "text"), ("stage_key", "text"),
                                               ("started_at", "text")]
            let values = PostgresValues(inserts, types: columns.map { $0.1 }) { write, binds in
                bindStage(write, &binds)
                binds.append(now)
                binds.append(write.productID)
                binds.append(write.lot)
                binds.append(write.stageKey)
                binds.append(write.startedAt.utc)
            }
            try await connection.query(values.query(before: "INSERT INTO production_stages (\(columns.map { $0.0 }.joined(separator: ", "))) VALUES"),
                                       logger: logger)
        }
        if !updates.isEmpty {
            let columns = Self.stageColumns + [("id", "bigint")]
            let values = PostgresValues(updates, types: columns.map { $0.1 }) { update, binds in
                bindStage(update.write, &binds)
                binds.append(update.id)
            }
            let set = Self.stageColumns.map { "\($0.0) = v.\($0.0)" }.joined(separator: ", ")
            try await connection.query(values.query(before: "UPDATE production_stages AS s SET \(set) FROM (VALUES",
                                                    after: ") AS v(\(columns.map { $0.0 }.joined(separator: ", "))) WHERE s.id = v.id"),
                                       logger: logger)
        }
        return outcomes
    }
}

/// Rows as a `VALUES` list of numbered placeholders, each cast to its column's type, and their
/// values: one statement writes a chunk of rows. The SQL is made of fixed column types and numbers
/// only; every value is bound.
private struct PostgresValues {
    private(set) var sql = ""
    private(set) var binds = PostgresBindings()

    init<Row>(_ rows: [Row], types: [String], bind: (Row, inout PostgresBindings) -> Void) {
        var groups: [String] = []
        groups.reserveCapacity(rows.count)
        var next = 1
        for row in rows {
            let placeholders = types.map { type in
                defer { next += 1 }
                return "$\(next)::\(type)"
            }
            groups.append("(" + placeholders.joined(separator: ", ") + ")")
            bind(row, &binds)
        }
        sql = groups.joined(separator: ", ")
    }

    func query(before: String, after: String = "") -> PostgresQuery {
        PostgresQuery(unsafeSQL: before + " " + sql + after, binds: binds)
    }
}

extension WrittenColumn.Kind {
    /// The type a multi-row VALUES list casts the column's binds to.
    var postgresType: String {
        switch self {
        case .text: "text"
        case .integer: "bigint"
        case .real: "double precision"
        }
    }
}
