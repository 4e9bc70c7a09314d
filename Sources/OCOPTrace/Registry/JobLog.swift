import Foundation
import GRDB

/// The job log: every batch job (each import of a file, each issue run, ...) with its outcome.
public enum JobLog {
    public struct Entry: Sendable, Codable, FetchableRecord {
        public var id: Int64
        public var kind: String
        public var file: String?
        public var checksum: String?
        public var startedAt: String
        public var finishedAt: String?
        public var outcome: String
        public var rowsRead: Int
        public var inserted: Int
        public var updated: Int
        public var unchanged: Int
        public var invalid: Int
        public var message: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, file, checksum
            case startedAt = "started_at", finishedAt = "finished_at"
            case outcome
            case rowsRead = "rows_read"
            case inserted, updated, unchanged, invalid, message
        }
    }

    /// What a finished job did, counted in its own terms (rows of a file, stamps of a batch).
    struct Counts {
        var rowsRead = 0
        var inserted = 0
        var updated = 0
        var unchanged = 0
        var invalid = 0
    }

    /// Starts a job that may take a while (an import), marked `running` until it is finished.
    static func start(_ db: Database, kind: String, file: String?, checksum: String? = nil, startedAt: String) throws -> Int64 {
        try db.execute(sql: "INSERT INTO jobs (kind, file, checksum, started_at, outcome) VALUES (?, ?, ?, ?, 'running')",
                       arguments: [kind, file, checksum, startedAt])
        return db.lastInsertedRowID
    }

    /// Records a job's outcome.
    static func finish(_ db: Database, id: Int64, outcome: String, counts: Counts = Counts(), message: String?) throws {
        try db.execute(sql: """
            UPDATE jobs SET finished_at = ?, outcome = ?, rows_read = ?, inserted = ?, updated = ?, unchanged = ?,
                invalid = ?, message = ?
            WHERE id = ?
            """, arguments: [Timestamp.now(), outcome, counts.rowsRead, counts.inserted, counts.updated,
                             counts.unchanged, counts.invalid, message, id])
    }

    /// Records a job that is over already (a failed read, an issued batch, a revocation): one entry, finished.
    @discardableResult
    static func record(_ db: Database, kind: String, file: String? = nil, checksum: String? = nil, startedAt: String,
                       outcome: String, counts: Counts = Counts(), message: String?) throws -> Int64 {
        let id = try start(db, kind: kind, file: file, checksum: checksum, startedAt: startedAt)
        try finish(db, id: id, outcome: outcome, counts: counts, message: message)
        return id
    }

    /// The most recent jobs first.
    public static func entries(in registry: Registry, limit: Int = 50) throws -> [Entry] {
        try registry.read { db in
            try Entry.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY id DESC LIMIT ?", arguments: [limit])
        }
    }
}
