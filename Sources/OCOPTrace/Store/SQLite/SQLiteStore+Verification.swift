import Foundation
import GRDB

extension SQLiteStore {
    public func stamps(serials: [Serial]) async throws -> [StoredStamp?] {
        try await read { db in
            let lookup = try db.cachedStatement(sql: StoredStampRow.selection + " WHERE s.serial = ?")
            return try serials.map { serial in
                guard let row = try StoredStampRow.fetchOne(lookup, arguments: [serial.text]) else { return nil }
                return row.stored(scans: try SQLiteStore.history(db, stampID: row.id))
            }
        }
    }

    public func stamp(serial: Serial) async throws -> StoredStamp? {
        // Two statements, no transaction: the page needs its history consistent (one statement),
        // not a snapshot shared with the record, and BEGIN/COMMIT would cost as much as the reads.
        try await readStatements { db in
            guard let row = try StoredStampRow.fetchOne(db.cachedStatement(sql: StoredStampRow.selection + " WHERE s.serial = ?"),
                                                        arguments: [serial.text]) else { return nil }
            return row.stored(scans: try SQLiteStore.history(db, stampID: row.id))
        }
    }

    public func recordScans(_ scans: [InspectorScan]) async throws {
        try await write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO scans (stamp_id, scanned_at, inspector, location, status) VALUES (?, ?, ?, ?, ?)
                """)
            for scan in scans {
                try insert.execute(arguments: [scan.stampID, scan.scannedAt, scan.inspector, scan.location, scan.status.rawValue])
            }
        }
    }

    /// A stamp's scans in one statement, from the `scans_for_report` index alone (it holds the
    /// stamp, place and time of every scan).
    static let historyStatement = """
        SELECT COUNT(*) AS count, MIN(scanned_at) AS first, MAX(scanned_at) AS last,
               (SELECT GROUP_CONCAT(location, char(31)) FROM (SELECT DISTINCT location FROM scans
                WHERE stamp_id = ?1 AND location IS NOT NULL ORDER BY location)) AS locations
        FROM scans WHERE stamp_id = ?1
        """

    static func history(_ db: Database, stampID: Int64) throws -> ScanHistory {
        let row = try ScanHistoryRow.fetchOne(db.cachedStatement(sql: historyStatement), arguments: [stampID])
        return row?.scans ?? ScanHistory(count: 0, firstAt: nil, lastAt: nil, locations: [])
    }

    public func recordWebScans(_ scans: [WebScan]) async throws {
        try await write { db in try SQLiteStore.insertWebScans(db, scans) }
    }

    static func insertWebScans(_ db: Database, _ scans: [WebScan]) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO scans (stamp_id, scanned_at, status, channel, client_network) VALUES (?, ?, ?, 'web', ?)
            """)
        for scan in scans {
            try insert.execute(arguments: [scan.stampID, scan.scannedAt, scan.status.rawValue, scan.network])
        }
    }

    public func webScanJournal() async throws -> (any WebScanJournal)? {
        guard !database.pool.configuration.readonly else { return nil }
        return try SQLiteScanJournal(registryPath: path, pool: database.pool)
    }

    public func ping() async throws {
        _ = try await read { db in try Int.fetchOne(db, sql: Statements.ping) }
    }

    public func webScanCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: Statements.webScanCount) ?? 0 }
    }

    public func registrySecret(named name: String, candidate: String) async throws -> String {
        try await write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO registry_secrets (name, value, created_at) VALUES (?, ?, ?)",
                           arguments: [name, candidate, Timestamp.now()])
            return try String.fetchOne(db, sql: Statements.registrySecret, arguments: [name]) ?? candidate
        }
    }

    public func revokeStamps(serials: [Serial], reason: String) async throws -> StampRevocation {
        try await write { db in
            var stampIDs: [Int64] = []
            var unknown: [Serial] = []
            let lookup = try db.cachedStatement(sql: "SELECT id FROM stamps WHERE serial = ?")
            for serial in serials {
                if let id = try Int64.fetchOne(lookup, arguments: [serial.text]) { stampIDs.append(id) } else { unknown.append(serial) }
            }
            guard unknown.isEmpty else { return .unknownSerials(unknown) }
            return .revoked(try SQLiteStore.revoke(db, stampIDs: stampIDs, reason: reason, description: "\(stampIDs.count) stamps"))
        }
    }

    public func revokeLot(_ lot: String, reason: String, recall: Bool,
                          choosing choose: @escaping @Sendable ([StampBatch]) throws -> StampBatch) async throws -> RevocationOutcome {
        try await write { db in
            let batch = try choose(StampBatch.fetchAll(db, sql: Statements.batchesOfLot, arguments: [lot]))
            let ids = try Int64.fetchAll(db, sql: Statements.lotStamps, arguments: [batch.id])
            let outcome = try SQLiteStore.revoke(db, stampIDs: ids, reason: reason, description: (recall ? "recall of lot " : "lot ") + lot)
            if recall { try db.execute(sql: Statements.recallBatch, arguments: [reason, batch.id]) }
            return outcome
        }
    }

    private static func revoke(_ db: Database, stampIDs: [Int64], reason: String, description: String) throws -> RevocationOutcome {
        let now = Timestamp.now()
        let jobID = try JobLog.start(db, JobStart(kind: "revoke", startedAt: now))
        var revoked = 0
        let statement = try db.makeStatement(sql: "INSERT OR IGNORE INTO revocations (stamp_id, reason, revoked_at, job_id) VALUES (?, ?, ?, ?)")
        for id in stampIDs {
            try statement.execute(arguments: [id, reason, now, jobID])
            revoked += db.changesCount
        }
        let outcome = RevocationOutcome(revoked: revoked, alreadyRevoked: stampIDs.count - revoked)
        try JobLog.finish(db, id: jobID, outcome: .succeeded, counts: outcome.jobCounts, message: "\(description): \(reason)")
        return outcome
    }

    public func scanListings(lot: String?) async throws -> [ScanListing] {
        try await read { db in
            try ScanListingRow.fetchAll(db, sql: """
                SELECT s.serial, p.code AS product, b.lot, COUNT(*) AS scans, MIN(c.scanned_at) AS first_at, MAX(c.scanned_at) AS last_at,
                       (SELECT GROUP_CONCAT(location, char(31)) FROM (SELECT DISTINCT location FROM scans
                        WHERE stamp_id = s.id AND location IS NOT NULL ORDER BY location)) AS locations,
                       (SELECT GROUP_CONCAT(inspector, char(31)) FROM (SELECT DISTINCT inspector FROM scans
                        WHERE stamp_id = s.id AND inspector IS NOT NULL ORDER BY inspector)) AS inspectors,
                       (SELECT activated_at FROM stamp_pins WHERE stamp_id = s.id) AS activated_at
                FROM scans c JOIN stamps s ON s.id = c.stamp_id JOIN stamp_batches b ON b.id = s.batch_id
                JOIN products p ON p.id = b.product_id
                WHERE (?1 IS NULL OR b.lot = ?1)
                GROUP BY s.id ORDER BY last_at DESC
                """, arguments: [lot]).map(\.listing)
        }
    }

    public func forEachIssuedBatch(where include: @escaping @Sendable (PackBatch) -> Bool,
                                   _ body: @escaping @Sendable (PackBatch, [PackStamp]) throws -> Void) async throws {
        try await read { db in
            let batches = try PackBatch.fetchAll(db, sql: PackBatch.selection)
            let stamps = try db.makeStatement(sql: Statements.packStamps)
            for batch in batches where include(batch) {
                try body(batch, try PackStamp.fetchAll(stamps, arguments: [batch.id]))
            }
        }
    }

    public func storedProduct(id: Int64) async throws -> StoredProduct? {
        try await read { db in try StoredProduct.fetchOne(db, productRowID: id) }
    }

    public func storedProduct(gtin: String) async throws -> StoredProduct? {
        try await read { db in try StoredProduct.fetchOne(db, gtin: gtin) }
    }

    public func resolverProduct(gtin: String) async throws -> ResolverProduct? {
        try await read { db in try ResolverProduct.fetchOne(db.cachedStatement(sql: Statements.resolverProduct), arguments: [gtin]) }
    }

    public func registeredLevels(productID: Int64, lot: String?, serial: String?) async throws -> (lot: Bool, serial: Bool) {
        try await read { db in
            var levels = (lot: false, serial: false)
            if let lot {
                levels.lot = try Bool.fetchOne(db.cachedStatement(sql: """
                    SELECT EXISTS (SELECT 1 FROM stamp_batches WHERE product_id = ? AND lot = ? AND status = 'issued')
                    """), arguments: [productID, lot]) ?? false
            }
            if let serial {
                levels.serial = try Bool.fetchOne(db.cachedStatement(sql: """
                    SELECT EXISTS (SELECT 1 FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id WHERE s.serial = ? AND b.product_id = ?)
                    """), arguments: [serial, productID]) ?? false
            }
            return levels
        }
    }
}
