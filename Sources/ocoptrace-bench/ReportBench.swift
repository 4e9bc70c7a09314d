import ArgumentParser
import Foundation
import OCOPTrace

struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Time `ocoptrace report` on a registry of N stamps and M scans, with its peak memory.",
        discussion: """
            Fills a fresh registry through the store's own operations (a generated catalog of 500 \
            products of ten producers; issued batches of 50,000 stamps; scans spread over 90 days, \
            with every verdict and a few places), then runs `ocoptrace report` (the HTML page) and \
            `report --json` on it as child processes, and the same on a registry a hundredth the size: \
            the figures are counted by the database, so time grows with the registry but memory does not. \
            The fill ends by settling the registry (`VACUUM (ANALYZE)` on PostgreSQL, what autovacuum \
            does a minute after a bulk load); --unsettled times the report right after the fill instead, \
            beside autovacuum.

            With --db postgres://… the same runs on a fresh database there too; it is dropped afterwards, \
            unless --keep is given: then the databases are kept and their URLs printed, to look into \
            the report's query plans.

            Examples:
              swift run -c release ocoptrace-bench report
              swift run -c release ocoptrace-bench report --stamps 100000 --scans 100000 --db postgres://postgres@127.0.0.1:55432/postgres
            """
    )

    @Option(help: "Stamps in the registry.")
    var stamps = 1_000_000

    @Option(help: "Scans in the registry.")
    var scans = 1_000_000

    @Option(help: "The ocoptrace executable to measure (default: the one beside this benchmark).")
    var executable: String?

    @Option(help: ArgumentHelp("A PostgreSQL server to run the same report on as well.", valueName: "postgres-url"))
    var db: String?

    @Option(help: ArgumentHelp("Keep the registry in this folder (default: a new one in output/, removed afterwards), and keep the PostgreSQL databases too.",
                               valueName: "folder"))
    var keep: String?

    @Flag(help: "Report right after the fill, without settling the registry first (PostgreSQL: autovacuum may run beside the report).")
    var unsettled = false

    @Flag(help: "Print the results as JSON.")
    var json = false

    static let batchSize = 50_000
    static let scanChunk = 100_000

    struct Result: Codable {
        var engine: String
        var stamps: Int
        var scans: Int
        var fillSeconds: Double
        var page: ChildRun
        var json: ChildRun
    }

    func run() async throws {
        let server = try db.map { try BenchPostgres(server: $0) }
        let folder = keep.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: "output/bench-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let binary = executable ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ocoptrace").path
        let catalog = folder.appendingPathComponent("catalog.csv")
        try CatalogGenerator(rows: 500, priceBump: 0).write(to: catalog)

        var results: [Result] = []
        for (engine, size) in [("sqlite", 1), ("sqlite", 100)] {
            let db = folder.appendingPathComponent("registry-\(size).sqlite").path
            results.append(try await measure(engine: engine, db: db, divisor: size, catalog: catalog, folder: folder, binary: binary))
        }
        if let server {
            do {
                for size in [1, 100] {
                    let db = try await server.freshDatabase(label: "report")
                    results.append(try await measure(engine: "postgres", db: db, divisor: size, catalog: catalog, folder: folder, binary: binary))
                    if keep != nil { FileHandle.standardError.write(Data("ocoptrace-bench: kept \(db)\n".utf8)) }
                }
                if keep == nil { await server.dropAll() }
            } catch {
                await server.dropAll()
                throw error
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
            return
        }
        for result in results {
            print(String(format: "%@ %9d stamps %9d scans: report %6.2f s (CPU %6.2f s) peak RSS %6.1f MiB; --json %6.2f s peak RSS %6.1f MiB; fill %.0f s",
                         result.engine as NSString, result.stamps, result.scans, result.page.seconds, result.page.cpuSeconds,
                         Double(result.page.peakRSSKiB) / 1024, result.json.seconds, Double(result.json.peakRSSKiB) / 1024, result.fillSeconds))
        }
    }

    private func measure(engine: String, db: String, divisor: Int, catalog: URL, folder: URL, binary: String) async throws -> Result {
        let (stamps, scans) = (max(1, self.stamps / divisor), max(1, self.scans / divisor))
        let started = Date()
        try await fill(db, catalog: catalog, stamps: stamps, scans: scans)
        let fillSeconds = Date().timeIntervalSince(started)
        let page = folder.appendingPathComponent("report-\(engine)-\(divisor).html").path
        let html = try ChildRun.measure(label: "report", binary: binary, arguments: ["report", "--db", db, "--out", page])
        guard html.exitStatus == 0 else { throw ValidationError("ocoptrace report --db \(db) failed (exit \(html.exitStatus))") }
        let json = try ChildRun.measure(label: "report --json", binary: binary, arguments: ["report", "--db", db, "--json", "--out", page])
        guard json.exitStatus == 0 else { throw ValidationError("ocoptrace report --json --db \(db) failed (exit \(json.exitStatus))") }
        return Result(engine: engine, stamps: stamps, scans: scans, fillSeconds: fillSeconds, page: html, json: json)
    }

    /// The catalog, `stamps` stamps in issued batches over twenty products of ten producers, five
    /// per cent of them revoked, and `scans` scans of random stamps over 90 days.
    private func fill(_ db: String, catalog: URL, stamps: Int, scans: Int) async throws {
        try await RegistryStores.with(try RegistryLocation(parsing: db), access: .readWrite) { store in
            let imported = try await CatalogImporter(store: store).importFile(at: catalog)
            guard imported.outcome == .succeeded else { throw ValidationError("the generated catalog did not import: \(imported.outcome)") }
            var generator = SystemRandomNumberGenerator()
            var added = 0
            var batchNumber = 0
            var revoke: [Serial] = []
            while added < stamps {
                let code = "SP-\((batchNumber % 10) * 50 + batchNumber % 20 / 10)"
                guard let product = try await store.issuableProducts(code: code).first else { throw ValidationError("no product \(code)") }
                batchNumber += 1
                let quantity = min(Self.batchSize, stamps - added)
                let lot = "R\(batchNumber)"
                guard case .created(let batchID) = try await store.createBatch(NewStampBatch(
                    productID: product.id, orderID: nil, lot: lot, lotLabel: lot, quantity: quantity, producedOn: "2026-09-01",
                    expiresOn: nil, resolver: IssueOptions.defaultResolver, keyID: nil, folder: "stamps/bench/\(lot)", createdAt: Timestamp.now()))
                else { throw ValidationError("the registry already has a lot \(lot)") }
                let drafts = stride(from: 0, to: quantity, by: StampIssuer.storeChunk)
                    .flatMap { Serial.randomChunk(min(StampIssuer.storeChunk, quantity - $0), using: &generator) }
                    .sorted().map { DrawnStamp(serial: $0, signature: nil) }
                _ = try await store.appendStamps(drafts, toBatch: batchID)
                try await store.completeBatch(id: batchID, orderID: nil, job: JobStart(kind: "bench-fill", file: nil, startedAt: Timestamp.now()),
                                              counts: JobCounts(rowsRead: quantity, inserted: quantity, unchanged: 0), message: lot)
                revoke += drafts.prefix(quantity / 20).map(\.serial)
                added += quantity
            }
            _ = try await store.revokeStamps(serials: revoke, reason: "bench")
            // Scans of random stamps (the registry's ids run 1...stamps), mostly genuine, over 90 days.
            let start = 1_788_220_800_000  // 2026-09-01T00:00:00Z
            let places: [String?] = [nil, nil, nil, "Thanh Hóa", "Hà Nội", "Nghệ An"]
            let statuses: [VerificationStatus] = Array(repeating: .genuine, count: 16) + [.revoked, .unknown, .forged, .pending]
            var recorded = 0
            while recorded < scans {
                let count = min(Self.scanChunk, scans - recorded)
                let chunk = (0..<count).map { _ in
                    InspectorScan(stampID: Int64.random(in: 1...Int64(stamps), using: &generator),
                                  scannedAt: Timestamp.string(milliseconds: start + Int.random(in: 0..<90 * 86_400_000, using: &generator)),
                                  inspector: nil, location: places.randomElement(using: &generator)!, status: statuses.randomElement(using: &generator)!)
                }
                try await store.recordScans(chunk)
                recorded += count
                FileHandle.standardError.write(Data("ocoptrace-bench: \(added) stamps, \(recorded) of \(scans) scans\n".utf8))
            }
            // As a registry in service is by the time anyone reports on it: autovacuum has been by.
            if !unsettled { try await store.settleAfterBulkWrites() }
        }
    }
}
