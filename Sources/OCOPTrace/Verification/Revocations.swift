import Foundation
import GRDB

/// Revoking stamps (a lost roll, a recall): they then verify as `revoked`, with the reason.
public struct Revocations: Sendable {
    public let registry: Registry

    public init(registry: Registry) {
        self.registry = registry
    }

    public enum RevocationError: Error, Sendable, CustomStringConvertible {
        case emptyReason
        case invalidStampIDs([String])
        case unknownStampIDs([String])
        case noSuchLot(String)

        public var description: String {
            switch self {
            case .emptyReason: "give a reason (--reason): inspectors are shown it"
            case .invalidStampIDs(let problems): "not stamp IDs: " + problems.joined(separator: "; ")
            case .unknownStampIDs(let ids): "no such stamps in the registry: " + ids.joined(separator: ", ")
            case .noSuchLot(let lot): "no issued stamps for lot \(lot)"
            }
        }
    }

    public struct Outcome: Sendable, Codable {
        public var revoked: Int
        public var alreadyRevoked: Int

        enum CodingKeys: String, CodingKey {
            case revoked, alreadyRevoked = "already_revoked"
        }
    }

    /// Revokes the stamps named by stamp ID (or URL): all of them or, if any is unknown or invalid, none.
    public func revoke(stampIDs inputs: [String], reason: String) throws -> Outcome {
        guard !reason.trimmed.isEmpty else { throw RevocationError.emptyReason }
        var serials: [Serial] = []
        var invalid: [String] = []
        for input in inputs where !input.trimmed.isEmpty {
            if let serial = VerificationInput(input).serial { serials.append(serial) } else { invalid.append(input.trimmed) }
        }
        guard invalid.isEmpty else { throw RevocationError.invalidStampIDs(invalid) }
        return try registry.write { db in
            var stampRowIDs: [Int64] = []
            var unknown: [String] = []
            for serial in serials {
                if let id = try Int64.fetchOne(db, sql: "SELECT id FROM stamps WHERE serial = ?", arguments: [serial.text]) {
                    stampRowIDs.append(id)
                } else {
                    unknown.append(StampID(serial: serial).formatted)
                }
            }
            guard unknown.isEmpty else { throw RevocationError.unknownStampIDs(unknown) }
            return try insert(db, stampRowIDs: stampRowIDs, reason: reason.trimmed, description: "\(stampRowIDs.count) stamps")
        }
    }

    /// Revokes every stamp of a lot (of one product when several share the lot number).
    public func revoke(lot lotLabel: String, productCode: String?, reason: String) throws -> Outcome {
        guard !reason.trimmed.isEmpty else { throw RevocationError.emptyReason }
        return try registry.write { db in
            let batch: StampBatch
            do {
                batch = try StampBatch.issued(db, lot: lotLabel, productCode: productCode)
            } catch IssueError.noBatch(let lot) {
                throw RevocationError.noSuchLot(lot)
            }
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM stamps WHERE batch_id = ?", arguments: [batch.id])
            return try insert(db, stampRowIDs: ids, reason: reason.trimmed, description: "lot \(batch.lot)")
        }
    }

    private func insert(_ db: Database, stampRowIDs: [Int64], reason: String, description: String) throws -> Outcome {
        let now = Timestamp.now()
        let jobID = try JobLog.start(db, kind: "revoke", file: nil, startedAt: now)
        var revoked = 0
        let statement = try db.makeStatement(sql: "INSERT OR IGNORE INTO revocations (stamp_id, reason, revoked_at, job_id) VALUES (?, ?, ?, ?)")
        for id in stampRowIDs {
            try statement.execute(arguments: [id, reason, now, jobID])
            revoked += db.changesCount
        }
        try JobLog.finish(db, id: jobID, outcome: "succeeded",
                          counts: JobLog.Counts(rowsRead: stampRowIDs.count, inserted: revoked, unchanged: stampRowIDs.count - revoked),
                          message: "\(description): \(reason)")
        return Outcome(revoked: revoked, alreadyRevoked: stampRowIDs.count - revoked)
    }
}

/// Scan history, for `ocoptrace scans`.
public struct ScanListing: Sendable, Codable, FetchableRecord {
    public var serial: String
    public var stampID: String
    public var product: String
    public var lot: String
    public var scans: Int
    public var firstAt: String
    public var lastAt: String
    public var locations: [String]
    public var inspectors: [String]
    public var suspectedClone: Bool

    enum CodingKeys: String, CodingKey {
        case serial, stampID = "stamp_id", product, lot, scans, firstAt = "first_at", lastAt = "last_at", locations, inspectors
        case suspectedClone = "suspected_clone"
    }

    public init(row: Row) throws {
        serial = row["serial"]
        stampID = StampID(serial: Serial(unchecked: serial)).formatted
        product = row["product"]
        lot = row["lot"]
        scans = row["scans"]
        firstAt = row["first_at"]
        lastAt = row["last_at"]
        locations = (row["locations"] as String?).map { $0.split(separator: "\u{1F}").map(String.init) } ?? []
        inspectors = (row["inspectors"] as String?).map { $0.split(separator: "\u{1F}").map(String.init) } ?? []
        suspectedClone = false
    }

    /// Every scanned stamp with its history, most recently scanned first.
    public static func fetch(from registry: Registry, lot: String? = nil, suspectedOnly: Bool = false,
                             cloneThreshold: Int = VerifyOptions().cloneThreshold) throws -> [ScanListing] {
        let lotCode = lot.map { (try? LotNumber(transliterating: $0).code) ?? $0 }
        return try registry.read { db in
            try ScanListing.fetchAll(db, sql: """
                SELECT s.serial, p.code AS product, b.lot, COUNT(*) AS scans, MIN(c.scanned_at) AS first_at, MAX(c.scanned_at) AS last_at,
                       (SELECT GROUP_CONCAT(location, char(31)) FROM (SELECT DISTINCT location FROM scans
                        WHERE stamp_id = s.id AND location IS NOT NULL ORDER BY location)) AS locations,
                       (SELECT GROUP_CONCAT(inspector, char(31)) FROM (SELECT DISTINCT inspector FROM scans
                        WHERE stamp_id = s.id AND inspector IS NOT NULL ORDER BY inspector)) AS inspectors
                FROM scans c JOIN stamps s ON s.id = c.stamp_id JOIN stamp_batches b ON b.id = s.batch_id
                JOIN products p ON p.id = b.product_id
                WHERE (?1 IS NULL OR b.lot = ?1)
                GROUP BY s.id ORDER BY last_at DESC
                """, arguments: [lotCode])
        }
        .map { listing in
            var listing = listing
            listing.suspectedClone = listing.scans > cloneThreshold || listing.locations.count > 1
            return listing
        }
        .filter { !suspectedOnly || $0.suspectedClone }
    }
}
