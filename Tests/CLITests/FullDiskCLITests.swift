import Foundation
import OCOPTrace
import Testing
import TestSupport

/// `issue` on a disk that fills up, for real (a tmpfs of 2 MB): exit 74 naming what could not be
/// written, never a signal, and the same command completes the batch once there is room.
@Suite(.enabled(if: SmallFilesystem.available, "needs root to mount a tmpfs (always run in CI)"))
struct FullDiskCLITests {
    private static let catalog = """
        product_code,name,gtin,producer,province,price_vnd,shelf_life_days
        NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7

        """

    private func stampCounts(_ rows: [[String: String]]) -> [String: String] { rows.first ?? [:] }

    @Test(arguments: RegistryEngine.available) func issueIntoAFullOutputFolderExits74AndTheSameCommandCompletesTheBatch(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-cli-full-disk")
        let disk = try SmallFilesystem(megabytes: 2, in: folder.url)
        folder.write("catalog.csv", Self.catalog)
        let registry = try await TestRegistry.makeLocation(engine, in: folder)
        let db = ["--db", TestRegistry.argument(for: registry)]
        try #require(try OCOPTraceBinary.run(["import", "catalog.csv"] + db, in: folder.url).status == 0)
        // 5,000 PNGs and their manifest need several times 2 MB.
        let issue = ["issue", "--product", "NC-500", "--lot", "FULL", "--count", "5000", "--output", disk.url.path] + db
        let failed = try OCOPTraceBinary.run(issue, in: folder.url)
        #expect(failed.status == 74, "\(failed.stderr)")
        #expect(failed.stderr.contains("cannot write \(disk.url.path)/stamps/"), "\(failed.stderr)")
        #expect(failed.stderr.contains("No space left on device"), "\(failed.stderr)")
        #expect(!failed.stderr.contains("warning:"), "\(failed.stderr)")
        let batches = try await rows(registry, "SELECT status FROM stamp_batches")
        #expect(batches == [["status": "issuing"]], "the batch is left to be completed")

        try disk.grow(to: 64)
        let rerun = try OCOPTraceBinary.run(issue + ["--json"], in: folder.url)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try await rows(registry, "SELECT COUNT(*) AS n, COUNT(DISTINCT serial) AS d, MAX(sequence) AS m FROM stamps")
                == [["n": "5000", "d": "5000", "m": "5000"]])
        #expect(try await rows(registry, "SELECT status FROM stamp_batches") == [["status": "issued"]])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(rerun.stdout.utf8)) as? [String: Any])
        let manifest = try String(contentsOfFile: folder.path(try #require(report["manifest"] as? String)), encoding: .utf8)
        #expect(manifest.split(separator: "\n").count == 5001)
        let pngs = try FileManager.default.subpathsOfDirectory(atPath: disk.url.path).filter { $0.hasSuffix(".png") }
        #expect(pngs.count == 5000)
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: disk.url.path).filter { $0.hasSuffix(".part") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func issueIntoARegistryOnAFullDiskExits74NamingTheRegistryAndTheSameCommandCompletesTheBatch() async throws {
        let folder = TemporaryFolder("ocoptrace-cli-full-disk")
        let disk = try SmallFilesystem(megabytes: 2, in: folder.url)
        folder.write("catalog.csv", Self.catalog)
        let registry = RegistryLocation.sqlite(path: disk.url.appendingPathComponent("registry.sqlite").path)
        let db = ["--db", TestRegistry.argument(for: registry)]
        try #require(try OCOPTraceBinary.run(["import", "catalog.csv"] + db, in: folder.url).status == 0)
        // 60,000 stamps need about 10 MB of registry; no PNGs, so that only the registry fills.
        let issue = ["issue", "--product", "NC-500", "--lot", "FULLDB", "--count", "60000", "--no-png", "--output", folder.path("out")] + db
        let failed = try OCOPTraceBinary.run(issue, in: folder.url)
        #expect(failed.status == 74, "\(failed.stderr)")
        #expect(failed.stderr.contains("the registry \(registry) could not be written"), "\(failed.stderr)")
        #expect(failed.stderr.contains("full"), "\(failed.stderr)")

        try disk.grow(to: 64)
        let rerun = try OCOPTraceBinary.run(issue, in: folder.url)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try await rows(registry, "SELECT COUNT(*) AS n, COUNT(DISTINCT serial) AS d, MAX(sequence) AS m FROM stamps")
                == [["n": "60000", "d": "60000", "m": "60000"]])
        #expect(try await rows(registry, "SELECT status FROM stamp_batches") == [["status": "issued"]])
    }

    private func rows(_ location: RegistryLocation, _ sql: String) async throws -> [[String: String]] {
        try await TestRegistry.rows(at: location, sql)
    }
}
