import Foundation
import PostgresNIO

/// Text is ordered `COLLATE "C"` (by code point, as SQLite orders it), so that both engines list
/// the same registry in the same order and write the same documents.
extension PostgresStore {
    // MARK: Products

    public func products(pageSize: Int) -> PagedSequence<StoredProduct, Int64> {
        PagedSequence(pageSize: pageSize, key: \.id) { after, limit in
            var query = PostgresQuery(unsafeSQL: StoredProduct.selection)
            query.sql += " WHERE p.id > $1 ORDER BY p.id LIMIT $2"
            query.binds.append(after ?? 0)
            query.binds.append(Int64(limit))
            return try await self.rows("list the products", query, as: StoredProduct.self)
        }
    }

    public func sharedProductCodes() async throws -> Set<String> {
        Set(try await rows("find the product codes several producers use",
                           PostgresQuery(shared: Statements.sharedProductCodes), as: String.self))
    }

    public func unrevokedStampCounts() async throws -> [Int64: Int] {
        struct Count: Decodable {
            var product_id: Int64
            var count: Int
        }
        let counts = try await rows("count the unrevoked stamps", PostgresQuery(shared: Statements.unrevokedStampCounts), as: Count.self)
        return Dictionary(counts.map { ($0.product_id, $0.count) }, uniquingKeysWith: +)
    }

    public func registryCounts() async throws -> RegistryCounts {
        let counts = try await rows("count what the registry holds", """
            SELECT (SELECT COUNT(*) FROM producers) AS producers, (SELECT COUNT(*) FROM products) AS products,
                   (SELECT COUNT(*) FROM stamp_orders) AS stamp_orders,
                   (SELECT COUNT(*) FROM stamp_orders WHERE status <> 'issued') AS pending_stamp_orders,
                   (SELECT COUNT(*) FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id WHERE b.status = 'issued') AS issued_stamps,
                   (SELECT COUNT(*) FROM production_stages) AS production_stages
            """, as: RegistryCounts.self)
        guard let first = counts.first else {
            throw RegistryError.failed(operation: "count what the registry holds", reason: "no row")
        }
        return first
    }

    // MARK: Stamp events

    public func issuedBatches(lot: String?, label: String?) async throws -> [IssuedBatch] {
        try await rows("list the issued batches", """
            \(unescaped: IssuedBatch.selection)
            WHERE b.status = 'issued' AND (\(lot)::text IS NULL OR b.lot = \(lot) OR b.lot_label = \(label))
            ORDER BY COALESCE(b.completed_at, b.created_at) COLLATE "C", b.id
            """, as: IssuedBatch.self)
    }

    public func serials(ofBatch batchID: Int64, pageSize: Int) -> PagedSequence<StampSerial, Int64> {
        PagedSequence(pageSize: pageSize, key: \.sequence) { after, limit in
            try await self.serials("list a batch's stamps", PostgresQuery(shared: Statements.batchSerials, batchID, after ?? 0, Int64(limit)),
                                   capacity: limit)
        }
    }

    public func revocations(ofBatch batchID: Int64, since: String?) async throws -> [RevocationEvent] {
        try await rows("list a batch's revocations", """
            SELECT s.batch_id, r.revoked_at, r.job_id, r.reason, MIN(s.sequence) AS first_sequence, MAX(s.sequence) AS last_sequence
            FROM stamps s JOIN revocations r ON r.stamp_id = s.id
            WHERE s.batch_id = \(batchID) AND (\(since)::text IS NULL OR r.revoked_at >= \(since))
            GROUP BY s.batch_id, r.revoked_at, r.job_id, r.reason
            ORDER BY r.revoked_at COLLATE "C", r.job_id NULLS FIRST, r.reason COLLATE "C"
            """, as: RevocationEvent.self)
    }

    public func serials(of revocation: RevocationEvent, pageSize: Int) -> PagedSequence<StampSerial, Int64> {
        PagedSequence(pageSize: pageSize, key: \.sequence) { after, limit in
            // Between the revocation's first and last stamp only: the batch's other stamps are not read.
            try await self.serials("list a revocation's stamps", """
                SELECT s.sequence, s.serial FROM stamps s JOIN revocations r ON r.stamp_id = s.id
                WHERE s.batch_id = \(revocation.batchID) AND s.sequence > \(max(after ?? 0, revocation.firstSequence - 1))
                  AND s.sequence <= \(revocation.lastSequence) AND r.revoked_at = \(revocation.revokedAt)
                  AND r.job_id IS NOT DISTINCT FROM \(revocation.jobID) AND r.reason = \(revocation.reason)
                ORDER BY s.sequence LIMIT \(Int64(limit))
                """, capacity: limit)
        }
    }

    /// A page of serials, decoded by position (a million stamps go through here).
    private func serials(_ operation: String, _ query: PostgresQuery, capacity: Int) async throws -> [StampSerial] {
        do {
            var page: [StampSerial] = []
            page.reserveCapacity(capacity)
            for try await (sequence, serial) in try await client.query(query, logger: logger).decode((Int64, String).self) {
                page.append(StampSerial(sequence: sequence, serial: serial))
            }
            return page
        } catch let error as PSQLError {
            throw RegistryError.failed(operation: operation, reason: PostgresStore.describe(error))
        }
    }

    // MARK: Category trees

    public func importedCategoryTree(_ platform: Marketplace) async throws -> StoredCategoryTree? {
        struct Node: Decodable {
            var id: String
            var parent_id: String?
            var name: String
            var is_leaf: Int?
        }
        let trees = try await rows("read an imported category tree", PostgresQuery(shared: Statements.categoryTree, platform.rawValue),
                                   as: ImportedCategoryTree.self)
        guard let imported = trees.first else { return nil }
        let nodes = try await rows("read an imported category tree", PostgresQuery(shared: Statements.categoryNodes, platform.rawValue),
                                   as: Node.self)
        return StoredCategoryTree(imported: imported, entries: nodes.map {
            CategoryEntry(id: $0.id, parentID: $0.parent_id, name: $0.name, isLeaf: $0.is_leaf.map { $0 == 1 })
        })
    }

    /// Nodes go in as multi-row inserts (a tree has a few thousand), not one round trip each.
    public func replaceCategoryTree(_ imported: ImportedCategoryTree, entries: [CategoryEntry]) async throws {
        try await transaction("import a category tree") { connection in
            try await connection.query(PostgresQuery(shared: Statements.deleteCategoryNodes, imported.platform), logger: logger)
            try await connection.query(PostgresQuery(shared: Statements.deleteCategoryTree, imported.platform), logger: logger)
            try await connection.query(PostgresQuery(shared: Statements.addCategoryTree, imported.platform, imported.file, imported.format,
                                                     imported.importedAt, imported.nodes), logger: logger)
            let rowsPerStatement = 1_000
            for start in stride(from: 0, to: entries.count, by: rowsPerStatement) {
                let chunk = entries[start..<min(start + rowsPerStatement, entries.count)]
                var binds = PostgresBindings(capacity: chunk.count * 6)
                var values: [String] = []
                values.reserveCapacity(chunk.count)
                for (offset, entry) in zip(chunk.indices, chunk) {
                    let first = values.count * 6
                    values.append("($\(first + 1), $\(first + 2), $\(first + 3), $\(first + 4), $\(first + 5), $\(first + 6))")
                    binds.append(imported.platform)
                    binds.append(Int64(offset))
                    binds.append(entry.id)
                    binds.append(entry.parentID)
                    binds.append(entry.name)
                    binds.append(entry.isLeaf.map { Int64($0 ? 1 : 0) })
                }
                try await connection.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO category_nodes (platform, position, id, parent_id, name, is_leaf) VALUES \(values.joined(separator: ", "))
                    """, binds: binds), logger: logger)
            }
        }
    }
}
