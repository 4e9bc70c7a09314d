import ArgumentParser
import Foundation
import OCOPTrace

struct IssueBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue N stamps with PNGs, side by side with the C reference program and the qrencode command.",
        discussion: """
            In one run, on one disk: `ocoptrace issue` (a child process, on a fresh registry) issues N stamps \
            (serials, registry, QR encoding, PNG, files, manifest); the reference program \
            ../shared/bench/qr-reference.c, built here with cc, renders the same URLs (read from the \
            manifest) one PNG each on one core; and the `qrencode` command runs once per stamp on a sample. \
            Reports stamps/s for each, the ratios, ocoptrace's stage times, peak memory and QR versions.

            With --db postgres://…, the same issue also runs on a fresh database made on that PostgreSQL \
            server (and dropped afterwards), and both engines are reported side by side.

            Example:
              swift build -c release && swift run -c release ocoptrace-bench issue --stamps 100000
              swift run -c release ocoptrace-bench issue --stamps 100000 --embed-signature
              swift run -c release ocoptrace-bench issue --stamps 100000 --db postgres://postgres@127.0.0.1:5432/postgres
              swift run -c release ocoptrace-bench issue --stamps 100000 --registry-stamps 2000000
            """
    )

    @Option(help: "Stamps to issue.")
    var stamps = 100_000

    @Flag(help: "Issue signed stamps (AI 8030); the reference renders the same signed URLs.")
    var embedSignature = false

    @Option(help: "How many stamps the per-stamp qrencode command renders.")
    var qrencodeSample = 300

    @Option(help: ArgumentHelp("The reference program's source.", valueName: "path"))
    var reference = "../shared/bench/qr-reference.c"

    @Option(help: ArgumentHelp("The ocoptrace executable (default: the one beside this benchmark).", valueName: "path"))
    var executable: String?

    @Option(help: ArgumentHelp("Work folder (default: a new one in output/, on the disk real stamps go to, removed afterwards).", valueName: "folder"))
    var keep: String?

    @Option(help: ArgumentHelp("Also issue on PostgreSQL: a server URL; a fresh database is made on it for the run.", valueName: "url"))
    var db: String?

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Instead: issue --stamps without PNGs into an empty registry and into one filled with this many stamps first, and compare the cost per stamp.", valueName: "n"))
    var registryStamps: Int?

    /// The same issue on PostgreSQL.
    struct PostgresRun: Codable {
        var ocoptrace: ChildRun
        var stampsPerSecond: Double
        var stages: BatchReport?
        /// PostgreSQL's time over SQLite's, end to end.
        var timeOverSQLite: Double
    }

    struct Results: Codable {
        var stamps: Int
        var signed: Bool
        var ocoptrace: ChildRun
        var ocoptraceStampsPerSecond: Double
        var stages: BatchReport?
        var reference: ChildRun
        var referenceStampsPerSecond: Double
        var referenceEncodeOnly: ChildRun
        var referenceEncodeOnlyStampsPerSecond: Double
        /// Absent when the qrencode command is not installed (Debian's `qrencode`; scripts/setup.sh installs it).
        var qrencodeSample: Int?
        var qrencodeStampsPerSecond: Double?
        var speedupOverReference: Double
        var speedupOverQrencode: Double?
        var postgres: PostgresRun?
    }

    func run() async throws {
        let server = try db.map { try BenchPostgres(server: $0) }
        if let registryStamps { return try await runGrowth(registryStamps: registryStamps, server: server) }
        let folder = keep.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "output/bench-issue-\(UUID().uuidString)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let binary = executable ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ocoptrace").path
        let sqlite = folder.appendingPathComponent("registry.sqlite").path

        let catalog = try Self.writeCatalog(in: folder)
        try ChildRun.require(binary, ["import", "--db", sqlite, catalog.path])

        let output = folder.appendingPathComponent("ocoptrace-out")
        let (ours, stages) = try issue(db: sqlite, output: output, folder: folder, binary: binary)

        // The same issue on a fresh PostgreSQL database, with the same product.
        var postgres: PostgresRun?
        if let server {
            do {
                postgres = try await issueOnPostgres(try await server.freshDatabase(label: "issue"), catalog: catalog, folder: folder,
                                                     binary: binary, sqlite: ours)
                await server.dropAll()
            } catch {
                await server.dropAll()
                throw error
            }
        }

        // The same URLs, from the manifest, for the reference program and qrencode.
        let manifest = try FileManager.default.subpathsOfDirectory(atPath: output.path).first { $0.hasSuffix("manifest.csv") }
            .map { output.appendingPathComponent($0) }
        guard let manifest else { throw ValidationError("no manifest was written") }
        let payloads = folder.appendingPathComponent("payloads.txt")
        try Self.extractURLs(from: manifest, to: payloads)

        let referenceBinary = folder.appendingPathComponent("qr-reference").path
        try ChildRun.require("/bin/sh", ["-c", "cc -O2 '\(reference)' -o '\(referenceBinary)' $(pkg-config --cflags --libs libqrencode libpng)"])
        let referenceOut = folder.appendingPathComponent("reference-out")
        try FileManager.default.createDirectory(at: referenceOut, withIntermediateDirectories: true)
        let referenceRun = try ChildRun.measure(label: "qr-reference.c", binary: referenceBinary, arguments: [payloads.path, referenceOut.path])
        let encodeOnly = try ChildRun.measure(label: "qr-reference.c --encode-only", binary: referenceBinary,
                                              arguments: [payloads.path, "--encode-only"])

        var sample: [Substring] = []
        var qrencodeRate: Double?
        if let qrencode = ChildRun.findOnPath("qrencode") {
            let qrencodeOut = folder.appendingPathComponent("qrencode-out")
            try FileManager.default.createDirectory(at: qrencodeOut, withIntermediateDirectories: true)
            sample = Array(try String(contentsOf: payloads, encoding: .utf8).split(separator: "\n").prefix(qrencodeSample))
            let qrencodeStarted = Date()
            for (index, url) in sample.enumerated() {
                try ChildRun.require(qrencode, ["-o", qrencodeOut.appendingPathComponent("\(index).png").path,
                                                "-s", "4", "-m", "4", "-l", "M", String(url)])
            }
            qrencodeRate = Double(sample.count) / Date().timeIntervalSince(qrencodeStarted)
        } else {
            FileHandle.standardError.write(Data("ocoptrace-bench: the qrencode command is not installed (Debian package qrencode; scripts/setup.sh installs it): that comparison is skipped\n".utf8))
        }

        let ourRate = Double(stamps) / ours.seconds
        let referenceRate = Double(stamps) / referenceRun.seconds
        let results = Results(
            stamps: stamps, signed: embedSignature, ocoptrace: ours, ocoptraceStampsPerSecond: ourRate, stages: stages,
            reference: referenceRun, referenceStampsPerSecond: referenceRate, referenceEncodeOnly: encodeOnly,
            referenceEncodeOnlyStampsPerSecond: Double(stamps) / encodeOnly.seconds, qrencodeSample: qrencodeRate.map { _ in sample.count },
            qrencodeStampsPerSecond: qrencodeRate, speedupOverReference: ourRate / referenceRate, speedupOverQrencode: qrencodeRate.map { ourRate / $0 },
            postgres: postgres)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
            return
        }
        print("\(stamps) stamps\(embedSignature ? ", signed (AI 8030)" : ""), QR level M, 4 px modules, 4-module quiet zone; \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print(String(format: "ocoptrace issue (end to end)        %8.0f stamps/s  %6.2f s  peak RSS %6.1f MiB", ourRate, ours.seconds, Double(ours.peakRSSKiB) / 1024))
        if let stages, let render = stages.render {
            print(String(format: "  serials + registry                 %8.0f stamps/s  %6.2f s", Double(stamps) / stages.storeSeconds, stages.storeSeconds))
            print(String(format: "  render (encode, PNG, files, manifest) %5.0f stamps/s  %6.2f s wall", Double(stamps) / stages.renderSeconds, stages.renderSeconds))
            print(String(format: "    encode   %6.1f µs/stamp CPU, PNG %6.1f µs/stamp CPU, write %6.1f µs/stamp CPU",
                         render.encodeSeconds / Double(stamps) * 1e6, render.pngSeconds / Double(stamps) * 1e6,
                         render.writeSeconds / Double(stamps) * 1e6))
            print("  QR versions: " + render.versions.sorted { $0.key < $1.key }.map { "version \($0.key): \($0.value)" }.joined(separator: ", "))
        }
        if let postgres {
            print(String(format: "ocoptrace issue on PostgreSQL       %8.0f stamps/s  %6.2f s  peak RSS %6.1f MiB  → %.2f× SQLite's time",
                         postgres.stampsPerSecond, postgres.ocoptrace.seconds, Double(postgres.ocoptrace.peakRSSKiB) / 1024, postgres.timeOverSQLite))
            if let stages = postgres.stages {
                print(String(format: "  serials + registry                 %8.0f stamps/s  %6.2f s", Double(stamps) / stages.storeSeconds, stages.storeSeconds))
                print(String(format: "  render (encode, PNG, files, manifest) %5.0f stamps/s  %6.2f s wall", Double(stamps) / stages.renderSeconds, stages.renderSeconds))
            }
        }
        print(String(format: "qr-reference.c (1 core, PNGs)       %8.0f stamps/s  %6.2f s  → ocoptrace is %.2f×", referenceRate, referenceRun.seconds, ourRate / referenceRate))
        print(String(format: "qr-reference.c --encode-only        %8.0f stamps/s  %6.2f s", Double(stamps) / encodeOnly.seconds, encodeOnly.seconds))
        if let qrencodeRate {
            print(String(format: "qrencode command, one per stamp     %8.0f stamps/s  (%d stamps) → ocoptrace is %.1f×", qrencodeRate, sample.count, ourRate / qrencodeRate))
        } else {
            print("qrencode command, one per stamp     skipped: not installed")
        }
    }

    /// Runs `ocoptrace issue` on the registry `db` (keys first, when signing), writing to `output`.
    private func issue(db: String, output: URL, folder: URL, binary: String) throws -> (ChildRun, BatchReport?) {
        let keys = folder.appendingPathComponent("keys").path
        if embedSignature {
            try ChildRun.require(binary, ["keys", "generate", "--db", db, "--keys", keys])
        }
        var arguments = ["issue", "--db", db, "--product", "NC-500", "--lot", "NC2611A", "--count", String(stamps),
                         "--produced", "2026-11-20", "--output", output.path, "--keys", keys, "--json"]
        if embedSignature { arguments.append("--embed-signature") }
        let reportFile = folder.appendingPathComponent("issue-\(output.lastPathComponent).json")
        let run = try ChildRun.measure(label: "ocoptrace issue", binary: binary, arguments: arguments, stdout: reportFile.path)
        guard run.exitStatus == 0 else { throw ValidationError("ocoptrace issue --db \(db) failed (exit \(run.exitStatus))") }
        return (run, try? JSONDecoder().decode(BatchReport.self, from: Data(contentsOf: reportFile)))
    }

    /// The same catalog imported into a fresh PostgreSQL registry, then the same issue.
    private func issueOnPostgres(_ database: String, catalog: URL, folder: URL, binary: String, sqlite: ChildRun) async throws -> PostgresRun {
        try ChildRun.require(binary, ["import", "--db", database, catalog.path])
        // Keys of its own: a key id is recorded in one registry only.
        let postgresFolder = folder.appendingPathComponent("postgres")
        try FileManager.default.createDirectory(at: postgresFolder, withIntermediateDirectories: true)
        let (run, stages) = try issue(db: database, output: folder.appendingPathComponent("ocoptrace-postgres-out"),
                                      folder: postgresFolder, binary: binary)
        return PostgresRun(ocoptrace: run, stampsPerSecond: Double(stamps) / run.seconds, stages: stages,
                           timeOverSQLite: run.seconds / sqlite.seconds)
    }

    /// A registry's catalog with one product, as a cooperative would have: NC-500.
    static func writeCatalog(in folder: URL) throws -> URL {
        let catalog = folder.appendingPathComponent("catalog.csv")
        try """
            product_code,name,gtin,producer,producer_type,province,price_vnd,shelf_life_days
            NC-500,Nem chua Thanh Hóa hộp 500g,8938765000015,HTX Chế biến Nem chua Xuân Lập,HTX,Thanh Hóa,85000,7

            """.write(to: catalog, atomically: true, encoding: .utf8)
        return catalog
    }

    static func extractURLs(from manifest: URL, to payloads: URL) throws {
        let text = try String(contentsOf: manifest, encoding: .utf8)
        var out = ""
        for line in text.split(separator: "\n").dropFirst() {
            // sequence,serial,stamp_id,url,...: URLs hold no comma, so they are never quoted.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            out += fields[3] + "\n"
        }
        try out.write(to: payloads, atomically: true, encoding: .utf8)
    }
}
