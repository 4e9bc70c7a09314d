import Foundation
import GRDB
import Logging
import OCOPTrace
import PostgresNIO

/// While the catalog importer, the stamp issuer and revocations still write only to an SQLite
/// `Registry`, tests of the stages that read through the store seed a PostgreSQL registry this way:
/// the synchronous stages write into a scratch SQLite file, and its rows are copied across whole.
/// On SQLite the scratch registry is the test registry itself. Goes once those stages take the store.
extension TestRegistry {
    /// The SQLite file today's synchronous stages write into for this test.
    public func scratchPath(in folder: TemporaryFolder) -> String {
        switch location {
        case .sqlite(let path): path
        case .postgres: folder.path("scratch-\(engine).sqlite")
        }
    }

    /// Makes this registry hold what the scratch file holds (nothing to do on SQLite, where they are one).
    public func copyScratch(in folder: TemporaryFolder) async throws {
        guard case .postgres(let url) = location else { return }
        let source = try DatabaseQueue(path: scratchPath(in: folder))
        defer { try? source.close() }
        // Parents before children, as the foreign keys ask.
        let order = ["jobs", "producers", "products", "stamp_orders", "signing_keys", "stamp_batches", "stamps", "revocations", "scans",
                     "category_trees", "category_nodes", "registry_secrets"]
        let tables = try await source.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
        }.sorted { (order.firstIndex(of: $0) ?? order.count) < (order.firstIndex(of: $1) ?? order.count) }
        let client = PostgresClient(configuration: .init(host: url.host, port: url.port, username: url.user, password: url.password,
                                                         database: url.database, tls: .disable),
                                    backgroundLogger: Logger(label: "ocoptrace.tests", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.withTransaction(logger: Logger(label: "ocoptrace.tests", factory: { _ in SwiftLogNoOpLogHandler() })) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "TRUNCATE \(tables.joined(separator: ", ")) RESTART IDENTITY CASCADE"),
                                           logger: connection.logger)
                for table in tables {
                    let rows = try source.read { db in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") }
                    guard let columns = rows.first.map({ Array($0.columnNames) }) else { continue }
                    let rowsPerStatement = max(1, 10_000 / columns.count)
                    for start in stride(from: 0, to: rows.count, by: rowsPerStatement) {
                        var binds = PostgresBindings()
                        var values: [String] = []
                        for row in rows[start..<min(rows.count, start + rowsPerStatement)] {
                            let first = binds.count
                            values.append("(" + columns.indices.map { "$\(first + $0 + 1)" }.joined(separator: ", ") + ")")
                            for value in row.databaseValues {
                                switch value.storage {
                                case .null: binds.appendNull()
                                case .int64(let number): binds.append(number)
                                case .double(let number): binds.append(number)
                                case .string(let text): binds.append(text)
                                case .blob(let data): try binds.append(data)
                                }
                            }
                        }
                        try await connection.query(PostgresQuery(unsafeSQL: """
                            INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(values.joined(separator: ", "))
                            """, binds: binds), logger: connection.logger)
                    }
                    // Rows inserted with their ids leave the identity where it was: move it past them.
                    if columns.contains("id"), try await connection.query(PostgresQuery(unsafeSQL: """
                        SELECT pg_get_serial_sequence('\(table)', 'id') IS NOT NULL
                        """), logger: connection.logger).collect().first?.decode(Bool.self) == true {
                        try await connection.query(PostgresQuery(unsafeSQL: """
                            SELECT setval(pg_get_serial_sequence('\(table)', 'id'), (SELECT MAX(id) FROM \(table)))
                            """), logger: connection.logger)
                    }
                }
            }
        }
    }
}
