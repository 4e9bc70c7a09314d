import ArgumentParser
import Foundation
import OCOPTrace

struct ExportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export N generated products to every marketplace format, timed, with peak memory.",
        discussion: """
            Example:
              swift build -c release && swift run -c release ocoptrace-bench export --products 20000
            """
    )

    @Option(help: "Products in the generated catalog.")
    var products = 20_000

    @Option(help: ArgumentHelp("The ocoptrace executable (default: the one beside this benchmark).", valueName: "path"))
    var executable: String?

    @Flag(help: "Keep the work folder (registry, catalog, exports) for profiling, and print where it is.")
    var keep = false

    func run() throws {
        let folder = URL(fileURLWithPath: "output/bench-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep { print("kept \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) } }
        let binary = executable ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ocoptrace").path
        let db = folder.appendingPathComponent("registry.sqlite").path
        let catalog = folder.appendingPathComponent("catalog.csv")
        try CatalogGenerator(rows: products, priceBump: 0).write(to: catalog)
        try ChildRun.require(binary, ["import", "--db", db, catalog.path])
        var mapping: [String: [String: String]] = [:]
        for platform in ["shopee", "lazada", "tiki", "tiktok"] {
            mapping[platform] = Dictionary(uniqueKeysWithValues: (1...6).map { ("group:\($0)", "\(100_000 + $0)") })
        }
        let categories = folder.appendingPathComponent("categories.json")
        try JSONSerialization.data(withJSONObject: mapping).write(to: categories)
        let run = try ChildRun.measure(label: "export all", binary: binary, arguments: [
            "export", "--db", db, "--marketplace", "all", "--out", folder.appendingPathComponent("exports").path, "--categories", categories.path])
        print(String(format: "%d products, all marketplaces (6 formats): %.2f s, %.0f products/s, peak RSS %.1f MiB, exit %d",
                     products, run.seconds, Double(products) / run.seconds, Double(run.peakRSSKiB) / 1024, run.exitStatus))
    }
}
