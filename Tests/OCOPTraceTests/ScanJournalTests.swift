import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// The SQLite registry's scan journal: scans appended to it are durable, the registry takes them in
/// one transaction, and a journal a crash left behind is written once by the next opening, never twice.
@Suite("Scan journal beside an SQLite registry")
struct ScanJournalTests {
    /// A registry with three stamps (their row ids), its path, and its folder.
    static func registry() async throws -> (folder: TemporaryFolder, path: String, stampIDs: [Int64]) {
        let folder = TemporaryFolder("ocoptrace-journal")
        let registry = try await TestRegistry.make(.sqlite, in: folder)
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000

            """)
        _ = try await CatalogImporter(store: registry.store).importFile(at: catalog)
        _ = try await StampFixtures.issue(store: registry.store, folder: folder, keys: folder.url.appendingPathComponent("keys"),
                                          resolver: "https://id.ocoptrace.vn", product: "NC-500", lot: "L1", count: 3, signed: false, produced: nil)
        await registry.store.close()
        let ids = try await registry.rows("SELECT id FROM stamps ORDER BY id").compactMap { $0["id"].flatMap { Int64($0) } }
        return (folder, registry.argument, ids)
    }

    static func scans(_ ids: [Int64], at time: String) -> [WebScan] {
        ids.map { WebScan(stampID: $0, scannedAt: time, network: "00ff00ff00ff00ff", status: .genuine) }
    }

    static func webScans(_ path: String) async throws -> Int {
        Int(try await TestRegistry.rows(ofSQLiteFile: path, "SELECT COUNT(*) AS n FROM scans WHERE channel = 'web'")[0]["n"] ?? "") ?? -1
    }

    static func journals(_ path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        return ((try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? [])
            .filter { $0.hasPrefix(url.lastPathComponent + "-scans-") }
    }

    @Test func appliedScansAreInTheRegistryAndTheJournalIsGone() async throws {
        let (folder, path, ids) = try await Self.registry()
        defer { withExtendedLifetime(folder) {} }  // the folder goes with its last reference
        let store = try SQLiteStore(path: path, access: .readWrite)
        let journal = try #require(try await store.webScanJournal())
        try journal.append(Self.scans(ids, at: "2026-12-06T01:00:00.000Z"))
        try journal.append(Self.scans([ids[0]], at: "2026-12-06T01:00:01.000Z"))
        #expect(Self.journals(path).count == 1)
        try await journal.seal()?.apply()
        // A second seal has nothing to write.
        #expect(try journal.seal() == nil)
        #expect(try await Self.webScans(path) == 4)
        journal.close()
        await store.close()
        #expect(Self.journals(path).isEmpty)
    }

    @Test func aJournalLeftByACrashIsWrittenOnceByTheNextOpening() async throws {
        let (folder, path, ids) = try await Self.registry()
        defer { withExtendedLifetime(folder) {} }  // the folder goes with its last reference
        let store = try SQLiteStore(path: path, access: .readWrite)
        let journal = try #require(try await store.webScanJournal())
        try journal.append(Self.scans(ids, at: "2026-12-06T01:00:00.000Z"))
        // While its server runs (it holds the file's lock), another process's opening leaves it alone.
        let beside = try SQLiteStore(path: path, access: .readWrite)
        await beside.close()
        #expect(try await Self.webScans(path) == 0)
        #expect(Self.journals(path).count == 1)
        // The server dies: the lock goes with it, the file stays, with a last line cut short.
        let file = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(Self.journals(path)[0])
        journal.close()
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\(ids[0])\t2026-12-06T01:00:02".utf8))
        try handle.close()
        await store.close()

        let next = try SQLiteStore(path: path, access: .readWrite)
        await next.close()
        #expect(try await Self.webScans(path) == 3)
        #expect(Self.journals(path).isEmpty)
        let again = try SQLiteStore(path: path, access: .readWrite)
        await again.close()
        #expect(try await Self.webScans(path) == 3)
    }

    @Test func aJournalWrittenBeforeACrashRemovedItIsNotWrittenTwice() async throws {
        let (folder, path, ids) = try await Self.registry()
        defer { withExtendedLifetime(folder) {} }  // the folder goes with its last reference
        let store = try SQLiteStore(path: path, access: .readWrite)
        let journal = try #require(try await store.webScanJournal())
        try journal.append(Self.scans(ids, at: "2026-12-06T01:00:00.000Z"))
        // The crash came between the commit and the file's removal: the file is still there.
        let file = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(Self.journals(path)[0])
        let copy = try Data(contentsOf: file)
        try await journal.seal()?.apply()
        journal.close()
        await store.close()
        try copy.write(to: file)
        #expect(try await Self.webScans(path) == 3)

        let next = try SQLiteStore(path: path, access: .readWrite)
        await next.close()
        #expect(try await Self.webScans(path) == 3, "the journal's name was written with its scans: not again")
        #expect(Self.journals(path).isEmpty)
    }

    @Test func theJournalLineKeepsEveryField() throws {
        let scan = WebScan(stampID: 42, scannedAt: "2026-12-06T01:02:03.456Z", network: "0123456789abcdef", status: .revoked)
        let line = SQLiteScanJournal.line(scan)
        let read = try #require(SQLiteScanJournal.scan(line: line.dropLast()))
        #expect(read.stampID == 42 && read.scannedAt == scan.scannedAt && read.network == scan.network && read.status == .revoked)
        #expect(SQLiteScanJournal.scan(line: "42\t2026") == nil)
    }
}
