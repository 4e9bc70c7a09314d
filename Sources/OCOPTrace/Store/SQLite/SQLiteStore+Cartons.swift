import Foundation
import GRDB

extension StoredCarton: FetchableRecord {}
extension StoredShipment: FetchableRecord {}

/// Cartons and shipments on SQLite: packing is a handful of statements in GRDB's one writer,
/// whatever the number of stamps (the candidates are numbered in a temporary table and joined to
/// their cartons by one INSERT … SELECT).
extension SQLiteStore {
    // MARK: Cartons

    public func packCartons(_ packing: CartonPacking) async throws -> CartonPackOutcome {
        try await write { db in
            try db.execute(sql: "DROP TABLE IF EXISTS temp.pack_candidates")
            try db.execute(sql: "DROP TABLE IF EXISTS temp.pack_listed")
            try db.execute(sql: """
                CREATE TEMP TABLE pack_candidates (position INTEGER PRIMARY KEY, stamp_id INTEGER NOT NULL, sequence INTEGER NOT NULL)
                """)
            defer {
                try? db.execute(sql: "DROP TABLE IF EXISTS temp.pack_candidates")
                try? db.execute(sql: "DROP TABLE IF EXISTS temp.pack_listed")
            }
            if let serials = packing.serials {
                try db.execute(sql: "CREATE TEMP TABLE pack_listed (position INTEGER PRIMARY KEY, serial TEXT NOT NULL)")
                let insert = try db.makeStatement(sql: "INSERT INTO pack_listed (position, serial) VALUES (?, ?)")
                for (index, serial) in serials.enumerated() {
                    try insert.execute(arguments: [index, serial])
                }
                let problems = try Row.fetchAll(db, sql: Statements.listedStampProblems).compactMap { row in
                    UnpackableStamp.problem(index: row["position"], serial: row["serial"], batchID: row["batch_id"],
                                            revoked: (row["revoked"] as Int? ?? 0) > 0, carton: row["carton"], expected: packing.batchID)
                }
                guard problems.isEmpty else { return .refused(problems) }
                try db.execute(sql: Statements.packCandidatesListed)
            } else {
                try db.execute(sql: Statements.packCandidatesOfBatch, arguments: [packing.batchID])
            }
            let groups = try Row.fetchAll(db, sql: Statements.packGroups, arguments: [packing.perCarton])
            guard !groups.isEmpty else { return .packed([]) }
            let jobID = try JobLog.start(db, packing.job)
            let first = try Int.fetchOne(db, sql: Statements.takeCartonSerials,
                                         arguments: [packing.companyPrefix ?? "", groups.count])! - groups.count
            let insert = try db.makeStatement(sql: Statements.addCarton)
            for (index, group) in groups.enumerated() {
                let key = try CartonKey(companyPrefix: packing.companyPrefix, number: first + index)
                try insert.execute(arguments: [key.text, packing.batchID, jobID, group["ordinal"], group["count"], group["first_sequence"],
                                               group["last_sequence"], packing.packedAt])
            }
            try db.execute(sql: Statements.packMembership + " ORDER BY c.position", arguments: [jobID, packing.perCarton])
            let packed = db.changesCount
            try JobLog.finish(db, id: jobID, outcome: .succeeded, counts: JobCounts(rowsRead: packed, inserted: groups.count),
                              message: "\(packed) stamps into \(groups.count) cartons")
            return .packed(try StoredCarton.fetchAll(db, sql: Statements.cartonsOfPack, arguments: [jobID]))
        }
    }

    public func unpackCarton(sscc: String, at time: String, job: JobStart) async throws -> StoredCarton? {
        try await write { db in
            guard let carton = try StoredCarton.fetchOne(db, sql: Statements.cartonByKey, arguments: [sscc]) else { return nil }
            guard carton.unpackedAt == nil else { return carton }
            try db.execute(sql: Statements.unpackCarton, arguments: [time, carton.id])
            try db.execute(sql: Statements.unpackCartonStamps, arguments: [time, carton.id])
            try JobLog.record(db, job, outcome: .succeeded, counts: JobCounts(updated: carton.count), message: "carton \(sscc) unpacked")
            return try StoredCarton.fetchOne(db, sql: Statements.cartonByKey, arguments: [sscc])
        }
    }

    public func carton(sscc: String) async throws -> StoredCarton? {
        try await read { db in try StoredCarton.fetchOne(db, sql: Statements.cartonByKey, arguments: [sscc]) }
    }

    public func cartons(productCode: String?, lot: String?, pageSize: Int) -> PagedSequence<StoredCarton, Int64> {
        PagedSequence(pageSize: pageSize, key: \.id) { after, limit in
            try await self.read { db in
                try StoredCarton.fetchAll(db, sql: Statements.cartonsPage,
                                          arguments: [after ?? 0, productCode, productCode, lot, lot, limit])
            }
        }
    }

    public func stamps(ofCarton cartonID: Int64, pageSize: Int) -> PagedSequence<StampSerial, Int64> {
        PagedSequence(pageSize: pageSize, key: \.sequence) { after, limit in
            try await self.read { db in
                try Row.fetchAll(db, sql: Statements.cartonStamps, arguments: [cartonID, after ?? 0, limit]).map {
                    StampSerial(sequence: $0[0], serial: $0[1])
                }
            }
        }
    }

    public func cartonCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: Statements.cartonCount) ?? 0 }
    }

    // MARK: Shipments

    public func recordShipments(_ entries: [ShipmentEntry], job: JobStart) async throws -> ShipmentRecording {
        try await write { db in
            var recording = ShipmentRecording()
            let now = Timestamp.now()
            let jobID = try JobLog.start(db, job)
            var parties: [String: Int64] = [:]
            for entry in entries {
                let key = entry.receiver.identityKey
                let partyID: Int64
                if let known = parties[key] {
                    partyID = known
                } else if let row = try Row.fetchOne(db, sql: Statements.partyByKey, arguments: [key]) {
                    partyID = row["id"]
                    if let gln = entry.receiver.gln, (row["gln"] as String?) != gln.digits {
                        try db.execute(sql: Statements.partyGLN, arguments: [gln.digits, now, partyID])
                    }
                } else {
                    partyID = try Int64.fetchOne(db, sql: Statements.addParty, arguments: [
                        entry.receiver.name, key, entry.receiver.province, entry.receiver.gln?.digits, now, now])!
                    recording.newParties += 1
                }
                parties[key] = partyID
                let shipmentKey = entry.key(partyID: partyID)
                let existing = try Row.fetchOne(db, sql: Statements.shipmentByKey, arguments: [shipmentKey])
                var write = entry.write(existing: existing.map { ($0["id"], $0["received_at"]) })
                if case .findOpen(let receivedAt) = write {
                    write = try Int64.fetchOne(db, sql: Statements.openShipment, arguments: [entry.batchID, entry.cartonID ?? 0, partyID])
                        .map { .receive(id: $0, at: receivedAt) } ?? .insert
                }
                switch write {
                case .receive(let id, let receivedAt):
                    try db.execute(sql: Statements.receiveShipment, arguments: [receivedAt, now, id])
                    recording.received += 1
                case .unchanged, .findOpen:
                    recording.unchanged += 1
                case .insert:
                    try db.execute(sql: Statements.addShipment, arguments: [shipmentKey, entry.cartonID, entry.batchID, entry.count, partyID,
                                                                            entry.shippedAt, entry.receivedAt, jobID, now, now])
                    recording.inserted += 1
                }
            }
            try JobLog.finish(db, id: jobID, outcome: .succeeded,
                              counts: JobCounts(rowsRead: entries.count, inserted: recording.inserted, updated: recording.received,
                                                unchanged: recording.unchanged), message: nil)
            return recording
        }
    }

    public func shipments(ofCarton cartonID: Int64) async throws -> [StoredShipment] {
        try await read { db in try StoredShipment.fetchAll(db, sql: Statements.shipmentsOfCarton, arguments: [cartonID]) }
    }

    public func shipments(pageSize: Int) -> PagedSequence<StoredShipment, Int64> {
        PagedSequence(pageSize: pageSize, key: \.id) { after, limit in
            try await self.read { db in try StoredShipment.fetchAll(db, sql: Statements.shipmentsPage, arguments: [after ?? 0, limit]) }
        }
    }

    public func shipmentCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: Statements.shipmentCount) ?? 0 }
    }

    // MARK: Journey

    public func chainEvents(serial: String) async throws -> [ChainEvent] {
        try await read { db in
            ChainEvent.events(cartons: try StoredCarton.fetchAll(db, sql: Statements.cartonsOfStamp, arguments: [serial]),
                              shipments: try StoredShipment.fetchAll(db, sql: Statements.shipmentsOfStamp, arguments: [serial, serial]))
        }
    }
}
