import Foundation
import Logging
import OCOPTrace
import PostgresNIO

/// A database made for one benchmark run on a PostgreSQL server, and dropped after it, so that a
/// run starts from an empty registry as the SQLite side does from a new file.
struct ScratchDatabase {
    /// The new database, as `--db` takes it.
    let url: PostgresURL
    let server: PostgresURL

    /// Makes a new, empty database on the server `server` names (its own database is only connected to).
    static func create(on server: PostgresURL, prefix: String) async throws -> ScratchDatabase {
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        // The name is made here of letters, digits and underscores only: safe to put in the statement.
        try await withClient(server) { client in _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")) }
        return ScratchDatabase(url: server.with(database: String(name)), server: server)
    }

    /// Runs fixed statements (no binds) in the scratch database.
    func execute(_ statements: [String]) async throws {
        try await Self.withClient(url) { client in
            for statement in statements { try await client.query(PostgresQuery(unsafeSQL: statement)) }
        }
    }

    /// Drops the database, closing what is still connected to it.
    func drop() async {
        try? await Self.withClient(server) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(url.database) WITH (FORCE)"))
        }
    }

    private static func withClient<T: Sendable>(_ url: PostgresURL, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let tls: PostgresClient.Configuration.TLS = switch url.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        let client = PostgresClient(configuration: .init(host: url.host, port: url.port, username: url.user, password: url.password,
                                                         database: url.database, tls: tls),
                                    backgroundLogger: Logger(label: "ocoptrace-bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
