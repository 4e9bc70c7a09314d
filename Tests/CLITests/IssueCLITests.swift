import Foundation
import Testing
import TestSupport

/// A folder to run `ocoptrace` in, on a registry of either engine with two products.
private struct IssueCLIWorkspace: Sendable {
    let folder = TemporaryFolder("ocoptrace-cli-issue")
    let registry: TestRegistry

    init(_ engine: RegistryEngine) async throws {
        registry = try await TestRegistry.make(engine, in: folder)
        try await StampFixtures.addProducts([
            .init(code: "NC-500", name: "Nem chua hộp 500g", gtin: "8938765000015", producer: "HTX Nem chua Xuân Lập", shelfLifeDays: 7),
            .init(code: "MT-200", name: "Mắm tép 200g", gtin: "8939123400119", producer: "Công ty Mắm tép", priceVND: 65000,
                  shelfLifeDays: 365),
        ], to: registry)
    }

    /// Runs `ocoptrace arguments… --db <this registry>` in the folder.
    func run(_ arguments: [String]) throws -> CommandResult {
        try OCOPTraceBinary.run(arguments + ["--db", registry.argument], in: folder.url)
    }

    var url: URL { folder.url }
    func path(_ name: String) -> String { folder.path(name) }
}

/// `ocoptrace issue`, `render` and `keys`, end to end.
@Suite struct IssueCLITests {
    /// The SQLite workspace the `import` command made, for the tests of `--orders` (whose import
    /// does not write through the store yet).
    private func workspace() throws -> TemporaryFolder {
        let folder = TemporaryFolder("ocoptrace-cli-issue")
        folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7
            MT-200,Mắm tép 200g,8939123400119,Công ty Mắm tép,Thanh Hóa,65000,365

            """)
        let imported = try OCOPTraceBinary.run(["import", "catalog.csv"], in: folder.url)
        precondition(imported.status == 0, imported.stderr)
        return folder
    }

    private func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test(arguments: RegistryEngine.available) func issuesABatchAndPrintsItsManifestAsJSON(engine: RegistryEngine) async throws {
        let folder = try await IssueCLIWorkspace(engine)
        let result = try folder.run(["issue", "--product", "NC-500", "--lot", "L1", "--count", "25", "--produced", "20/11/2026", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try jsonLines(result.stdout).first)
        #expect(report["new_stamps"] as? Int == 25)
        let manifest = try #require(report["manifest"] as? String)
        #expect(manifest.hasPrefix("output/stamps/"))
        let text = try String(contentsOfFile: folder.path(manifest), encoding: .utf8)
        #expect(text.hasPrefix("sequence,serial,stamp_id,url,png,"))
        #expect(text.split(separator: "\n").count == 26)
        #expect(text.contains("?11=261120&17=261127"))
    }

    @Test(arguments: RegistryEngine.available) func twoIssueProcessesOnOneRegistryBothSucceed(engine: RegistryEngine) async throws {
        let folder = try await IssueCLIWorkspace(engine)
        let results = ConcurrentCommandResults()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let arguments = ["issue", "--product", index == 0 ? "NC-500" : "MT-200", "--lot", "C\(index)", "--count", "3000"]
            results.set(index, try? folder.run(arguments))
        }
        for index in 0..<2 {
            let result = try #require(results.get(index))
            #expect(result.status == 0, "\(result.stderr)")
        }
        let products = try folder.run(["jobs", "--json"])
        let issueJobs = try jsonLines(products.stdout).filter { $0["kind"] as? String == "issue" }
        #expect(issueJobs.count == 2)
        let manifests = try FileManager.default.subpathsOfDirectory(atPath: folder.path("output/stamps")).filter { $0.hasSuffix("manifest.csv") }
        var serials = Set<String>()
        for manifest in manifests {
            let lines = try String(contentsOfFile: folder.path("output/stamps/" + manifest), encoding: .utf8).split(separator: "\n").dropFirst()
            #expect(lines.count == 3000)
            for line in lines { serials.insert(String(line.split(separator: ",")[1])) }
        }
        #expect(serials.count == 6000)
    }

    /// Two real processes of the executable complete one batch at once.
    @Test(arguments: RegistryEngine.available) func twoProcessesCompletingTheSameBatchNeverOverfillIt(engine: RegistryEngine) async throws {
        let folder = try await IssueCLIWorkspace(engine)
        let results = ConcurrentCommandResults()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            results.set(index, try? folder.run(["issue", "--product", "NC-500", "--lot", "SAME", "--count", "9000"]))
        }
        #expect((0..<2).allSatisfy { results.get($0)?.status == 0 }, "\((0..<2).map { results.get($0)?.stderr ?? "" })")
        let manifest = try FileManager.default.subpathsOfDirectory(atPath: folder.path("output/stamps")).first { $0.hasSuffix("manifest.csv") }!
        let lines = try String(contentsOfFile: folder.path("output/stamps/" + manifest), encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(lines.count == 9000)
        #expect(Set(lines.map { $0.split(separator: ",")[1] }).count == 9000)
        #expect(try await folder.registry.rows("SELECT COUNT(*) AS n, COUNT(DISTINCT serial) AS d, MAX(sequence) AS m FROM stamps")
                == [["n": "9000", "d": "9000", "m": "9000"]])
        #expect(try await folder.registry.count("stamp_batches") == 1)
    }

    /// Whether /proc shows the process stopped by a signal (state `T`), or gone.
    private static func isStopped(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
        return state == "T" || state == "t" || state == "Z" || state == "X"
    }

    @Test(arguments: RegistryEngine.available) func aKilledIssueLeavesAPendingBatchThatTheSameCommandCompletes(engine: RegistryEngine) async throws {
        let folder = try await IssueCLIWorkspace(engine)
        let arguments = ["issue", "--product", "NC-500", "--lot", "KILL", "--count", "20000", "--db", folder.registry.argument]
        let process = Process()
        process.executableURL = OCOPTraceBinary.url
        process.arguments = arguments
        process.currentDirectoryURL = folder.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it while the batch is issuing with its first stamps stored and no manifest yet. Each
        // look is taken with the child stopped (SIGSTOP), so what the test sees is the state it
        // kills: the manifest is written before the batch's status, so "no manifest" means the
        // completion has not even been sent. No race between the look and the kill.
        // Generous: on a loaded 2-core machine the child may take long to start.
        let deadline = Date().addingTimeInterval(180)
        let manifestWritten = { () -> Bool in
            let files = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path("output/stamps"))) ?? []
            return files.contains { $0.hasSuffix("/manifest.csv") }
        }
        var seenIssuing = false
        while Date() < deadline, process.isRunning {
            kill(process.processIdentifier, SIGSTOP)
            // kill() returns before the child has stopped; /proc says when it has (or has exited).
            while process.isRunning, !Self.isStopped(process.processIdentifier) { usleep(1_000) }
            let state = try? await folder.registry.rows("""
                SELECT b.status, COUNT(s.id) AS stored FROM stamp_batches b LEFT JOIN stamps s ON s.batch_id = b.id
                WHERE b.lot = 'KILL' GROUP BY b.id, b.status
                """).first
            if let state, state["status"] == "issuing", state["stored"] != "0", !manifestWritten() {
                kill(process.processIdentifier, SIGKILL)
                seenIssuing = true
                break
            }
            kill(process.processIdentifier, SIGCONT)
            usleep(5_000)
        }
        process.waitUntilExit()
        #expect(seenIssuing, "the batch was never seen issuing with stamps stored")
        #expect(process.terminationReason == .uncaughtSignal, "killed, not finished")
        #expect(try await folder.registry.value("SELECT status FROM stamp_batches WHERE lot = 'KILL'") == "issuing")
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path("output/stamps"))) ?? []
        #expect(!files.contains { $0.hasSuffix("/manifest.csv") }, "no manifest for a batch that did not complete")
        let rerun = try OCOPTraceBinary.run(arguments + ["--json"], in: folder.url)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try await folder.registry.rows("SELECT COUNT(*) AS n, COUNT(DISTINCT serial) AS d, MAX(sequence) AS m FROM stamps")
                == [["n": "20000", "d": "20000", "m": "20000"]])
        #expect(try await folder.registry.rows("SELECT status FROM stamp_batches") == [["status": "issued"]])
    }

    @Test(arguments: RegistryEngine.available) func ordersNamingACatalogChangeNothing(engine: RegistryEngine) async throws {
        let folder = try await IssueCLIWorkspace(engine)
        folder.folder.write("new-catalog.csv", """
            product_code,name,producer,province,price_vnd
            MOI-1,Sản phẩm mới,HTX Mới,Thanh Hóa,10000

            """)
        let counts = "SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COUNT(*) FROM jobs) AS jobs"
        let before = try await folder.registry.rows(counts)
        let result = try folder.run(["issue", "--orders", "new-catalog.csv"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("new-catalog.csv is a catalog, not a stamp-order file"), "\(result.stderr)")
        #expect(try await folder.registry.rows(counts) == before)
    }

    @Test(arguments: RegistryEngine.available) func keysGenerateSignedIssueAndRetire(engine: RegistryEngine) async throws {
        let folder = try await IssueCLIWorkspace(engine)
        let generated = try folder.run(["keys", "generate", "--json"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let key = try #require(try jsonLines(generated.stdout).first?["key_id"] as? String)
        #expect(FileManager.default.fileExists(atPath: folder.path("keys/\(key).pub")))
        #expect(!generated.stdout.contains("private-key"))
        let signed = try folder.run(["issue", "--product", "MT-200", "--lot", "S1", "--count", "10", "--embed-signature", "--json"])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(try jsonLines(signed.stdout).first?["key_id"] as? String == key)
        let retired = try folder.run(["keys", "retire", key])
        #expect(retired.status == 0)
        let refused = try folder.run(["issue", "--product", "MT-200", "--lot", "S2", "--count", "10", "--embed-signature"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("keys generate"))
        let listed = try folder.run(["keys", "list", "--json"])
        #expect(try jsonLines(listed.stdout).first?["retired_at"] is String)
    }

    /// SQLite only for now: `--orders` imports the file, and the importer does not write through
    /// the store yet.
    @Test func issueFromAnOrdersFileThenRenderAgain() throws {
        let folder = try workspace()
        folder.write("orders.csv", "Mã sản phẩm,Số lô,Số lượng tem,Ngày sản xuất\nNC-500,Lô 1,12,2026-11-20\nMT-200,Lô 2,8,2026-11-20\n")
        let first = try OCOPTraceBinary.run(["issue", "--orders", "orders.csv"], in: folder.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("issued lot Lo-1 of NC-500: 12 stamps"))
        let second = try OCOPTraceBinary.run(["issue", "--orders", "orders.csv"], in: folder.url)
        #expect(second.stdout.contains("already issued"))
        let render = try OCOPTraceBinary.run(["render", "--lot", "Lô 1", "--size", "6", "--ecc", "q"], in: folder.url)
        #expect(render.status == 0, "\(render.stderr)")
        #expect(render.stdout.contains("re-rendered lot Lo-1"))
        let usage = try OCOPTraceBinary.run(["issue", "--product", "NC-500"], in: folder.url)
        #expect(usage.status == 64)
    }
}

private final class ConcurrentCommandResults: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var results: [Int: CommandResult] = [:]

    func set(_ index: Int, _ result: CommandResult?) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    func get(_ index: Int) -> CommandResult? {
        lock.lock()
        defer { lock.unlock() }
        return results[index]
    }
}

/// `ocoptrace labels` and the run stage, end to end.
@Suite struct LabelsCLITests {
    @Test(arguments: RegistryEngine.available) func listsLayoutsWritesAPDFAndRefusesTinyModules(engine: RegistryEngine) async throws {
        let folder = try await IssueCLIWorkspace(engine)
        let issued = try folder.run(["issue", "--product", "NC-500", "--lot", "L1", "--count", "30", "--no-png"])
        #expect(issued.status == 0, "\(issued.stderr)")
        let list = try folder.run(["labels", "--list-layouts"])
        for name in ["a4-5x13", "a4-4x10", "a4-3x8", "roll-50x30", "roll-40x30"] { #expect(list.stdout.contains(name)) }
        let written = try folder.run(["labels", "--lot", "L1", "--layout", "roll-50x30", "--out", "roll.pdf", "--json"])
        #expect(written.status == 0, "\(written.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(written.stdout.utf8)) as! [String: Any]
        #expect(report["pages"] as? Int == 30)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path("roll.pdf"))).starts(with: Data("%PDF".utf8)))
        let tiny = try folder.run(["labels", "--lot", "L1", "--page-size", "60x40", "--grid", "4x4", "--label-size", "15x10"])
        #expect(tiny.status == 1)
        #expect(tiny.stderr.contains("0.25 mm"))
        let unknown = try folder.run(["labels", "--lot", "L1", "--layout", "a5-1x1"])
        #expect(unknown.status == 64)
    }

    @Test func theMainJobWritesLabelSheets() throws {
        let folder = TemporaryFolder("ocoptrace-cli-run-labels")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("catalogs"), to: folder.url.appendingPathComponent("catalogs"))
        let run = try OCOPTraceBinary.run(["run", "--no-png"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        let pdfs = try FileManager.default.subpathsOfDirectory(atPath: folder.path("output/stamps")).filter { $0.hasSuffix("labels-a4-5x13.pdf") }
        #expect(pdfs.count == 7)
    }
}
