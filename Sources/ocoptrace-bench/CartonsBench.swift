import ArgumentParser
import Foundation
import OCOPTrace

struct CartonsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cartons",
        abstract: "Pack a generated lot of N stamps into cartons of M, timed, with peak memory; SQLite and PostgreSQL side by side.",
        discussion: """
            Issues one lot of N stamps without PNGs (issue --no-png), then times `ocoptrace cartons \
            pack --per-carton M --no-labels` as a child process with its peak resident memory, then \
            a pack of a lot of N/100 the same way (memory should not grow with the lot). With --db \
            postgres://… the same runs go to a fresh database there too.

            Example:
              swift build -c release && swift run -c release ocoptrace-bench cartons --stamps 1000000 --per-carton 50
            """
    )

    @Option(help: "Stamps in the lot.")
    var stamps = 1_000_000

    @Option(help: "Stamps per carton.")
    var perCarton = 50

    @Option(help: ArgumentHelp("The ocoptrace executable (default: the one beside this benchmark).", valueName: "path"))
    var executable: String?

    @Option(help: ArgumentHelp("A PostgreSQL server to run the same packs on as well.", valueName: "postgres-url"))
    var db: String?

    @Flag(help: "With --db: PostgreSQL only (SQLite's runs left out).")
    var postgresOnly = false

    @Flag(help: "Keep the work folder and print where it is.")
    var keep = false

    func run() async throws {
        let postgres = try db.map { try BenchPostgres(server: $0) }
        let folder = URL(fileURLWithPath: "output/bench-cartons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep { print("kept \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) } }
        let binary = executable ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ocoptrace").path
        let catalog = folder.appendingPathComponent("catalog.csv")
        try """
            product_code,name,gtin,producer,province,price_vnd,gs1_company_prefix
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,8938765

            """.write(to: catalog, atomically: true, encoding: .utf8)
        var registries = postgresOnly ? [] : [("SQLite", folder.appendingPathComponent("registry.sqlite").path)]
        if let postgres { registries.append(("PostgreSQL", try await postgres.freshDatabase(label: "cartons"))) }
        let output = folder.appendingPathComponent("output").path
        var lines: [String] = []
        for (engine, registry) in registries {
            try ChildRun.require(binary, ["import", "--db", registry, catalog.path])
            let small = max(1, stamps / 100)
            for (lot, count) in [("BENCH", stamps), ("SMALL", small)] {
                let issue = try ChildRun.measure(label: "issue", binary: binary, arguments: [
                    "issue", "--db", registry, "--product", "NC-500", "--lot", lot, "--count", String(count), "--produced", "2026-11-20",
                    "--no-png", "--output", output])
                guard issue.exitStatus == 0 else { throw ValidationError("issue failed with exit \(issue.exitStatus)") }
                let pack = try ChildRun.measure(label: "pack", binary: binary, arguments: [
                    "cartons", "pack", "--db", registry, "--product", "NC-500", "--lot", lot, "--per-carton", String(perCarton),
                    "--no-labels", "--output", output])
                guard pack.exitStatus == 0 else { throw ValidationError("cartons pack failed with exit \(pack.exitStatus)") }
                let cartons = (count + perCarton - 1) / perCarton
                lines.append(String(format: "%@: pack %8d stamps into %6d cartons: %6.2f s, %9.0f stamps/s, peak RSS %6.1f MiB",
                                    engine, count, cartons, pack.seconds, Double(count) / pack.seconds, Double(pack.peakRSSKiB) / 1024))
            }
        }
        await postgres?.dropAll()
        print("binary \(binary)")
        lines.forEach { print($0) }
    }
}
