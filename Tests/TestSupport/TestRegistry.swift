import Foundation
import GRDB
import Logging
import OCOPTrace
import PostgresNIO

/// The engines a registry test runs on: SQLite always; PostgreSQL when `OCOPTRACE_TEST_POSTGRES`
/// names a server (`.ci/run` starts a throwaway cluster and sets it; see scripts/postgres-cluster.sh).
/// Tests take these as arguments (`@Test(arguments: RegistryEngine.available)`), so one test body
/// runs on both.
public enum RegistryEngine: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    /// The server tests make their databases on, if any.
    public static var postgresServer: PostgresURL? {
        guard let text = ProcessInfo.processInfo.environment["OCOPTRACE_TEST_POSTGRES"], !text.isEmpty else { return nil }
        return try? PostgresURL(parsing: text)
    }

    /// SQLite, and PostgreSQL when a server is named. In CI (`CI` set) PostgreSQL is always among
    /// them: a CI run without the server fails its PostgreSQL cases instead of skipping them.
    public static var available: [RegistryEngine] {
        postgresServer == nil && ProcessInfo.processInfo.environment["CI"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public var description: String { rawValue }
}

/// A new, empty registry for one test, on one engine, with a way to look at its tables directly
/// (tests check what was stored, not only what the store's operations answer).
public final class TestRegistry: Sendable {
    public let engine: RegistryEngine
    public let location: RegistryLocation
    public let store: any RegistryStore

    private init(engine: RegistryEngine, location: RegistryLocation, store: any RegistryStore) {
        self.engine = engine
        self.location = location
        self.store = store
    }

    /// An empty, migrated registry: a file in `folder`, or a new database on the test server.
    public static func make(_ engine: RegistryEngine, in folder: TemporaryFolder, name: String = "registry",
                            postgresServer: PostgresURL? = nil) async throws -> TestRegistry {
        let location = try await makeLocation(engine, in: folder, name: name, postgresServer: postgresServer)
        return TestRegistry(engine: engine, location: location, store: try await RegistryStores.open(location, access: .readWrite))
    }

    /// Where a new, empty registry would be (for a test that runs the command line on it): a file
    /// path in `folder`, or a new database on the test server (created, not migrated).
    public static func makeLocation(_ engine: RegistryEngine, in folder: TemporaryFolder, name: String = "registry",
                                    postgresServer: PostgresURL? = nil) async throws -> RegistryLocation {
        switch engine {
        case .sqlite:
            return .sqlite(path: folder.path("\(name).sqlite"))
        case .postgres:
            guard let server = postgresServer ?? RegistryEngine.postgresServer else {
                throw TestRegistryError("OCOPTRACE_TEST_POSTGRES names no PostgreSQL server")
            }
            let database = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
            try await withClient(server) { client in
                try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)"))
            }
            return .postgres(server.with(database: String(database)))
        }
    }

    /// What `--db` takes for this registry.
    public var argument: String { TestRegistry.argument(for: location) }

    /// What `--db` takes for a registry at `location`.
    public static func argument(for location: RegistryLocation) -> String {
        switch location {
        case .sqlite(let path): path
        case .postgres(let url): url.text
        }
    }

    /// The rows a query gives, each column's value as text (integers as digits); a NULL is left out.
    public func rows(_ sql: String) async throws -> [[String: String]] {
        try await TestRegistry.rows(at: location, sql)
    }

    /// The rows a query gives in the registry at `location` (one a command made), as ``rows(_:)``.
    public static func rows(at location: RegistryLocation, _ sql: String) async throws -> [[String: String]] {
        switch location {
        case .sqlite(let path):
            return try await TestRegistry.rows(ofSQLiteFile: path, sql)
        case .postgres(let url):
            return try await TestRegistry.withClient(url) { client in
                var result: [[String: String]] = []
                let json = try await client.query(PostgresQuery(unsafeSQL: "SELECT row_to_json(t)::text FROM (\(sql)) t"))
                for try await text in json.decode(String.self) {
                    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
                    var values: [String: String] = [:]
                    for (column, value) in object {
                        switch value {
                        case is NSNull: continue
                        case let number as NSNumber: values[column] = number.stringValue
                        default: values[column] = "\(value)"
                        }
                    }
                    result.append(values)
                }
                return result
            }
        }
    }

    /// The rows a query gives in the SQLite file at `path` (a copy of a registry, say), as ``rows(_:)``.
    public static func rows(ofSQLiteFile path: String, _ sql: String) async throws -> [[String: String]] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try await queue.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                var values: [String: String] = [:]
                for (column, value) in row where !value.isNull {
                    values[column] = switch value.storage {
                    case .int64(let number): String(number)
                    case .double(let number): String(number)
                    case .string(let text): text
                    case .blob(let data): data.base64EncodedString()
                    case .null: nil
                    }
                }
                return values
            }
        }
    }

    /// One column of the first row, as text.
    public func value(_ sql: String) async throws -> String? {
        try await rows(sql).first.flatMap { $0.values.first }
    }

    public func count(_ table: String, where condition: String = "TRUE") async throws -> Int {
        Int(try await value("SELECT COUNT(*) AS n FROM \(table) WHERE \(condition)") ?? "0") ?? 0
    }

    /// Runs statements directly, for a fixture no operation makes (a batch a killed process left).
    public func execute(_ sql: String) async throws {
        switch location {
        case .sqlite(let path):
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            try await queue.write { db in try db.execute(sql: sql) }
        case .postgres(let url):
            try await TestRegistry.withClient(url) { client in
                try await client.query(PostgresQuery(unsafeSQL: sql))
            }
        }
    }

    private static func withClient<T: Sendable>(_ url: PostgresURL, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: .init(host: url.host, port: url.port, username: url.user,
                                                         password: url.password, database: url.database, tls: .disable),
                                    backgroundLogger: Logger(label: "ocoptrace.tests", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            let result = try await body(client)
            return result
        }
    }
}

public struct TestRegistryError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
