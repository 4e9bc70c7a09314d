import Foundation
@testable import OCOPTrace
import Testing
import TestSupport

/// Every page writes a scan; each index of `scans` costs a page write per scan at each commit, so
/// the page's own read must be answered by the one index there is.
@Suite("Scans have one index by stamp, and the page's history reads only it")
struct ScanIndexTests {
    @Test func theHistoryIsReadFromTheReportIndexAlone() async throws {
        let folder = TemporaryFolder()
        let registry = try await TestRegistry.make(.sqlite, in: folder)
        await registry.store.close()
        let indexes = try await registry.rows("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'scans' AND sql IS NOT NULL")
        #expect(indexes.map { $0["name"] } == ["scans_for_report"])
        let plan = try await registry.rows("EXPLAIN QUERY PLAN " + SQLiteStore.historyStatement.replacingOccurrences(of: "?1", with: "1"))
        let details = plan.compactMap { $0["detail"] }
        #expect(details.contains { $0.contains("COVERING INDEX scans_for_report") }, "\(details)")
        #expect(!details.contains { $0.contains("SCAN scans") }, "\(details)")
    }

    @Test(arguments: RegistryEngine.available.filter { $0 == .postgres })
    func postgresHasTheSameOneIndex(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let registry = try await TestRegistry.make(engine, in: folder)
        let indexes = try await registry.rows("SELECT indexname FROM pg_indexes WHERE tablename = 'scans' AND indexname <> 'scans_pkey' ORDER BY indexname")
        #expect(indexes.map { $0["indexname"] } == ["scans_for_report"])
    }
}
