import Foundation
import PostgresNIO

extension PostgresStore {
    /// A stamp's history beside its row: one round trip for the record and the scans.
    private static let historyJoin = """
        LEFT JOIN LATERAL (SELECT COUNT(*) AS count, MIN(scanned_at) AS first, MAX(scanned_at) AS last,
                                  string_agg(DISTINCT location COLLATE "C", chr(31) ORDER BY location COLLATE "C") AS locations
                           FROM scans WHERE stamp_id = s.id) h ON TRUE
        """

    /// A stamp's row with its scan history beside it, in one statement.
    private static let stampWithHistory = """
        SELECT h.count, h.first, h.last, h.locations, \(StoredStampRow.columns)
        \(StoredStampRow.tables)
        \(historyJoin)
        """

    /// ``stamp(serial:)``'s statement, prepared once per connection.
    private struct StampLookup: PostgresPreparedStatement {
        static let sql = PostgresStore.stampWithHistory + " WHERE s.serial = $1"
        typealias Row = StoredStamp
        let serial: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(serial)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> StoredStamp {
            try row.decoded(as: StoredStampRow.self).stored(scans: try row.decoded(as: ScanHistoryRow.self).scans)
        }
    }

    public func stamps(serials: [Serial]) async throws -> [StoredStamp?] {
        guard !serials.isEmpty else { return [] }
        let texts = serials.map(\.text)
        var found: [String: StoredStamp] = [:]
        try await transaction("look up stamps") { connection in
            let rows = try await connection.query(
                "\(unescaped: PostgresStore.stampWithHistory) WHERE s.serial = ANY(\(texts))", logger: logger)
            for try await row in rows {
                let stamp = try row.decoded(as: StoredStampRow.self)
                found[stamp.serial] = stamp.stored(scans: try row.decoded(as: ScanHistoryRow.self).scans)
            }
        }
        return texts.map { found[$0] }
    }

    public func stamp(serial: Serial) async throws -> StoredStamp? {
        // The verification page's read: one statement, consistent in itself, sent without the round
        // trips of BEGIN and COMMIT, and prepared once per connection (planning the joins and the
        // history aggregate anew for every page cost the server more than running them).
        try await limited("look up a stamp") { [client, logger] in
            do {
                var found: StoredStamp?
                for try await stamp in try await client.execute(StampLookup(serial: serial.text), logger: logger) { found = stamp }
                return found
            } catch let error as PSQLError {
                throw RegistryError.failed(operation: "look up a stamp", reason: PostgresStore.describe(error))
            }
        }
    }

    public func recordScans(_ scans: [InspectorScan]) async throws {
        guard !scans.isEmpty else { return }
        let ids = scans.map(\.stampID)
        let times = scans.map(\.scannedAt)
        let inspectors = scans.map { $0.inspector ?? "" }
        let hasInspector = scans.map { $0.inspector != nil }
        let locations = scans.map { $0.location ?? "" }
        let hasLocation = scans.map { $0.location != nil }
        let statuses = scans.map(\.status.rawValue)
        _ = try await transaction("record the scans") { connection in
            // A flag beside each optional value says which are absent (NULL).
            try await connection.query("""
                INSERT INTO scans (stamp_id, scanned_at, inspector, location, status)
                SELECT id, at, CASE WHEN has_inspector THEN inspector END, CASE WHEN has_location THEN location END, status
                FROM unnest(\(ids)::bigint[], \(times)::text[], \(inspectors)::text[], \(hasInspector)::boolean[],
                            \(locations)::text[], \(hasLocation)::boolean[], \(statuses)::text[])
                     WITH ORDINALITY AS u(id, at, inspector, has_inspector, location, has_location, status, n)
                ORDER BY n
                """, logger: logger)
        }
    }

    /// None: a commit here flushes PostgreSQL's log and leaves every reader's cache as it was, so
    /// the page's group commit is cheap enough (and several servers may share the registry).
    public func webScanJournal() async throws -> (any WebScanJournal)? { nil }

    public func recordWebScans(_ scans: [WebScan]) async throws {
        guard !scans.isEmpty else { return }
        let ids = scans.map(\.stampID)
        let times = scans.map(\.scannedAt)
        let statuses = scans.map(\.status.rawValue)
        let networks = scans.map(\.network)
        // One statement for the whole batch, whatever its size: one round trip, one short transaction.
        _ = try await limited("record the page's scans") { [self] in
            try await transaction("record the page's scans") { connection in
                try await connection.query("""
                    INSERT INTO scans (stamp_id, scanned_at, status, channel, client_network)
                    SELECT id, at, status, 'web', network
                    FROM unnest(\(ids)::bigint[], \(times)::text[], \(statuses)::text[], \(networks)::text[]) AS u(id, at, status, network)
                    """, logger: logger)
            }
        }
    }

    public func ping() async throws {
        _ = try await rows("answer", PostgresQuery(shared: Statements.ping), as: Int.self)
    }

    public func webScanCount() async throws -> Int {
        try await rows("count the page's scans", PostgresQuery(shared: Statements.webScanCount), as: Int.self).first ?? 0
    }

    public func registrySecret(named name: String, candidate: String) async throws -> String {
        try await transaction("read the registry's secret \(name)") { connection in
            // Servers starting together: the first insert wins, the others' do nothing, and every
            // one reads the value that won (the SELECT sees the row another transaction committed).
            try await connection.query("""
                INSERT INTO registry_secrets (name, value, created_at) VALUES (\(name), \(candidate), \(Timestamp.now()))
                ON CONFLICT (name) DO NOTHING
                """, logger: logger)
            return try await connection.query(PostgresQuery(shared: Statements.registrySecret, name), logger: logger)
                .decodeAll(String.self).first ?? candidate
        }
    }

    public func revokeStamps(serials: [Serial], reason: String) async throws -> StampRevocation {
        let texts = serials.map(\.text)
        return try await transaction("revoke stamps") { connection in
            var ids: [String: Int64] = [:]
            for try await (id, serial) in try await connection.query(
                "SELECT id, serial FROM stamps WHERE serial = ANY(\(texts))", logger: logger).decode((Int64, String).self) {
                ids[serial] = id
            }
            let unknown = serials.filter { ids[$0.text] == nil }
            guard unknown.isEmpty else { return .unknownSerials(unknown) }
            let stampIDs = texts.compactMap { ids[$0] }
            return .revoked(try await revoke(connection, stampIDs: stampIDs, reason: reason, description: "\(stampIDs.count) stamps"))
        }
    }

    public func revokeLot(_ lot: String, reason: String, recall: Bool,
                          choosing choose: @escaping @Sendable ([StampBatch]) throws -> StampBatch) async throws -> RevocationOutcome {
        try await transaction("revoke a lot") { connection in
            let batch = try choose(try await connection.query(PostgresQuery(shared: Statements.batchesOfLot, lot), logger: logger)
                .decodeAll(StampBatch.self))
            let ids = try await connection.query(PostgresQuery(shared: Statements.lotStamps, batch.id), logger: logger)
                .decodeAll(Int64.self)
            let outcome = try await revoke(connection, stampIDs: ids, reason: reason, description: (recall ? "recall of lot " : "lot ") + lot)
            if recall { try await connection.query(PostgresQuery(shared: Statements.recallBatch, reason, batch.id), logger: logger) }
            return outcome
        }
    }

    private func revoke(_ connection: PostgresConnection, stampIDs: [Int64], reason: String, description: String) async throws
        -> RevocationOutcome {
        let now = Timestamp.now()
        let jobID = try await PostgresJobLog.start(connection, JobStart(kind: "revoke", startedAt: now), logger: logger)
        let revoked = try await connection.query("""
            INSERT INTO revocations (stamp_id, reason, revoked_at, job_id)
            SELECT id, \(reason), \(now), \(jobID) FROM unnest(\(stampIDs)::bigint[]) AS u(id)
            ON CONFLICT (stamp_id) DO NOTHING RETURNING stamp_id
            """, logger: logger).collect().count
        let outcome = RevocationOutcome(revoked: revoked, alreadyRevoked: stampIDs.count - revoked)
        try await PostgresJobLog.finish(connection, id: jobID, outcome: .succeeded, counts: outcome.jobCounts,
                                        message: "\(description): \(reason)", logger: logger)
        return outcome
    }

    public func scanListings(lot: String?) async throws -> [ScanListing] {
        try await rows("list the scans", """
            SELECT s.serial, p.code AS product, b.lot, COUNT(*) AS scans, MIN(c.scanned_at) AS first_at, MAX(c.scanned_at) AS last_at,
                   string_agg(DISTINCT c.location COLLATE "C", chr(31) ORDER BY c.location COLLATE "C") AS locations,
                   string_agg(DISTINCT c.inspector COLLATE "C", chr(31) ORDER BY c.inspector COLLATE "C") AS inspectors,
                   (SELECT activated_at FROM stamp_pins WHERE stamp_id = s.id) AS activated_at
            FROM scans c JOIN stamps s ON s.id = c.stamp_id JOIN stamp_batches b ON b.id = s.batch_id
            JOIN products p ON p.id = b.product_id
            WHERE (\(lot)::text IS NULL OR b.lot = \(lot))
            GROUP BY s.id, s.serial, p.code, b.lot ORDER BY last_at DESC
            """, as: ScanListingRow.self).map(\.listing)
    }

    public func forEachIssuedBatch(where include: @escaping @Sendable (PackBatch) -> Bool,
                                   _ body: @escaping @Sendable (PackBatch, [PackStamp]) throws -> Void) async throws {
        try await transaction("read the issued stamps") { connection in
            // One snapshot for the whole pack: a revocation committed meanwhile is in it whole or not at all.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            let batches = try await connection.query("\(unescaped: PackBatch.selection)", logger: logger).decodeAll(PackBatch.self)
            for batch in batches where include(batch) {
                let stamps = try await connection.query(PostgresQuery(shared: Statements.packStamps, batch.id), logger: logger)
                    .decodeAll(PackStamp.self)
                try body(batch, stamps)
            }
        }
    }

    public func storedProduct(id: Int64) async throws -> StoredProduct? {
        try await rows("read a product", "\(unescaped: StoredProduct.selection) WHERE p.id = \(id)", as: StoredProduct.self).first
    }

    public func storedProduct(gtin: String) async throws -> StoredProduct? {
        try await rows("read a product", "\(unescaped: StoredProduct.selection) WHERE p.gtin = \(gtin)", as: StoredProduct.self).first
    }

    public func resolverProduct(gtin: String) async throws -> ResolverProduct? {
        try await rows("read a product", PostgresQuery(shared: Statements.resolverProduct, gtin), as: ResolverProduct.self).first
    }

    public func registeredLevels(productID: Int64, lot: String?, serial: String?) async throws -> (lot: Bool, serial: Bool) {
        let levels = try await rows("look up a lot and a serial", """
            SELECT \(lot)::text IS NOT NULL AND EXISTS (SELECT 1 FROM stamp_batches WHERE product_id = \(productID) AND lot = \(lot)
                                                  AND status = 'issued') AS lot,
                   \(serial)::text IS NOT NULL AND EXISTS (SELECT 1 FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id
                                                     WHERE s.serial = \(serial) AND b.product_id = \(productID)) AS serial
            """, as: RegisteredLevels.self)
        return (levels.first?.lot ?? false, levels.first?.serial ?? false)
    }

    private struct RegisteredLevels: Decodable {
        var lot: Bool
        var serial: Bool
    }
}
