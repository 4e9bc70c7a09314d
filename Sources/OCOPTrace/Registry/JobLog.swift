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

    static func finish(_ db: Database, id: Int64, report: FileImportReport) throws {
        let message: String? = report.problems.isEmpty ? nil
            : report.problems.prefix(20).map(\.description).joined(separator: "\n")
                + (report.problems.count > 20 ? "\n… and \(report.problems.count - 20) more" : "")
        try db.execute(sql: """
            UPDATE jobs SET finished_at = ?, outcome = ?, rows_read = ?, inserted = ?, updated = ?, unchanged = ?,
                invalid = ?, message = ?
            WHERE id = ?
            """, arguments: [Timestamp.now(), report.outcome.rawValue, report.rows, report.inserted, report.updated,
                             report.unchanged, report.invalidRows, message, id])
    }

    /// The most recent jobs first.
    public static func entries(in registry: Registry, limit: Int = 50) throws -> [Entry] {
        try registry.read { db in
            try Entry.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY id DESC LIMIT ?", arguments: [limit])
        }
    }
}
