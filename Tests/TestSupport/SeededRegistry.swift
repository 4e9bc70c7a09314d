import Foundation
import GRDB
import OCOPTrace

/// A registry filled by code that still writes through the SQLite ``Registry`` (importing,
/// issuing, keys: stages converted to the store separately), on either engine: on PostgreSQL the
/// fixture is made in a scratch SQLite file and its rows copied across, ids and all.
///
/// A bridge for the verification and server tests while the other stages move to the store; once
/// they take a store, the fixtures call them on the engine directly and this goes.
extension TestRegistry {
    public static func seeded<T>(_ engine: RegistryEngine, in folder: TemporaryFolder, name: String = "registry",
                                 _ seed: (Registry) async throws -> T) async throws -> (TestRegistry, T) {
        switch engine {
        case .sqlite:
            let path = folder.path("\(name).sqlite")
            let value = try await seed(try Registry(path: path))
            return (try await TestRegistry.make(.sqlite, in: folder, name: name), value)
        case .postgres:
            let scratch = folder.path("\(name)-seed.sqlite")
            let value = try await seed(try Registry(path: scratch))
            let registry = try await TestRegistry.make(.postgres, in: folder, name: name)
            try await registry.copyRows(fromSQLite: scratch)
            return (registry, value)
        }
    }

    /// The registry in the SQLite file at `path` (made by the command line, say), on `engine`: that
    /// file itself, or a new PostgreSQL database with its rows.
    public static func copied(fromSQLite path: String, to engine: RegistryEngine, in folder: TemporaryFolder) async throws -> TestRegistry {
        switch engine {
        case .sqlite:
            let name = String(path.dropFirst(folder.url.path.count + 1).dropLast(".sqlite".count))
            precondition(folder.path(name + ".sqlite") == path, "\(path) is not an .sqlite file in the test's folder")
            return try await TestRegistry.make(.sqlite, in: folder, name: name)
        case .postgres:
            let registry = try await TestRegistry.make(.postgres, in: folder)
            try await registry.copyRows(fromSQLite: path)
            return registry
        }
    }

    /// Tables in an order that keeps every foreign key satisfied.
    private static let tables = ["jobs", "producers", "products", "stamp_orders", "signing_keys", "stamp_batches", "stamps",
                                 "revocations", "scans", "registry_secrets", "category_trees", "category_nodes"]

    private func copyRows(fromSQLite path: String) async throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        for table in TestRegistry.tables {
            let rows = try await queue.read { db -> [Row] in
                guard try db.tableExists(table) else { return [] }
                return try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid")
            }
            guard let first = rows.first else { continue }
            let columns = Array(first.columnNames)
            for start in stride(from: 0, to: rows.count, by: 500) {
                let values = rows[start..<min(rows.count, start + 500)].map { row in
                    "(" + columns.map { TestRegistry.literal(row[$0] as DatabaseValue) }.joined(separator: ", ") + ")"
                }
                try await execute("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + values.joined(separator: ", "))
            }
            if columns.contains("id") {
                try await execute("""
                    SELECT setval(pg_get_serial_sequence('\(table)', 'id'), (SELECT MAX(id) FROM \(table)))
                    WHERE pg_get_serial_sequence('\(table)', 'id') IS NOT NULL
                    """)
            }
        }
    }

    /// A value as an SQL literal (numbers bare: a multi-row VALUES list types quoted literals as text).
    private static func literal(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let number): "\(number)"
        case .double(let number): "\(number)"
        case .string(let text): "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let data): "'\\x" + data.map { String(format: "%02x", $0) }.joined() + "'"
        }
    }
}
