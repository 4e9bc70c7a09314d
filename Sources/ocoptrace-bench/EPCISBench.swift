import ArgumentParser
import Foundation
import OCOPTrace

struct EPCISBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epcis",
        abstract: "Export a generated batch of N stamps as an EPCIS 2.0 document, timed, with peak memory.",
        discussion: """
            Issues one batch of N stamps and one of N/100 without PNGs (issue --no-png), then times \
            `ocoptrace epcis --out` on each as a child process with its peak resident memory: the two \
            figures show whether memory stays flat. With --validate the \
            document is then checked against GS1's EPCIS JSON Schema with Python jsonschema (not timed).

            Example:
              swift build -c release && swift run -c release ocoptrace-bench epcis --stamps 1000000
            """
    )

    @Option(help: "Stamps in the batch.")
    var stamps = 1_000_000

    @Option(help: ArgumentHelp("The ocoptrace executable (default: the one beside this benchmark).", valueName: "path"))
    var executable: String?

    @Option(help: ArgumentHelp("Validate the document with this EPCIS JSON Schema (slow for large documents).", valueName: "schema"))
    var validate: String?

    @Flag(help: "Keep the work folder (registry, document) and print where it is.")
    var keep = false

    @Option(help: ArgumentHelp("Pack both lots into cartons of this many stamps and ship every carton (0: no chain events), and ship each lot, so the document holds aggregation and shipping events too.", valueName: "n"))
    var perCarton = 50

    func run() throws {
        let folder = URL(fileURLWithPath: "output/bench-epcis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep { print("kept \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) } }
        let binary = executable ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ocoptrace").path
        let db = folder.appendingPathComponent("registry.sqlite").path
        let catalog = folder.appendingPathComponent("catalog.csv")
        try """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days,gln
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7,8938765000008

            """.write(to: catalog, atomically: true, encoding: .utf8)
        try ChildRun.require(binary, ["import", "--db", db, catalog.path])
        let small = max(1, stamps / 100)
        let issueSmall = try ChildRun.measure(label: "issue", binary: binary, arguments: [
            "issue", "--db", db, "--product", "NC-500", "--lot", "SMALL", "--count", String(small), "--produced", "2026-11-20",
            "--no-png", "--output", folder.appendingPathComponent("output").path])
        let issue = try ChildRun.measure(label: "issue", binary: binary, arguments: [
            "issue", "--db", db, "--product", "NC-500", "--lot", "BENCH", "--count", String(stamps), "--produced", "2026-11-20",
            "--no-png", "--output", folder.appendingPathComponent("output").path])
        guard issueSmall.exitStatus == 0, issue.exitStatus == 0 else { throw ValidationError("issue failed with exit \(issue.exitStatus)") }
        if perCarton > 0 {
            // A carton per `perCarton` stamps, and each lot shipped to a distributor.
            for lot in ["SMALL", "BENCH"] {
                try ChildRun.require(binary, ["cartons", "pack", "--db", db, "--product", "NC-500", "--lot", lot, "--per-carton", String(perCarton),
                                              "--company-prefix", "8938765", "--no-labels", "--output", folder.appendingPathComponent("output").path])
                try ChildRun.require(binary, ["ship", "--db", db, "--product", "NC-500", "--lot", lot, "--to", "Đại lý Hà Nội",
                                              "--to-province", "Hà Nội", "--at", "2026-11-22T08:00"])
            }
        }
        let smallDocument = folder.appendingPathComponent("small.jsonld").path
        let smallRun = try ChildRun.measure(label: "epcis small", binary: binary, arguments: [
            "epcis", "--db", db, "--lot", "SMALL", "--out", smallDocument])
        let document = folder.appendingPathComponent("epcis.jsonld").path
        let run = try ChildRun.measure(label: "epcis", binary: binary, arguments: ["epcis", "--db", db, "--lot", "BENCH", "--out", document])
        let size = (try FileManager.default.attributesOfItem(atPath: document)[.size] as? Int) ?? 0
        print(String(format: "issue %d stamps (--no-png): %.2f s", stamps, issue.seconds)
              + (perCarton > 0 ? "; packed in cartons of \(perCarton), the lot shipped" : ""))
        print(String(format: "epcis %8d stamps: %6.2f s, %9.0f stamps/s, %7.1f MiB document, peak RSS %6.1f MiB, exit %d",
                     stamps, run.seconds, Double(stamps) / run.seconds, Double(size) / 1_048_576, Double(run.peakRSSKiB) / 1024, run.exitStatus))
        print(String(format: "epcis %8d stamps: %6.2f s, peak RSS %6.1f MiB (memory should not grow with the batch)",
                     small, smallRun.seconds, Double(smallRun.peakRSSKiB) / 1024))
        if let validate {
            guard let python = ChildRun.findOnPath("python3") else { throw ValidationError("--validate needs python3 with jsonschema") }
            let script = """
                import json, sys
                from jsonschema import Draft7Validator, FormatChecker
                validator = Draft7Validator(json.load(open(sys.argv[1])), format_checker=FormatChecker())
                errors = sum(1 for _ in validator.iter_errors(json.load(open(sys.argv[2]))))
                print(errors)
                sys.exit(1 if errors else 0)
                """
            let check = try ChildRun.measure(label: "validate", binary: python, arguments: ["-c", script, validate, document])
            print(check.exitStatus == 0 ? "schema: valid (\(String(format: "%.0f", check.seconds)) s in jsonschema)" : "schema: INVALID")
        }
    }
}
