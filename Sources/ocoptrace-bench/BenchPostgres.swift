import ArgumentParser
import Foundation
import OCOPTrace

/// A PostgreSQL server a benchmark also runs on: a fresh database per run, side by side with
/// SQLite, dropped when the benchmark ends.
final class BenchPostgres: @unchecked Sendable {
    // @unchecked: `made` is only touched from the benchmark's one task, before and after the runs.
    let server: PostgresURL
    private var made: [String] = []

    init(server text: String) throws {
        guard case .postgres(let server) = try RegistryLocation(parsing: text) else {
            throw ValidationError("--db takes a PostgreSQL server's URL (postgres://user@host:5432/postgres)")
        }
        self.server = server
    }

    /// A new, empty database on the server, as `--db` takes it.
    func freshDatabase(label: String) async throws -> String {
        let name = "bench_\(label)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        try await PostgresStore.createDatabase(name, on: server)
        made.append(name)
        return server.with(database: name).text
    }

    /// Drops every database this run made.
    func dropAll() async {
        for name in made { try? await PostgresStore.dropDatabase(name, on: server) }
        made = []
    }
}
