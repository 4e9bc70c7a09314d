import Foundation

/// The job log: every batch job (each import of a file, each issue run, a revocation, …) with its
/// outcome, newest last. A stage's own operations record their job in the same transaction as their
/// changes; these are for jobs that span several of them.
public protocol JobStore: Sendable {
    /// Starts a job that may take a while (an import), `running` until it is finished.
    func startJob(_ start: JobStart) async throws -> Int64
    /// Records a job's outcome.
    func finishJob(id: Int64, outcome: JobOutcome, counts: JobCounts, message: String?) async throws
    /// Records a job that is over already (a failed read, say): one entry, finished.
    @discardableResult
    func recordJob(_ start: JobStart, outcome: JobOutcome, counts: JobCounts, message: String?) async throws -> Int64
    /// The most recent jobs first.
    func jobs(limit: Int) async throws -> [JobEntry]
}

/// How a job ended.
public enum JobOutcome: String, Sendable, Codable, CaseIterable {
    case running, succeeded, partial, rejected, failed
}

/// A job as it starts: what kind, on which file.
public struct JobStart: Sendable, Hashable {
    public var kind: String
    public var file: String?
    public var checksum: String?
    public var startedAt: String

    public init(kind: String, file: String? = nil, checksum: String? = nil, startedAt: String = Timestamp.now()) {
        self.kind = kind
        self.file = file
        self.checksum = checksum
        self.startedAt = startedAt
    }
}

/// What a finished job did, counted in its own terms (rows of a file, stamps of a batch).
public struct JobCounts: Sendable, Hashable, Codable {
    public var rowsRead = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var invalid = 0

    public init(rowsRead: Int = 0, inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, invalid: Int = 0) {
        self.rowsRead = rowsRead
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.invalid = invalid
    }
}

/// One job of the log.
public struct JobEntry: Sendable, Codable, Hashable {
    public var id: Int64
    public var kind: String
    public var file: String?
    public var checksum: String?
    public var startedAt: String
    public var finishedAt: String?
    public var outcome: JobOutcome
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
