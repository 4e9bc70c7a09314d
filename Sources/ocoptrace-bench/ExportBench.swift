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
        // A shop's own leaf per OCOP group (real ids of the shipped trees, so every id is checked and
        // found there); product kinds fall back to the shipped mapping.
        let leaves = ["shopee": ["100657", "100837", "101581", "101165", "101176", "100657"],
                      "lazada": ["10003064", "14470", "13036", "13036", "12965", "10003064"],
                      "tiki": ["11304", "4425", "11251", "18344", "18890", "11304"],
                      "tiktok": ["918280", "917384", "950920", "600299", "853776", "918280"]]
        let mapping = leaves.mapValues { ids in Dictionary(uniqueKeysWithValues: ids.enumerated().map { ("group:\($0.offset + 1)", $0.element) }) }
        let categories = folder.appendingPathComponent("categories.json")
        try JSONSerialization.data(withJSONObject: mapping).write(to: categories)
        let run = try ChildRun.measure(label: "export all", binary: binary, arguments: [
            "export", "--db", db, "--marketplace", "all", "--out", folder.appendingPathComponent("exports").path, "--categories", categories.path])
        print(String(format: "%d products, all marketplaces (6 formats): %.2f s, %.0f products/s, peak RSS %.1f MiB, exit %d",
                     products, run.seconds, Double(products) / run.seconds, Double(run.peakRSSKiB) / 1024, run.exitStatus))
    }
}
