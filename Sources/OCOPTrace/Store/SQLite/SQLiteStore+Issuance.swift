import Foundation
import GRDB

/// Issuing on SQLite. Every write runs in GRDB's one writer, so a batch's stamps are counted and
/// appended with no other process between: the single writer is the lock PostgreSQL takes explicitly.
extension SQLiteStore {
    // MARK: Products and orders

    public func issuableProducts(code: String) async throws -> [IssuableProduct] {
        try await read { db in
            try IssuableProduct.fetchAll(db, sql: IssuableProduct.selection + " WHERE p.code = ? ORDER BY p.id", arguments: [code])
        }
    }

    public func issuableProduct(id: Int64) async throws -> IssuableProduct? {
        try await read { db in try IssuableProduct.fetchOne(db, sql: IssuableProduct.selection + " WHERE p.id = ?", arguments: [id]) }
    }

    public func stampOrder(id: Int64) async throws -> StampOrderToIssue? {
        try await read { db in
            try StampOrderToIssue.fetchOne(db, sql: Statements.stampOrder, arguments: [id])
        }
    }

    // MARK: Batches

    public func batch(productID: Int64, lot: String) async throws -> StampBatch? {
        try await read { db in
            try StampBatch.fetchOne(db, sql: Statements.batchByLot, arguments: [productID, lot])
        }
    }

    public func createBatch(_ batch: NewStampBatch) async throws -> BatchCreation {
        try await write { db in
            if let existing = try Row.fetchOne(db, sql: Statements.batchSize,
                                               arguments: [batch.productID, batch.lot]) {
                return .existing(id: existing["id"], quantity: existing["quantity"])
            }
            try db.execute(sql: """
                INSERT INTO stamp_batches (product_id, order_id, lot, lot_label, quantity, produced_on, expires_on, resolver, key_id,
                                           status, folder, created_at, scratch_pin)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'issuing', ?, ?, ?)
                """, arguments: [batch.productID, batch.orderID, batch.lot, batch.lotLabel, batch.quantity, batch.producedOn,
                                 batch.expiresOn, batch.resolver, batch.keyID, batch.folder, batch.createdAt, batch.scratchPIN ? 1 : 0])
            let id = db.lastInsertedRowID
            if let orderID = batch.orderID {
                try db.execute(sql: Statements.orderIssuing, arguments: [orderID])
            }
            return .created(id: id)
        }
    }

    public func batch(id: Int64) async throws -> StampBatch? {
        try await read { db in try StampBatch.fetchOne(db, sql: Statements.batchByID, arguments: [id]) }
    }

    public func batches(lot: String) async throws -> [StampBatch] {
        try await read { db in try StampBatch.fetchAll(db, sql: Statements.batchesOfLot, arguments: [lot]) }
    }

    public func stampCount(batchID: Int64) async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: Statements.stampCount, arguments: [batchID]) ?? 0 }
    }

    public func appendStamps(_ stamps: [DrawnStamp], toBatch batchID: Int64) async throws -> StampAppend {
        try await write { db in
            guard let quantity = try Int.fetchOne(db, sql: "SELECT quantity FROM stamp_batches WHERE id = ?", arguments: [batchID]) else {
                throw RegistryError.failed(operation: "store stamps of batch #\(batchID)", reason: "there is no such batch")
            }
            // A batch's sequences run 1...n without holes (a serial already taken uses none), so the
            // last one is the count: one index probe, where COUNT(*) would walk the whole batch on
            // every chunk.
            let count = try Int.fetchOne(db, sql: Statements.storedCount, arguments: [batchID]) ?? 0
            var sequence = count
            let statement = try db.cachedStatement(sql: Statements.appendStamp)
            var inserted = 0
            for stamp in stamps.prefix(max(0, quantity - count)) {
                sequence += 1
                try statement.execute(arguments: [batchID, sequence, stamp.serial.text, stamp.signature?.text, stamp.pinHash])
                if db.changesCount == 1 {
                    inserted += 1
                } else {
                    sequence -= 1  // a serial already taken: drawn again next round
                }
            }
            return StampAppend(inserted: inserted, stored: count + inserted)
        }
    }

    public func completeBatch(id: Int64, orderID: Int64?, job: JobStart, counts: JobCounts, message: String?) async throws {
        try await write { db in
            try db.execute(sql: Statements.batchIssued, arguments: [Timestamp.now(), id])
            if let orderID {
                try db.execute(sql: Statements.orderIssued, arguments: [orderID])
            }
            try JobLog.record(db, job, outcome: .succeeded, counts: counts, message: message)
        }
    }

    public func stamps(batchID: Int64, sequences: ClosedRange<Int>) async throws -> [IssuedStamp] {
        try await read { db in
            // Read by hand, not decoded: rendering reads every stamp of every batch this way.
            try Row.fetchAll(db, sql: Statements.stampsInSequence,
                             arguments: [batchID, sequences.lowerBound, sequences.upperBound]).map { row in
                IssuedStamp(sequence: row["sequence"], serial: Serial(unchecked: row["serial"]),
                            signature: (row["signature"] as String?).flatMap(EmbeddedSignature.init(text:)))
            }
        }
    }

    public func recognition(productID: Int64) async throws -> OCOPRecognition? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: Statements.recognition,
                                             arguments: [productID]) else { return nil }
            return OCOPRecognition(storedStars: row["ocop_stars"], decision: row["ocop_decision"], recognizedOn: row["ocop_recognized_on"])
        }
    }

    // MARK: Signing keys

    public func addSigningKey(_ key: SigningKeyRecord) async throws {
        try await write { db in
            try db.execute(sql: Statements.addSigningKey,
                           arguments: [key.keyID, key.publicKey, key.createdAt, key.retiredAt])
        }
    }

    public func signingKeys() async throws -> [SigningKeyRecord] {
        try await read { db in try SigningKeyRecord.fetchAll(db, sql: "SELECT * FROM signing_keys ORDER BY created_at DESC, rowid DESC") }
    }

    public func retireSigningKey(_ keyID: String, at time: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE signing_keys SET retired_at = COALESCE(retired_at, ?) WHERE key_id = ?", arguments: [time, keyID])
            return db.changesCount == 1
        }
    }
}
