import Foundation
import PostgresNIO

/// Issuing on PostgreSQL, where several machines may issue into one registry at once: a batch is
/// created with `ON CONFLICT (product_id, lot)`, so never twice, and stamps are appended under a
/// lock on the batch's row, counted first, so two processes completing one batch never overfill
/// it. Stamps go in a chunk per statement (arrays unnested), not one round trip each.
extension PostgresStore {
    // MARK: Products and orders

    public func issuableProducts(code: String) async throws -> [IssuableProduct] {
        try await rows("find the products with code \(code)", "\(unescaped: IssuableProduct.selection) WHERE p.code = \(code) ORDER BY p.id",
                       as: IssuableProduct.self)
    }

    public func issuableProduct(id: Int64) async throws -> IssuableProduct? {
        try await rows("read product #\(id)", "\(unescaped: IssuableProduct.selection) WHERE p.id = \(id)", as: IssuableProduct.self)
            .first
    }

    public func stampOrder(id: Int64) async throws -> StampOrderToIssue? {
        try await rows("read stamp order #\(id)", PostgresQuery(shared: Statements.stampOrder, id), as: StampOrderToIssue.self).first
    }

    // MARK: Batches

    public func batch(productID: Int64, lot: String) async throws -> StampBatch? {
        try await rows("read the batch of lot \(lot)", PostgresQuery(shared: Statements.batchByLot, productID, lot),
                       as: StampBatch.self).first
    }

    public func createBatch(_ batch: NewStampBatch) async throws -> BatchCreation {
        try await transaction("create the batch of lot \(batch.lot)") { connection in
            let created = try await connection.query("""
                INSERT INTO stamp_batches (product_id, order_id, lot, lot_label, quantity, produced_on, expires_on, resolver, key_id,
                                           status, folder, created_at, scratch_pin)
                VALUES (\(batch.productID), \(batch.orderID), \(batch.lot), \(batch.lotLabel), \(batch.quantity), \(batch.producedOn),
                        \(batch.expiresOn), \(batch.resolver), \(batch.keyID), 'issuing', \(batch.folder), \(batch.createdAt),
                        \(batch.scratchPIN ? 1 : 0))
                ON CONFLICT (product_id, lot) DO NOTHING RETURNING id
                """, logger: logger).decodeAll(Int64.self)
            guard let id = created.first else {
                // Another run created it first (and has committed: the insert waited for it).
                let existing = try await connection.query(PostgresQuery(shared: Statements.batchSize, batch.productID, batch.lot), logger: logger).decodeAll(BatchSize.self)
                guard let existing = existing.first else {
                    throw RegistryError.failed(operation: "create the batch of lot \(batch.lot)", reason: "it neither was created nor exists")
                }
                return .existing(id: existing.id, quantity: existing.quantity)
            }
            if let orderID = batch.orderID {
                try await connection.query(PostgresQuery(shared: Statements.orderIssuing, orderID), logger: logger)
            }
            return .created(id: id)
        }
    }

    public func batch(id: Int64) async throws -> StampBatch? {
        try await rows("read batch #\(id)", PostgresQuery(shared: Statements.batchByID, id), as: StampBatch.self).first
    }

    public func batches(lot: String) async throws -> [StampBatch] {
        try await rows("read the batches of lot \(lot)", PostgresQuery(shared: Statements.batchesOfLot, lot), as: StampBatch.self)
    }

    public func stampCount(batchID: Int64) async throws -> Int {
        try await rows("count the stamps of batch #\(batchID)", PostgresQuery(shared: Statements.stampCount, batchID), as: Int.self)
            .first ?? 0
    }

    public func appendStamps(_ stamps: [DrawnStamp], toBatch batchID: Int64) async throws -> StampAppend {
        do {
            return try await transaction("store stamps of batch #\(batchID)") { connection in
                // The batch's row is held until this transaction ends: another process appending to
                // the same batch waits here, then counts what this one stored.
                guard let quantity = try await connection.query("SELECT quantity FROM stamp_batches WHERE id = \(batchID) FOR UPDATE",
                                                                logger: logger).decodeAll(Int.self).first else {
                    throw RegistryError.failed(operation: "store stamps of batch #\(batchID)", reason: "there is no such batch")
                }
                // Sequences run 1...n without holes: the last is the count (one index probe, not a walk
                // over the batch on every chunk).
                let stored = try await connection.query(PostgresQuery(shared: Statements.storedCount, batchID), logger: logger).decodeAll(Int.self)[0]
                let taken = stamps.prefix(max(0, quantity - stored))
                guard !taken.isEmpty else { return StampAppend(inserted: 0, stored: stored) }
                let sequences = taken.indices.map { Int64(stored + 1 + $0 - taken.startIndex) }
                let serials = taken.map(\.serial.text)
                // Arrays of optionals do not bind; an empty text stands for no signature.
                let signatures = taken.map { $0.signature?.text ?? "" }
                let pinHashes = taken.map { $0.pinHash ?? "" }
                let inserted = try await connection.query("""
                    WITH added AS (
                        INSERT INTO stamps (batch_id, sequence, serial, signature, pin_hash)
                        SELECT \(batchID), drawn.sequence, drawn.serial, NULLIF(drawn.signature, ''), NULLIF(drawn.pin_hash, '')
                        FROM UNNEST(\(sequences)::bigint[], \(serials)::text[], \(signatures)::text[], \(pinHashes)::text[])
                            AS drawn(sequence, serial, signature, pin_hash)
                        ON CONFLICT DO NOTHING RETURNING 1)
                    SELECT COUNT(*) FROM added
                    """, logger: logger).decodeAll(Int.self).first ?? 0
                // A serial some other stamp has would leave a hole in the sequence numbers: take
                // nothing from this chunk, and let the issuer draw again.
                guard inserted == taken.count else { throw SerialTaken() }
                return StampAppend(inserted: inserted, stored: stored + inserted)
            }
        } catch is SerialTaken {
            return StampAppend(inserted: 0, stored: try await stampCount(batchID: batchID))
        }
    }

    public func completeBatch(id: Int64, orderID: Int64?, job: JobStart, counts: JobCounts, message: String?) async throws {
        try await transaction("mark batch #\(id) issued") { connection in
            try await connection.query(PostgresQuery(shared: Statements.batchIssued, Timestamp.now(), id), logger: logger)
            if let orderID {
                try await connection.query(PostgresQuery(shared: Statements.orderIssued, orderID), logger: logger)
            }
            let jobID = try await PostgresJobLog.start(connection, job, logger: logger)
            try await PostgresJobLog.finish(connection, id: jobID, outcome: .succeeded, counts: counts, message: message, logger: logger)
        }
    }

    public func stamps(batchID: Int64, sequences: ClosedRange<Int>) async throws -> [IssuedStamp] {
        try await rows("read the stamps of batch #\(batchID)",
                       PostgresQuery(shared: Statements.stampsInSequence, batchID, sequences.lowerBound, sequences.upperBound),
                       as: IssuedStamp.self)
    }

    public func recognition(productID: Int64) async throws -> OCOPRecognition? {
        try await rows("read the OCOP recognition of product #\(productID)", PostgresQuery(shared: Statements.recognition, productID),
                       as: StoredRecognition.self).first.flatMap {
            OCOPRecognition(storedStars: $0.stars, decision: $0.decision, recognizedOn: $0.recognizedOn)
        }
    }

    // MARK: Signing keys

    public func addSigningKey(_ key: SigningKeyRecord) async throws {
        try await transaction("record signing key \(key.keyID)") { connection in
            _ = try await connection.query(PostgresQuery(shared: Statements.addSigningKey, key.keyID, key.publicKey, key.createdAt, key.retiredAt),
                                           logger: logger)
        }
    }

    public func signingKeys() async throws -> [SigningKeyRecord] {
        // No insertion order here (SQLite breaks ties by rowid): keys made in the same millisecond
        // are ordered by id.
        try await rows("list the signing keys", "SELECT * FROM signing_keys ORDER BY created_at DESC, key_id DESC", as: SigningKeyRecord.self)
    }

    public func retireSigningKey(_ keyID: String, at time: String) async throws -> Bool {
        try await transaction("retire signing key \(keyID)") { connection in
            try await connection.query("""
                UPDATE signing_keys SET retired_at = COALESCE(retired_at, \(time)) WHERE key_id = \(keyID) RETURNING key_id
                """, logger: logger).decodeAll(String.self).count == 1
        }
    }
}

/// A batch's id and size.
private struct BatchSize: Decodable {
    var id: Int64
    var quantity: Int
}

/// The product's OCOP columns, for ``OCOPRecognition/init(storedStars:decision:recognizedOn:)``.
private struct StoredRecognition: Decodable {
    var stars: Int?
    var decision: String?
    var recognizedOn: String?

    enum CodingKeys: String, CodingKey {
        case stars = "ocop_stars", decision = "ocop_decision", recognizedOn = "ocop_recognized_on"
    }
}

/// A drawn serial was taken meanwhile: the chunk is rolled back and drawn again.
private struct SerialTaken: Error {}
