import ArgumentParser
import Foundation
import OCOPTrace

struct LabelsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Write the label PDF of a batch of N stamps, in each built-in layout, with peak memory.",
        discussion: """
            Issues N stamps (manifest only), then times `ocoptrace labels --lot` for each layout as a \
            child process; run it with two sizes to see memory stay flat.

            Example:
              swift build -c release && swift run -c release ocoptrace-bench labels --labels 10000
            """
    )

    @Option(help: "Labels in the batch.")
    var labels = 10_000

    @Option(help: ArgumentHelp("The ocoptrace executable (default: the one beside this benchmark).", valueName: "path"))
    var executable: String?

    func run() throws {
        let folder = URL(fileURLWithPath: "output/bench-labels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = executable ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ocoptrace").path
        let db = folder.appendingPathComponent("registry.sqlite").path
        let catalog = folder.appendingPathComponent("catalog.csv")
        try """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days,ocop_stars,ocop_recognized_on
            NC-500,Nem chua Thanh Hóa hộp 500g đặc biệt loại ngon,8938765000015,HTX Chế biến Nem chua Xuân Lập,Thanh Hóa,85000,7,4,2024-06-12

            """.write(to: catalog, atomically: true, encoding: .utf8)
        try ChildRun.require(binary, ["import", "--db", db, catalog.path])
        try ChildRun.require(binary, ["issue", "--db", db, "--product", "NC-500", "--lot", "L1", "--count", String(labels), "--no-png",
                                      "--produced", "2026-11-20", "--output", folder.appendingPathComponent("out").path])
        print("\(labels) labels, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for layout in LabelLayout.builtIn {
            let pdf = folder.appendingPathComponent("\(layout.name).pdf").path
            let run = try ChildRun.measure(label: layout.name, binary: binary, arguments: ["labels", "--db", db, "--lot", "L1", "--layout", layout.name, "--out", pdf])
            guard run.exitStatus == 0 else { throw ValidationError("labels \(layout.name) exited \(run.exitStatus)") }
            let size = (try FileManager.default.attributesOfItem(atPath: pdf)[.size] as? Int) ?? 0
            print(String(format: "%-11@ %6.2f s  %8.0f labels/s  %6.1f MiB PDF  peak RSS %6.1f MiB", layout.name as NSString, run.seconds,
                         Double(labels) / run.seconds, Double(size) / 1_048_576, Double(run.peakRSSKiB) / 1024))
        }
    }
}
