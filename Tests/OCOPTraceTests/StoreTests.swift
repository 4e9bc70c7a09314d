import Foundation
import OCOPTrace
import Testing
import TestSupport

@Suite("Registry store, on every engine")
struct StoreTests {
    @Test("CI runs the registry tests on PostgreSQL too")
    func postgresIsThereInCI() {
        // .ci/run starts a throwaway cluster and names it; a CI run without it would quietly test
        // one engine of two.
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(RegistryEngine.available.contains(.postgres), "OCOPTRACE_TEST_POSTGRES is not set in CI")
        }
    }

    @Test("a new registry is migrated, and the job log keeps what a job did", arguments: RegistryEngine.available)
    func jobLog(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let registry = try await TestRegistry.make(engine, in: folder)
        let store = registry.store
        let started = try await store.startJob(JobStart(kind: "import", file: "nem.csv", checksum: "abc", startedAt: "2026-12-02T10:00:00Z"))
        try await store.finishJob(id: started, outcome: .partial, counts: JobCounts(rowsRead: 5, inserted: 3, invalid: 2), message: "2 rows left out")
        let recorded = try await store.recordJob(JobStart(kind: "issue", startedAt: "2026-12-02T10:01:00Z"), outcome: .succeeded,
                                                 counts: JobCounts(rowsRead: 10, inserted: 10), message: nil)
        #expect(recorded > started)
        let jobs = try await store.jobs(limit: 10)
        #expect(jobs.map(\.id) == [recorded, started])
        let first = try #require(jobs.last)
        #expect((first.kind, first.file, first.checksum, first.outcome) == ("import", "nem.csv", "abc", .partial))
        #expect((first.rowsRead, first.inserted, first.invalid, first.message) == (5, 3, 2, "2 rows left out"))
        #expect(first.finishedAt != nil)
        #expect(try await store.jobs(limit: 1).map(\.id) == [recorded])
        await store.close()
    }

    @Test("opening a registry again leaves its schema as it was", arguments: RegistryEngine.available)
    func reopen(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let registry = try await TestRegistry.make(engine, in: folder)
        try await registry.store.recordJob(JobStart(kind: "import"), outcome: .succeeded, counts: JobCounts(), message: nil)
        await registry.store.close()
        for access in [RegistryAccess.readWrite, .readOnly] {
            let again = try await RegistryStores.open(registry.location, access: access)
            #expect(try await again.jobs(limit: 5).count == 1)
            await again.close()
        }
    }

    @Test("a registry that a newer ocoptrace migrated is refused, for writing as for reading", arguments: RegistryEngine.available)
    func newerSchema(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let registry = try await TestRegistry.make(engine, in: folder)
        await registry.store.close()
        switch engine {
        case .sqlite:
            try await registry.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
        case .postgres:
            try await registry.execute("INSERT INTO ocoptrace_migrations (name, applied_at) VALUES ('v99: from the future', 'x')")
        }
        for access in [RegistryAccess.readWrite, .readOnly] {
            await #expect {
                _ = try await RegistryStores.open(registry.location, access: access)
            } throws: { error in
                "\(error)".contains("newer ocoptrace")
            }
        }
    }

    @Test("a registry that is not there is not made by a read", arguments: RegistryEngine.available)
    func missing(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let location = try await TestRegistry.makeLocation(engine, in: folder)
        await #expect {
            _ = try await RegistryStores.open(location, access: .readOnly)
        } throws: { error in
            "\(error)".contains("there is no registry")
        }
    }

    // Run wherever the other PostgreSQL cases run (see RegistryEngine.available): skipped, not
    // passed, without a server; failed in CI when the server is missing.
    @Test("a PostgreSQL registry that cannot be reached says why, in the server's words",
          .enabled(if: RegistryEngine.available.contains(.postgres), "no PostgreSQL server named (OCOPTRACE_TEST_POSTGRES)"))
    func postgresErrorsSayWhy() async throws {
        let server = try #require(RegistryEngine.postgresServer, "OCOPTRACE_TEST_POSTGRES names no PostgreSQL server")
        await #expect {
            _ = try await RegistryStores.open(.postgres(server.with(database: "no_such_registry")), access: .readWrite)
        } throws: { error in
            "\(error)".contains("database \"no_such_registry\" does not exist")
        }
        var closed = server
        closed.port = 1
        await #expect {
            _ = try await RegistryStores.open(.postgres(closed), access: .readOnly)
        } throws: { error in
            "\(error)".contains("refused")
        }
    }

    @Test("PostgreSQL URLs: parsed, and the password never printed")
    func postgresURL() throws {
        let location = try RegistryLocation(parsing: "postgres://tem:b%C3%AD%20m%E1%BA%ADt@db.tinh.vn:6543/ocop?sslmode=require")
        guard case .postgres(let url) = location else { Issue.record("not PostgreSQL"); return }
        #expect((url.user, url.password, url.host, url.port, url.database, url.tls) == ("tem", "bí mật", "db.tinh.vn", 6543, "ocop", .require))
        #expect(!location.description.contains("bí"))
        #expect(try RegistryLocation(parsing: url.text) == location)
        #expect(try RegistryLocation(parsing: "output/r.sqlite") == .sqlite(path: "output/r.sqlite"))
        #expect(throws: RegistryError.self) { try RegistryLocation(parsing: "postgres://host-only") }
        #expect(throws: RegistryError.self) { try RegistryLocation(parsing: "postgres://u@h/db?sslmode=sometimes") }
        #expect(try RegistryLocation.resolve(nil, environment: ["OCOPTRACE_DB": "postgres://u@h/db"]) != .sqlite(path: RegistryLocation.defaultPath))
        #expect(try RegistryLocation.resolve(nil, environment: [:]) == .sqlite(path: RegistryLocation.defaultPath))
    }

    @Test("a paged listing reads every element once, in order, a page at a time")
    func pagedSequence() async throws {
        let pages = Counter()
        let listing = PagedSequence<Int, Int>(pageSize: 3, key: { $0 }) { after, limit in
            await pages.add()
            return Array(((after ?? 0) + 1)...10).prefix(limit).map { $0 }
        }
        var seen: [Int] = []
        for try await value in listing { seen.append(value) }
        #expect(seen == Array(1...10))
        #expect(await pages.value == 4)
    }
}

private actor Counter {
    var value = 0
    func add() { value += 1 }
}
