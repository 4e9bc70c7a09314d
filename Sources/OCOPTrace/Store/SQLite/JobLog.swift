import Foundation
import GRDB

/// The job log's statements on SQLite (``JobStore`` is the public face), for the SQLite store's
/// operations to record their job in their own transaction (``PostgresJobLog`` is its twin).
enum JobLog {
    /// Starts a job that may take a while (an import), marked `running` until it is finished.
    static func start(_ db: Database, _ start: JobStart) throws -> Int64 {
        try db.execute(sql: "INSERT INTO jobs (kind, file, checksum, started_at, outcome) VALUES (?, ?, ?, ?, 'running')",
                       arguments: [start.kind, start.file, start.checksum, start.startedAt])
        return db.lastInsertedRowID
    }

    /// Records a job's outcome.
    static func finish(_ db: Database, id: Int64, outcome: JobOutcome, counts: JobCounts, message: String?) throws {
        try db.execute(sql: Statements.finishJob, arguments: [Timestamp.now(), outcome.rawValue, counts.rowsRead, counts.inserted, counts.updated,
                             counts.unchanged, counts.invalid, message, id])
    }

    /// Records a job that is over already (a failed read, an issued batch, a revocation): one entry, finished.
    @discardableResult
    static func record(_ db: Database, _ job: JobStart, outcome: JobOutcome, counts: JobCounts, message: String?) throws -> Int64 {
        let id = try start(db, job)
        try finish(db, id: id, outcome: outcome, counts: counts, message: message)
        return id
    }

    /// The most recent jobs first.
    static func entries(_ db: Database, limit: Int) throws -> [JobEntry] {
        try JobEntry.fetchAll(db, sql: Statements.jobs, arguments: [limit])
    }
}
