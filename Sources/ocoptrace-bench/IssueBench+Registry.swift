import ArgumentParser
import Foundation
import OCOPTrace

/// `issue --registry-stamps N`: what issuing costs per stamp in a registry that already holds N
/// stamps, against an empty one.
extension IssueBench {
    /// One engine's figures.
    struct GrowthRun: Codable {
        var engine: String
        var registryStamps: Int
        var fillSeconds: Double
        /// `ocoptrace issue --no-png` of `stamps` into the empty registry, then into the filled one:
        /// the fastest of three runs each (other work on the machine only ever slows a run).
        var empty: ChildRun
        var filled: ChildRun
        var microsecondsPerStampEmpty: Double
        var microsecondsPerStampFilled: Double
        /// Filled over empty, wall time and CPU time: 1 means issuing costs the same whatever the registry holds.
        var ratio: Double
        var cpuRatio: Double
    }

    /// Stamps per batch and per transaction when filling: as large as issuing allows.
    private static let fillBatch = 1_000_000
    private static let fillChunk = 100_000

    func runGrowth(registryStamps: Int, server: BenchPostgres?) async throws {
        let folder = keep.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: "output/bench-growth-\(UUID().uuidString)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let binary = executable ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ocoptrace").path
        let catalog = try Self.writeCatalog(in: folder)

        var runs = [try await growth(engine: "sqlite", db: folder.appendingPathComponent("registry.sqlite").path, registryStamps: registryStamps,
                                     catalog: catalog, folder: folder, binary: binary)]
        if let server {
            do {
                runs.append(try await growth(engine: "postgres", db: try await server.freshDatabase(label: "growth"),
                                             registryStamps: registryStamps, catalog: catalog, folder: folder, binary: binary))
                await server.dropAll()
            } catch {
                await server.dropAll()
                throw error
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(runs), as: UTF8.self))
            return
        }
        for run in runs {
            print(String(format: "%@: issue %d stamps (no PNGs): empty registry %.2f µs/stamp (%.2f s, CPU %.2f s); with %d stamps %.2f µs/stamp "
                         + "(%.2f s, CPU %.2f s) → %.2f× (CPU %.2f×); filling took %.0f s", run.engine as NSString, stamps,
                         run.microsecondsPerStampEmpty, run.empty.seconds, run.empty.cpuSeconds, run.registryStamps,
                         run.microsecondsPerStampFilled, run.filled.seconds, run.filled.cpuSeconds, run.ratio, run.cpuRatio, run.fillSeconds))
        }
    }

    /// Issues into the empty registry, fills it with `registryStamps` more, and issues again.
    private func growth(engine: String, db: String, registryStamps: Int, catalog: URL, folder: URL, binary: String) async throws -> GrowthRun {
        try ChildRun.require(binary, ["import", "--db", db, catalog.path])
        let empty = try fastestIssue(db: db, lot: "EMPTY", folder: folder, binary: binary)
        let started = Date()
        try await fill(db, with: registryStamps)
        let fillSeconds = Date().timeIntervalSince(started)
        let filled = try fastestIssue(db: db, lot: "FILLED", folder: folder, binary: binary)
        let perStamp = { (run: ChildRun) in run.seconds / Double(stamps) * 1e6 }
        return GrowthRun(engine: engine, registryStamps: registryStamps, fillSeconds: fillSeconds, empty: empty, filled: filled,
                         microsecondsPerStampEmpty: perStamp(empty), microsecondsPerStampFilled: perStamp(filled),
                         ratio: filled.seconds / empty.seconds, cpuRatio: filled.cpuSeconds / empty.cpuSeconds)
    }

    /// Three issues of `stamps` (three lots), the fastest.
    private func fastestIssue(db: String, lot: String, folder: URL, binary: String) throws -> ChildRun {
        let runs = try (1...3).map { try issueWithoutPNGs(db: db, lot: "\(lot)\($0)", folder: folder, binary: binary) }
        return runs.min { $0.seconds < $1.seconds }!
    }

    private func issueWithoutPNGs(db: String, lot: String, folder: URL, binary: String) throws -> ChildRun {
        let output = folder.appendingPathComponent("out-\(lot)")
        defer { try? FileManager.default.removeItem(at: output) }
        let run = try ChildRun.measure(label: "ocoptrace issue --no-png", binary: binary, arguments: [
            "issue", "--db", db, "--product", "NC-500", "--lot", lot, "--count", String(stamps), "--produced", "2026-11-20",
            "--no-png", "--output", output.path])
        guard run.exitStatus == 0 else { throw ValidationError("ocoptrace issue --db \(db) failed (exit \(run.exitStatus))") }
        return run
    }

    /// Adds `count` random stamps in issued batches of a million, through the store's own append
    /// (the path `issue` takes), a hundred thousand a transaction; no PNGs, no manifests.
    private func fill(_ db: String, with count: Int) async throws {
        try await RegistryStores.with(try RegistryLocation(parsing: db), access: .readWrite) { store in
            guard let product = try await store.issuableProducts(code: "NC-500").first else { throw ValidationError("no product NC-500") }
            var generator = SystemRandomNumberGenerator()
            var added = 0
            var batchNumber = 0
            while added < count {
                batchNumber += 1
                let quantity = min(Self.fillBatch, count - added)
                let lot = "FILL\(batchNumber)"
                guard case .created(let batchID) = try await store.createBatch(NewStampBatch(
                    productID: product.id, orderID: nil, lot: lot, lotLabel: lot, quantity: quantity, producedOn: "2026-01-01",
                    expiresOn: nil, resolver: IssueOptions.defaultResolver, keyID: nil, folder: "stamps/fill/\(lot)", createdAt: Timestamp.now()))
                else { throw ValidationError("the registry already has a lot \(lot)") }
                var stored = 0
                while stored < quantity {
                    // Serials drawn as `issue` draws them, a chunk at a time.
                    let wanted = min(Self.fillChunk, quantity - stored)
                    let drafts = stride(from: 0, to: wanted, by: StampIssuer.storeChunk)
                        .flatMap { Serial.randomChunk(min(StampIssuer.storeChunk, wanted - $0), using: &generator) }
                        .sorted().map { DrawnStamp(serial: $0, signature: nil) }
                    stored = try await store.appendStamps(drafts, toBatch: batchID).stored
                }
                try await store.completeBatch(id: batchID, orderID: nil, job: JobStart(kind: "bench-fill", file: nil, startedAt: Timestamp.now()),
                                              counts: JobCounts(rowsRead: quantity, inserted: quantity, unchanged: 0), message: lot)
                added += quantity
                FileHandle.standardError.write(Data("ocoptrace-bench: filled \(added) of \(count) stamps\n".utf8))
            }
        }
    }
}
