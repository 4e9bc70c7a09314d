import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A registry in a PostgreSQL database, for several machines sharing one registry: workstations
/// issuing into it, several `serve` instances answering from it.
///
/// The guarantees SQLite's single writer gave for free are kept by the operations themselves:
/// the row being changed is locked (`SELECT … FOR UPDATE`), unique keys are inserted with
/// `ON CONFLICT`, migrations run under an advisory lock.
public final class PostgresStore: RegistryStore {
    public let url: PostgresURL
    let client: PostgresClient
    let logger: Logger
    private let access: RegistryAccess
    /// The client's task when ``open(url:access:waitLimit:)`` started it; nil when ``run()`` runs
    /// in the caller's task group or service group.
    private let held = Mutex<Task<Void, Never>?>(nil)
    /// The longest one operation may wait (see ``RegistryStores/open(_:access:waitLimit:)``).
    let waitLimit: Duration?

    public var location: RegistryLocation { .postgres(url) }

    /// Checks the server answers and makes the client; its connections are made once ``run()``
    /// runs, and ``prepare()`` then migrates or checks the schema.
    public init(url: PostgresURL, access: RegistryAccess, maximumConnections: Int = 8, waitLimit: Duration? = nil) async throws {
        // One plain connection first: a server that is down or a database that is not there is
        // told at once, in the server's words; the pool would retry for a minute and then say only
        // that its connections kept failing.
        if let problem = await PostgresStore.connectionProblem(url) {
            throw RegistryError.cannotOpen(location: url.description, reason: problem)
        }
        self.url = url
        self.access = access
        self.waitLimit = waitLimit
        var logger = Logger(label: "ocoptrace.registry.postgres")
        logger.logLevel = .critical
        self.logger = logger
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: PostgresStore.tls(url.tls))
        configuration.options.maximumConnections = maximumConnections
        if let waitLimit {
            // A connection that cannot be made within the wait is no use to anyone waiting.
            configuration.options.connectTimeout = min(waitLimit, .seconds(10))
        }
        if access == .readOnly {
            // The server itself refuses any write from a read-only command.
            configuration.options.additionalStartupParameters = [("default_transaction_read_only", "on")]
        }
        if waitLimit == nil { configuration.options.connectTimeout = .seconds(10) }
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Runs the connection pool until the task is cancelled (PostgresClient's own `run()`).
    public func run() async {
        await client.run()
    }

    public func prepare() async throws {
        do {
            switch access {
            case .readWrite: try await migrate()
            case .readOnly: try await checkSchema()
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError.cannotOpen(location: url.description, reason: PostgresStore.describe(error))
        }
    }

    /// A prepared store whose client runs in a task of its own until ``close()``: for callers that
    /// hold a store across calls (see ``RegistryStores/open(_:access:waitLimit:)``).
    static func open(url: PostgresURL, access: RegistryAccess, waitLimit: Duration?) async throws -> PostgresStore {
        let store = try await PostgresStore(url: url, access: access, waitLimit: waitLimit)
        store.held.withLock { [client = store.client] in $0 = Task { await client.run() } }
        do {
            try await store.prepare()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Why a connection to `url` fails, in the server's or the network's words; nil when a
    /// connection succeeds, or when only TLS would do (the pool then tells).
    private static func connectionProblem(_ url: PostgresURL) async -> String? {
        guard url.tls != .require else { return nil }
        let configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user,
                                                              password: url.password, database: url.database, tls: .disable)
        let logger = Logger(label: "ocoptrace.registry.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        do {
            let connection = try await PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(),
                                                                  configuration: configuration, id: 0, logger: logger).get()
            try? await connection.close()
            return nil
        } catch {
            return describe(error)
        }
    }

    public func close() async {
        guard let task = held.withLock({ $0.take() }) else { return }
        task.cancel()
        await task.value
    }

    private static func tls(_ mode: PostgresURL.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    // MARK: Databases

    /// Creates an empty database on the server `server` names (benchmarks and tests make one per
    /// run). `name` must be a plain identifier: lower-case letters, digits and underscores.
    public static func createDatabase(_ name: String, on server: PostgresURL) async throws {
        try await onServer(server, "create the database \(name)") { client, logger in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(try identifier(name))"), logger: logger)
        }
    }

    /// Drops a database that ``createDatabase(_:on:)`` made, if it is there.
    public static func dropDatabase(_ name: String, on server: PostgresURL) async throws {
        try await onServer(server, "drop the database \(name)") { client, logger in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(try identifier(name)) WITH (FORCE)"), logger: logger)
        }
    }

    private static func identifier(_ name: String) throws -> String {
        guard !name.isEmpty, name.count <= 63, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw RegistryError.badLocation(text: name, reason: "a database name here is lower-case letters, digits and underscores")
        }
        return name
    }

    private static func onServer(_ server: PostgresURL, _ operation: String,
                                 _ body: @Sendable (PostgresClient, Logger) async throws -> Void) async throws {
        let logger = Logger(label: "ocoptrace.registry.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = PostgresClient(configuration: .init(host: server.host, port: server.port, username: server.user,
                                                         password: server.password, database: server.database, tls: tls(server.tls)),
                                    backgroundLogger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await body(client, logger)
            }
        } catch {
            throw RegistryError.failed(operation: operation, reason: describe(error))
        }
    }

    // MARK: Schema

    /// The table that records which migrations have run (GRDB's `grdb_migrations` on SQLite).
    private static let migrationsTable = "ocoptrace_migrations"
    /// Two processes opening a new registry at once: one migrates, the other waits for it.
    private static let migrationLock: Int64 = 0x6F63_6F70_7472_6163

    private func migrate() async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresStore.migrationLock))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS ocoptrace_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)
                """, logger: logger)
            let applied = try await Self.appliedMigrations(connection, logger: logger)
            try self.refuseNewer(applied)
            for migration in RegistryMigration.all where !applied.contains(migration.name) {
                for statement in migration.postgresStatements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("""
                    INSERT INTO ocoptrace_migrations (name, applied_at) VALUES (\(migration.name), \(Timestamp.now()))
                    """, logger: logger)
            }
        }
    }

    private func checkSchema() async throws {
        let exists = try await client.query("SELECT to_regclass('ocoptrace_migrations') IS NOT NULL", logger: logger)
            .collect().first?.decode(Bool.self) ?? false
        guard exists else { throw RegistryError.missing(location: url.description) }
        let applied = try await client.withConnection { connection in
            try await Self.appliedMigrations(connection, logger: logger)
        }
        try refuseNewer(applied)
    }

    private static func appliedMigrations(_ connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        var names = Set<String>()
        for try await name in try await connection.query("SELECT name FROM ocoptrace_migrations", logger: logger).decode(String.self) {
            names.insert(name)
        }
        return names
    }

    private func refuseNewer(_ applied: Set<String>) throws {
        if !applied.subtracting(RegistryMigration.names).isEmpty {
            throw RegistryError.newerSchema(location: url.description)
        }
    }

    // MARK: Running statements

    /// Runs `body` in one transaction on one connection: everything it writes lands together or not
    /// at all. Errors from the server are put into words naming `operation`.
    func transaction<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PSQLError {
            throw failure(operation, error)
        } catch let error as PostgresTransactionError {
            // A stage's own error thrown inside the transaction (a batch already full, say) is the
            // stage's to report; the server's errors are the registry's.
            let inner = error.closureError ?? error.beginError ?? error.commitError
            if let inner, !(inner is PSQLError) { throw inner }
            throw failure(operation, inner ?? error)
        }
    }

    /// Runs one query outside a transaction and decodes every row.
    func rows<T: Decodable & Sendable>(_ operation: String, _ query: PostgresQuery, as type: T.Type) async throws -> [T] {
        try await limited(operation) { [self, client, logger] in
            do {
                return try await client.query(query, logger: logger).decodeAll(T.self)
            } catch let error as PSQLError {
                throw self.failure(operation, error)
            }
        }
    }

    /// Runs `body`, within the store's wait limit when it has one.
    func limited<T: Sendable>(_ operation: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let waitLimit else { return try await body() }
        do {
            return try await withDeadline(waitLimit, body)
        } catch is DeadlinePassed {
            let parts = waitLimit.components
            throw RegistryError.unavailable(operation: operation, seconds: Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
        }
    }

    /// A server error as the registry's: a full disk (SQLSTATE 53100) told as such, the rest in
    /// the server's words.
    func failure(_ operation: String, _ error: any Error) -> RegistryError {
        if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "53100" {
            return .noSpace(location: url.description, reason: PostgresStore.describe(error))
        }
        return .failed(operation: operation, reason: PostgresStore.describe(error))
    }

    /// The server's own message for a failed statement (PSQLError hides it from `description`).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
                return message + detail
            }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        if let error = error as? PostgresTransactionError {
            if let closure = error.closureError { return describe(closure) }
            if let begin = error.beginError { return describe(begin) }
            if let commit = error.commitError { return describe(commit) }
        }
        return "\(error)"
    }
}

extension PostgresStore {
    public func startJob(_ start: JobStart) async throws -> Int64 {
        try await transaction("start a job") { connection in try await PostgresJobLog.start(connection, start, logger: logger) }
    }

    public func finishJob(id: Int64, outcome: JobOutcome, counts: JobCounts, message: String?) async throws {
        try await transaction("finish a job") { connection in
            try await PostgresJobLog.finish(connection, id: id, outcome: outcome, counts: counts, message: message, logger: logger)
        }
    }

    @discardableResult
    public func recordJob(_ start: JobStart, outcome: JobOutcome, counts: JobCounts, message: String?) async throws -> Int64 {
        try await transaction("record a job") { connection in
            let id = try await PostgresJobLog.start(connection, start, logger: logger)
            try await PostgresJobLog.finish(connection, id: id, outcome: outcome, counts: counts, message: message, logger: logger)
            return id
        }
    }

    public func jobs(limit: Int) async throws -> [JobEntry] {
        try await rows("list the jobs", PostgresQuery(shared: Statements.jobs, limit), as: JobEntry.self)
    }
}

/// The job log's statements on PostgreSQL, for the store's operations to record their job in their
/// own transaction.
enum PostgresJobLog {
    static func start(_ connection: PostgresConnection, _ start: JobStart, logger: Logger) async throws -> Int64 {
        try await connection.query("""
            INSERT INTO jobs (kind, file, checksum, started_at, outcome)
            VALUES (\(start.kind), \(start.file), \(start.checksum), \(start.startedAt), 'running') RETURNING id
            """, logger: logger).decodeAll(Int64.self)[0]
    }

    static func finish(_ connection: PostgresConnection, id: Int64, outcome: JobOutcome, counts: JobCounts, message: String?,
                       logger: Logger) async throws {
        try await connection.query(PostgresQuery(shared: Statements.finishJob, Timestamp.now(), outcome.rawValue, counts.rowsRead,
                                                 counts.inserted, counts.updated, counts.unchanged, counts.invalid, message, id),
                                   logger: logger)
    }
}

extension PostgresStore {
    public func settleAfterBulkWrites() async throws {
        // VACUUM runs outside any transaction; tables another role owns are skipped with a warning.
        _ = try await rows("vacuum and analyse the registry", "VACUUM (ANALYZE)", as: Int.self)
    }

    /// PostgreSQL's own `pg_dump` takes consistent copies of a live database; ocoptrace does not
    /// duplicate it.
    public func backup(to file: URL) async throws -> RegistryBackup {
        throw RegistryError.backupNeedsPgDump(command: url.pgDumpCommand(to: file.relativePath))
    }
}
