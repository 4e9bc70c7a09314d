import Foundation
import GRDB

extension StoredProduct {
    /// One product by its row id, for the verification page.
    static func fetchOne(_ db: Database, productRowID: Int64) throws -> StoredProduct? {
        try StoredProduct.fetchOne(db.cachedStatement(sql: selection + " WHERE p.id = ?"), arguments: [productRowID])
    }

    /// One product by its GTIN-14, for the product information page.
    static func fetchOne(_ db: Database, gtin: String) throws -> StoredProduct? {
        try StoredProduct.fetchOne(db.cachedStatement(sql: selection + " WHERE p.gtin = ?"), arguments: [gtin])
    }
}

extension SQLiteStore {
    // MARK: Products

    public func products(pageSize: Int) -> PagedSequence<StoredProduct, Int64> {
        PagedSequence(pageSize: pageSize, key: \.id) { after, limit in
            try await self.read { db in
                try StoredProduct.fetchAll(db.cachedStatement(sql: StoredProduct.selection + " WHERE p.id > ? ORDER BY p.id LIMIT ?"),
                                           arguments: [after ?? 0, limit])
            }
        }
    }

    public func sharedProductCodes() async throws -> Set<String> {
        try await read { db in Set(try String.fetchAll(db, sql: Statements.sharedProductCodes)) }
    }

    public func unrevokedStampCounts() async throws -> [Int64: Int] {
        try await read { db in
            var counts: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: Statements.unrevokedStampCounts) {
                counts[row["product_id"]] = row["count"]
            }
            return counts
        }
    }

    public func registryCounts() async throws -> RegistryCounts {
        try await read { db in
            RegistryCounts(
                producers: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM producers") ?? 0,
                products: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM products") ?? 0,
                stampOrders: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stamp_orders") ?? 0,
                pendingStampOrders: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stamp_orders WHERE status <> 'issued'") ?? 0,
                issuedStamps: try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id WHERE b.status = 'issued'
                    """) ?? 0,
                productionStages: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM production_stages") ?? 0)
        }
    }

    // MARK: Stamp events

    public func issuedBatches(lot: String?, label: String?) async throws -> [IssuedBatch] {
        try await read { db in
            try IssuedBatch.fetchAll(db, sql: IssuedBatch.selection + """

                WHERE b.status = 'issued' AND (?1 IS NULL OR b.lot = ?1 OR b.lot_label = ?2)
                ORDER BY issued_at, b.id
                """, arguments: [lot, label])
        }
    }

    public func serials(ofBatch batchID: Int64, pageSize: Int) -> PagedSequence<StampSerial, Int64> {
        PagedSequence(pageSize: pageSize, key: \.sequence) { after, limit in
            try await self.read { db in
                try Self.serials(db, sql: Statements.batchSerials,
                                 arguments: [batchID, after ?? 0, limit], capacity: limit)
            }
        }
    }

    public func revocations(ofBatch batchID: Int64, since: String?) async throws -> [RevocationEvent] {
        try await read { db in
            try RevocationEvent.fetchAll(db, sql: """
                SELECT s.batch_id, r.revoked_at, r.job_id, r.reason, MIN(s.sequence) AS first_sequence, MAX(s.sequence) AS last_sequence
                FROM stamps s JOIN revocations r ON r.stamp_id = s.id
                WHERE s.batch_id = ?1 AND (?2 IS NULL OR r.revoked_at >= ?2)
                GROUP BY s.batch_id, r.revoked_at, r.job_id, r.reason
                ORDER BY r.revoked_at, r.job_id, r.reason
                """, arguments: [batchID, since])
        }
    }

    public func serials(of revocation: RevocationEvent, pageSize: Int) -> PagedSequence<StampSerial, Int64> {
        PagedSequence(pageSize: pageSize, key: \.sequence) { after, limit in
            try await self.read { db in
                // Between the revocation's first and last stamp only: the batch's other stamps are not read.
                try Self.serials(db, sql: """
                    SELECT s.sequence, s.serial FROM stamps s JOIN revocations r ON r.stamp_id = s.id
                    WHERE s.batch_id = ? AND s.sequence > ? AND s.sequence <= ? AND r.revoked_at = ? AND r.job_id IS ? AND r.reason = ?
                    ORDER BY s.sequence LIMIT ?
                    """, arguments: [revocation.batchID, max(after ?? 0, revocation.firstSequence - 1), revocation.lastSequence,
                                     revocation.revokedAt, revocation.jobID, revocation.reason, limit], capacity: limit)
            }
        }
    }

    /// A page of serials, read by column index (a million stamps go through here).
    private static func serials(_ db: Database, sql: String, arguments: StatementArguments, capacity: Int) throws -> [StampSerial] {
        var page: [StampSerial] = []
        page.reserveCapacity(capacity)
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() {
            page.append(StampSerial(sequence: row[0], serial: row[1]))
        }
        return page
    }

    // MARK: Category trees

    public func importedCategoryTree(_ platform: Marketplace) async throws -> StoredCategoryTree? {
        try await read { db in
            // A registry made before trees could be imported (read-only: never migrated here) has none.
            guard try db.tableExists("category_trees"),
                  let imported = try ImportedCategoryTree.fetchOne(
                      db, sql: Statements.categoryTree,
                      arguments: [platform.rawValue])
            else { return nil }
            let entries = try Row.fetchAll(db, sql: Statements.categoryNodes,
                                           arguments: [platform.rawValue]).map { node in
                CategoryEntry(id: node["id"], parentID: node["parent_id"], name: node["name"], isLeaf: (node["is_leaf"] as Int?).map { $0 == 1 })
            }
            return StoredCategoryTree(imported: imported, entries: entries)
        }
    }

    public func replaceCategoryTree(_ imported: ImportedCategoryTree, entries: [CategoryEntry]) async throws {
        try await write { db in
            try db.execute(sql: Statements.deleteCategoryNodes, arguments: [imported.platform])
            try db.execute(sql: Statements.deleteCategoryTree, arguments: [imported.platform])
            try db.execute(sql: Statements.addCategoryTree,
                           arguments: [imported.platform, imported.file, imported.format, imported.importedAt, imported.nodes])
            let insert = try db.makeStatement(sql: "INSERT INTO category_nodes (platform, position, id, parent_id, name, is_leaf) VALUES (?, ?, ?, ?, ?, ?)")
            for (position, entry) in entries.enumerated() {
                try insert.execute(arguments: [imported.platform, position, entry.id, entry.parentID, entry.name, entry.isLeaf.map { $0 ? 1 : 0 }])
            }
        }
    }
}

