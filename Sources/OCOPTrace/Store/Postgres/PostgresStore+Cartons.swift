import Foundation
import PostgresNIO

/// Cartons and shipments on PostgreSQL: packing holds the batch's row (two packs of one lot wait
/// for each other), numbers the candidates in a temporary table and fills the cartons with one
/// INSERT … SELECT; the cartons themselves go in one statement (arrays unnested).
extension PostgresStore {
    // MARK: Cartons

    public func packCartons(_ packing: CartonPacking) async throws -> CartonPackOutcome {
        do {
            return try await pack(packing)
        } catch let refused as Refused {
            return .refused(refused.problems)
        }
    }

    private func pack(_ packing: CartonPacking) async throws -> CartonPackOutcome {
        try await transaction("pack the stamps of batch #\(packing.batchID) into cartons") { connection in
            try await connection.query("SELECT id FROM stamp_batches WHERE id = \(packing.batchID) FOR UPDATE", logger: logger)
            // Numbering a million candidates sorts them: in memory, not in files (the default is 4 MB).
            try await connection.query("SET LOCAL work_mem = '256MB'", logger: logger)
            try await connection.query("""
                CREATE TEMP TABLE pack_candidates (position BIGINT NOT NULL, stamp_id BIGINT NOT NULL, sequence BIGINT NOT NULL)
                ON COMMIT DROP
                """, logger: logger)
            if let serials = packing.serials {
                try await connection.query("CREATE TEMP TABLE pack_listed (position BIGINT PRIMARY KEY, serial TEXT NOT NULL) ON COMMIT DROP",
                                           logger: logger)
                let positions = serials.indices.map(Int64.init)
                try await connection.query("""
                    INSERT INTO pack_listed (position, serial)
                    SELECT * FROM UNNEST(\(positions)::bigint[], \(serials)::text[])
                    """, logger: logger)
                let problems = try await connection.query(PostgresQuery(unsafeSQL: Statements.listedStampProblems), logger: logger)
                    .decodeAll(ListedStamp.self).compactMap { row in
                        UnpackableStamp.problem(index: row.position, serial: row.serial, batchID: row.batchID, revoked: row.revoked > 0,
                                                carton: row.carton, expected: packing.batchID)
                    }
                // Nothing of this transaction is kept: the temporary tables go with it.
                guard problems.isEmpty else { throw Refused(problems: problems) }
                try await connection.query(PostgresQuery(unsafeSQL: Statements.packCandidatesListed), logger: logger)
            } else {
                try await connection.query(PostgresQuery(shared: Statements.packCandidatesOfBatch, packing.batchID), logger: logger)
            }
            let groups = try await connection.query(PostgresQuery(shared: Statements.packGroups, Int64(packing.perCarton)), logger: logger)
                .decodeAll(PackGroup.self)
            guard !groups.isEmpty else { return .packed([]) }
            let jobID = try await PostgresJobLog.start(connection, packing.job, logger: logger)
            let next = try await connection.query(PostgresQuery(shared: Statements.takeCartonSerials, packing.companyPrefix ?? "",
                                                                Int64(groups.count)), logger: logger).decodeAll(Int.self)[0]
            let first = next - groups.count
            let keys = try groups.indices.map { try CartonKey(companyPrefix: packing.companyPrefix, number: first + $0).text }
            try await connection.query("""
                INSERT INTO cartons (sscc, batch_id, job_id, ordinal, count, first_sequence, last_sequence, packed_at)
                SELECT g.sscc, \(packing.batchID), \(jobID), g.ordinal, g.count, g.first_sequence, g.last_sequence, \(packing.packedAt)
                FROM UNNEST(\(keys)::text[], \(groups.map(\.ordinal))::bigint[], \(groups.map(\.count))::bigint[],
                            \(groups.map(\.firstSequence))::bigint[], \(groups.map(\.lastSequence))::bigint[])
                     AS g(sscc, ordinal, count, first_sequence, last_sequence)
                """, logger: logger)
            try await connection.query(PostgresQuery(shared: Statements.packMembership, jobID, Int64(packing.perCarton)), logger: logger)
            let stamps = groups.reduce(0) { $0 + Int($1.count) }
            try await PostgresJobLog.finish(connection, id: jobID, outcome: .succeeded, counts: JobCounts(rowsRead: stamps, inserted: groups.count),
                                            message: "\(stamps) stamps into \(groups.count) cartons", logger: logger)
            return .packed(try await connection.query(PostgresQuery(shared: Statements.cartonsOfPack, jobID), logger: logger)
                .decodeAll(StoredCarton.self))
        }
    }

    public func unpackCarton(sscc: String, at time: String, job: JobStart) async throws -> StoredCarton? {
        try await transaction("unpack carton \(sscc)") { connection in
            guard let carton = try await connection.query(PostgresQuery(shared: Statements.cartonByKey + " FOR UPDATE OF c", sscc), logger: logger)
                .decodeAll(StoredCarton.self).first else { return nil }
            guard carton.unpackedAt == nil else { return carton }
            try await connection.query(PostgresQuery(shared: Statements.unpackCarton, time, carton.id), logger: logger)
            try await connection.query(PostgresQuery(shared: Statements.unpackCartonStamps, time, carton.id), logger: logger)
            let jobID = try await PostgresJobLog.start(connection, job, logger: logger)
            try await PostgresJobLog.finish(connection, id: jobID, outcome: .succeeded, counts: JobCounts(updated: carton.count),
                                            message: "carton \(sscc) unpacked", logger: logger)
            return try await connection.query(PostgresQuery(shared: Statements.cartonByKey, sscc), logger: logger)
                .decodeAll(StoredCarton.self).first
        }
    }

    public func carton(sscc: String) async throws -> StoredCarton? {
        try await rows("read carton \(sscc)", PostgresQuery(shared: Statements.cartonByKey, sscc), as: StoredCarton.self).first
    }

    public func cartons(productCode: String?, lot: String?, pageSize: Int) -> PagedSequence<StoredCarton, Int64> {
        PagedSequence(pageSize: pageSize, key: \.id) { after, limit in
            try await self.rows("list the cartons", PostgresQuery(shared: Statements.cartonsPage, after ?? 0, productCode, productCode, lot, lot,
                                                                  Int64(limit)), as: StoredCarton.self)
        }
    }

    public func stamps(ofCarton cartonID: Int64, pageSize: Int) -> PagedSequence<StampSerial, Int64> {
        PagedSequence(pageSize: pageSize, key: \.sequence) { after, limit in
            try await self.rows("list a carton's stamps", PostgresQuery(shared: Statements.cartonStamps, cartonID, after ?? 0, Int64(limit)),
                                as: SerialRow.self).map { StampSerial(sequence: $0.sequence, serial: $0.serial) }
        }
    }

    public func cartonCount() async throws -> Int {
        try await rows("count the cartons", PostgresQuery(shared: Statements.cartonCount), as: Int.self).first ?? 0
    }

    // MARK: Shipments

    public func recordShipments(_ entries: [ShipmentEntry], job: JobStart) async throws -> ShipmentRecording {
        try await transaction("record shipments") { connection in
            var recording = ShipmentRecording()
            let now = Timestamp.now()
            let jobID = try await PostgresJobLog.start(connection, job, logger: logger)
            var parties: [String: Int64] = [:]
            for entry in entries {
                let key = entry.receiver.identityKey
                let partyID: Int64
                if let known = parties[key] {
                    partyID = known
                } else if let row = try await connection.query(PostgresQuery(shared: Statements.partyByKey + " FOR UPDATE", key), logger: logger)
                    .decodeAll(PartyRow.self).first {
                    partyID = row.id
                    if let gln = entry.receiver.gln, row.gln != gln.digits {
                        try await connection.query(PostgresQuery(shared: Statements.partyGLN, gln.digits, now, partyID), logger: logger)
                    }
                } else {
                    partyID = try await connection.query(PostgresQuery(shared: Statements.addParty, entry.receiver.name, key,
                                                                       entry.receiver.province, entry.receiver.gln?.digits, now, now),
                                                         logger: logger).decodeAll(Int64.self)[0]
                    recording.newParties += 1
                }
                parties[key] = partyID
                let shipmentKey = entry.key(partyID: partyID)
                let existing = try await connection.query(PostgresQuery(shared: Statements.shipmentByKey, shipmentKey), logger: logger)
                    .decodeAll(ShipmentState.self).first
                var write = entry.write(existing: existing.map { ($0.id, $0.receivedAt) })
                if case .findOpen(let receivedAt) = write {
                    write = try await connection.query(PostgresQuery(shared: Statements.openShipment, entry.batchID, entry.cartonID ?? 0, partyID),
                                                       logger: logger).decodeAll(Int64.self).first
                        .map { .receive(id: $0, at: receivedAt) } ?? .insert
                }
                switch write {
                case .receive(let id, let receivedAt):
                    try await connection.query(PostgresQuery(shared: Statements.receiveShipment, receivedAt, now, id), logger: logger)
                    recording.received += 1
                case .unchanged, .findOpen:
                    recording.unchanged += 1
                case .insert:
                    try await connection.query(PostgresQuery(shared: Statements.addShipment, shipmentKey, entry.cartonID, entry.batchID,
                                                             entry.count.map(Int64.init), partyID, entry.shippedAt, entry.receivedAt, jobID,
                                                             now, now), logger: logger)
                    recording.inserted += 1
                }
            }
            try await PostgresJobLog.finish(connection, id: jobID, outcome: .succeeded,
                                            counts: JobCounts(rowsRead: entries.count, inserted: recording.inserted, updated: recording.received,
                                                              unchanged: recording.unchanged), message: nil, logger: logger)
            return recording
        }
    }

    public func shipments(ofCarton cartonID: Int64) async throws -> [StoredShipment] {
        try await rows("list a carton's shipments", PostgresQuery(shared: Statements.shipmentsOfCarton, cartonID), as: StoredShipment.self)
    }

    public func shipments(pageSize: Int) -> PagedSequence<StoredShipment, Int64> {
        PagedSequence(pageSize: pageSize, key: \.id) { after, limit in
            try await self.rows("list the shipments", PostgresQuery(shared: Statements.shipmentsPage, after ?? 0, Int64(limit)),
                                as: StoredShipment.self)
        }
    }

    public func shipmentCount() async throws -> Int {
        try await rows("count the shipments", PostgresQuery(shared: Statements.shipmentCount), as: Int.self).first ?? 0
    }

    // MARK: Journey

    public func chainEvents(serial: String) async throws -> [ChainEvent] {
        let cartons = try await rows("read a stamp's cartons", PostgresQuery(shared: Statements.cartonsOfStamp, serial), as: StoredCarton.self)
        let shipments = try await rows("read a stamp's shipments", PostgresQuery(shared: Statements.shipmentsOfStamp, serial, serial),
                                       as: StoredShipment.self)
        return ChainEvent.events(cartons: cartons, shipments: shipments)
    }
}

/// A listed stamp and what may keep it out of a carton (``Statements/listedStampProblems``).
private struct ListedStamp: Decodable {
    var position: Int
    var serial: String
    var batchID: Int64?
    var revoked: Int
    var carton: String?

    enum CodingKeys: String, CodingKey {
        case position, serial, revoked, carton, batchID = "batch_id"
    }
}

/// One carton-to-be: its ordinal in the pack, how many stamps, its first and last sequence.
private struct PackGroup: Decodable {
    var ordinal: Int64
    var count: Int64
    var firstSequence: Int64
    var lastSequence: Int64

    enum CodingKeys: String, CodingKey {
        case ordinal, count, firstSequence = "first_sequence", lastSequence = "last_sequence"
    }
}

private struct SerialRow: Decodable {
    var sequence: Int64
    var serial: String
}

private struct PartyRow: Decodable {
    var id: Int64
    var gln: String?
}

private struct ShipmentState: Decodable {
    var id: Int64
    var receivedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, receivedAt = "received_at"
    }
}

/// Listed stamps that cannot be packed: the transaction is rolled back, and the refusal answered.
private struct Refused: Error {
    var problems: [UnpackableStamp]
}
