import Foundation
import GRDB

/// The embedded registry: one SQLite file, no server. The default.
///
/// WAL mode lets inspectors read while an import or issue job writes; foreign keys are on; a busy
/// timeout lets two jobs on one registry wait for each other instead of failing. Every operation
/// runs on GRDB's own queues, off the caller's task.
public final class SQLiteStore: RegistryStore {
    public let path: String
    /// The GRDB database pool and the schema.
    let database: Registry

    public var location: RegistryLocation { .sqlite(path: path) }

    public init(path: String, access: RegistryAccess) throws {
        self.path = path
        switch access {
        case .readWrite: database = try Registry(path: path)
        case .readOnly: database = try Registry(readOnlyPath: path)
        }
    }

    /// The file is open from `init`; when the task is cancelled, closes it (see ``close()``).
    public func run() async {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        await close()
    }

    /// Nothing: `init` migrated or checked the schema.
    public func prepare() async throws {}

    /// Checkpoints and closes (see ``Registry/close()``); a registry that cannot be closed cleanly
    /// is told on standard error, from every command and from `serve` at its stop.
    public func close() async {
        if let problem = database.close() {
            FileHandle.standardError.write(Data("warning: \(problem)\n".utf8))
        }
    }

    /// Runs `body` in one write transaction, on GRDB's writer queue: a write may wait for another
    /// process's (busy timeout), and must not hold the caller's thread meanwhile.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.pool.write(body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            // Nothing of the transaction was kept; the command can be run again once there is room.
            throw RegistryError.noSpace(location: path, reason: error.message ?? "database or disk is full")
        }
    }

    /// Runs `body` in one read transaction, on the caller's thread. A read in WAL mode never waits
    /// for a writer, so it takes microseconds and is cheaper run in place than handed to GRDB's
    /// queue and resumed (the resolver answers thousands of pages a second through these).
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try database.read(body)
    }

    /// Runs `body` on the caller's thread with no transaction around it: for reads whose every
    /// statement stands on its own (a single statement is always consistent), where BEGIN and
    /// COMMIT would cost as much as the read.
    func readStatements<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try database.readStatements(body)
    }
}

extension SQLiteStore {
    public func startJob(_ start: JobStart) async throws -> Int64 {
        try await write { db in try JobLog.start(db, start) }
    }

    public func finishJob(id: Int64, outcome: JobOutcome, counts: JobCounts, message: String?) async throws {
        try await write { db in try JobLog.finish(db, id: id, outcome: outcome, counts: counts, message: message) }
    }

    @discardableResult
    public func recordJob(_ start: JobStart, outcome: JobOutcome, counts: JobCounts, message: String?) async throws -> Int64 {
        try await write { db in
            try JobLog.record(db, start, outcome: outcome, counts: counts, message: message)
        }
    }

    public func jobs(limit: Int) async throws -> [JobEntry] {
        try await read { db in try JobLog.entries(db, limit: limit) }
    }
}
