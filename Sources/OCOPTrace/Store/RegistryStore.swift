import Foundation

/// The registry, whichever engine holds it: every statement the jobs run is behind one of these
/// operations, named for what the jobs need. The stages (Catalog, Stamps, Verification, Export, the
/// server) know no SQL and no database library; they hand the store plain values and get plain
/// values back.
///
/// Two implementations: ``SQLiteStore`` (the embedded default, GRDB) and ``PostgresStore``
/// (PostgresNIO), for a registry that several machines share. Each stage's operations are declared
/// in a protocol of their own beside this one.
public protocol RegistryStore: JobStore, CatalogStore, IssuanceStore, VerificationStore, ExportStore, ReportStore, ChainStore, CartonStore, PartnerEventStore, Sendable {
    /// Where the registry is.
    var location: RegistryLocation { get }

    /// Keeps the registry's connections (PostgreSQL's pool) for as long as it runs, and lets go of
    /// them when its task is cancelled: the one place a store's connections live and end.
    /// ``RegistryStores/with(_:access:waitLimit:_:)`` runs it beside a batch command's work; `serve`
    /// runs it as a service of its group, which stops it last. Called once per store.
    func run() async

    /// Brings the schema up to date (`.readWrite`) or checks there is one (`.readOnly`), once
    /// ``run()`` runs; both refuse a schema that a newer ocoptrace has migrated further. An SQLite
    /// store did this when it was opened.
    func prepare() async throws

    /// Lets go of a store that ``RegistryStores/open(_:access:waitLimit:)`` opened. A store is not
    /// used after this.
    func close() async

    /// Brings what the engine keeps beside the registry's rows up to date after bulk writes (an
    /// import, a large issue, a run of the whole pipeline), before a heavy reading such as the
    /// report. On PostgreSQL, `VACUUM (ANALYZE)`: it marks freshly written pages all-visible, so
    /// that the report's counts read indexes alone instead of visiting a million rows to check
    /// each one, and it refreshes the planner's statistics. Autovacuum does the same on its own,
    /// a minute or so after a bulk load; this spares the first reader that minute and that work.
    /// SQLite keeps neither (every page is visible; ocoptrace plans without statistics): nothing
    /// to do.
    func settleAfterBulkWrites() async throws

    /// Writes a consistent copy of the registry to `file` while other processes read and write it:
    /// one SQLite file (no `-wal` beside it), written under a temporary name beside `file` and
    /// renamed, so that a half-written copy never has the final name. PostgreSQL throws
    /// ``RegistryError/backupNeedsPgDump(command:)``: its own `pg_dump` does this.
    ///
    /// - Throws: ``FileWriteError`` naming `file` when it cannot be written; ``RegistryError``.
    func backup(to file: URL) async throws -> RegistryBackup
}

/// Whether a command may change the registry.
public enum RegistryAccess: Sendable {
    /// Creates the registry if need be and brings its schema up to date.
    case readWrite
    /// Opens an existing registry and never changes it: listings, offline checks, exports.
    case readOnly
}

public enum RegistryStores {
    /// Reaches the registry at `location` and makes its store, whose connections are not running
    /// yet: run ``RegistryStore/run()`` (in a task group, or as a service), then
    /// ``RegistryStore/prepare()``. A server that is down or a database that is not there is told
    /// at once.
    ///
    /// - Parameter waitLimit: the longest any one operation may wait for a database server that
    ///   is away (PostgreSQL); past it the operation throws ``RegistryError/unavailable(operation:seconds:)``.
    ///   For servers, which must answer something soon; batch commands wait as long as it takes.
    public static func connect(_ location: RegistryLocation, access: RegistryAccess, waitLimit: Duration? = nil) async throws -> any RegistryStore {
        switch location {
        case .sqlite(let path): try SQLiteStore(path: path, access: access)
        case .postgres(let url): try await PostgresStore(url: url, access: access, waitLimit: waitLimit)
        }
    }

    /// Opens the registry at `location`, runs `body` and lets go of it, whether `body` throws or
    /// not: the store's connections run beside `body` and end with it. A registry whose schema a
    /// newer ocoptrace has migrated further is refused, for reading as for writing: this binary
    /// does not know what it would read or write there.
    public static func with<T>(_ location: RegistryLocation, access: RegistryAccess, waitLimit: Duration? = nil,
                               _ body: (any RegistryStore) async throws -> T) async throws -> T {
        let store = try await connect(location, access: access, waitLimit: waitLimit)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            try await store.prepare()
            return try await body(store)
        }
    }

    /// Opens the registry at `location` for a caller that holds it across calls (tests), until
    /// ``RegistryStore/close()``; commands use ``with(_:access:waitLimit:_:)``, `serve` its service
    /// group.
    public static func open(_ location: RegistryLocation, access: RegistryAccess, waitLimit: Duration? = nil) async throws -> any RegistryStore {
        switch location {
        case .sqlite(let path): try SQLiteStore(path: path, access: access)
        case .postgres(let url): try await PostgresStore.open(url: url, access: access, waitLimit: waitLimit)
        }
    }
}

/// What goes wrong with the registry itself, on either engine.
public enum RegistryError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(location: String, reason: String)
    case missing(location: String)
    case newerSchema(location: String)
    case badLocation(text: String, reason: String)
    /// A statement failed: the engine's own words, and what the store was doing.
    case failed(operation: String, reason: String)
    /// The registry did not answer within the time the caller allows (a database server away).
    case unavailable(operation: String, seconds: Double)
    /// The disk (or the database server's disk) is full: the transaction was not kept.
    case noSpace(location: String, reason: String)
    /// `backup` on PostgreSQL: the command line that does it instead.
    case backupNeedsPgDump(command: String)

    public var description: String {
        switch self {
        case .cannotOpen(let location, let reason):
            "cannot open the registry \(location): \(reason)"
        case .missing(let location):
            "there is no registry at \(location): run `ocoptrace import` first, or name one with --db or OCOPTRACE_DB"
        case .newerSchema(let location):
            "the registry \(location) was written by a newer ocoptrace: update this one before reading or writing it (nothing was changed)"
        case .badLocation(let text, let reason):
            "--db \(text): \(reason)"
        case .failed(let operation, let reason):
            "the registry could not \(operation): \(reason)"
        case .unavailable(let operation, let seconds):
            "the registry could not \(operation): no answer within \(seconds.formatted(.number.precision(.fractionLength(0...1)))) s"
        case .noSpace(let location, let reason):
            "the registry \(location) could not be written: \(reason); free some space and run the same command again "
                + "(what this command wrote before is kept and is completed by the rerun)"
        case .backupNeedsPgDump(let command):
            "a PostgreSQL registry is backed up with PostgreSQL's own pg_dump, not with ocoptrace, for example:\n  \(command)\n"
                + "(pg_dump asks for the password, or reads PGPASSWORD or ~/.pgpass; nothing was written)"
        }
    }
}
