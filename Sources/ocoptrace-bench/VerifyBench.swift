import ArgumentParser
import Foundation
import OCOPTrace

struct VerifyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify N scanned URLs from a file: registry mode (recording scans), offline with a pack, offline by signature.",
        discussion: """
            Sets up a registry with N unsigned and N signed stamps (manifests only, `issue --no-png`), \
            then times the real `ocoptrace verify --file` on their URLs in each mode, a single \
            `ocoptrace verify URL`, and the loading of an offline pack of --pack-stamps stamps.

            Example:
              swift build -c release && swift run -c release ocoptrace-bench verify --urls 100000
            """
    )

    @Option(help: "URLs to verify in each mode.")
    var urls = 100_000

    @Option(help: "Stamps in the large pack whose loading is timed.")
    var packStamps = 500_000

    @Option(help: ArgumentHelp("The ocoptrace executable (default: the one beside this benchmark).", valueName: "path"))
    var executable: String?

    @Option(help: ArgumentHelp("Work folder (default: a new one in output/, removed afterwards).", valueName: "folder"))
    var keep: String?

    func run() throws {
        let folder = keep.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: "output/bench-verify-\(UUID().uuidString)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let binary = executable ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ocoptrace").path
        let db = folder.appendingPathComponent("registry.sqlite").path
        let keys = folder.appendingPathComponent("keys").path
        let output = folder.appendingPathComponent("out").path
        let catalog = folder.appendingPathComponent("catalog.csv")
        try """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days,ocop_stars,ocop_recognized_on
            NC-500,Nem chua Thanh Hóa hộp 500g,8938765000015,HTX Chế biến Nem chua Xuân Lập,Thanh Hóa,85000,7,4,2024-06-12
            MT-200,Mắm tép Hậu Lộc 200g,8939123400119,Công ty TNHH Mắm tép Hậu Lộc,Thanh Hóa,65000,365,5,2024-09-15

            """.write(to: catalog, atomically: true, encoding: .utf8)
        try ChildRun.require(binary, ["import", "--db", db, catalog.path])
        try ChildRun.require(binary, ["keys", "generate", "--db", db, "--keys", keys])
        let common = ["--db", db, "--keys", keys, "--output", output, "--no-png", "--produced", "2026-11-20"]
        try ChildRun.require(binary, ["issue", "--product", "NC-500", "--lot", "PLAIN", "--count", String(urls)] + common)
        try ChildRun.require(binary, ["issue", "--product", "MT-200", "--lot", "SIGNED", "--count", String(urls), "--embed-signature"] + common)
        let manifests = try FileManager.default.subpathsOfDirectory(atPath: output).filter { $0.hasSuffix("manifest.csv") }.sorted()
        let plainURLs = folder.appendingPathComponent("plain.txt")
        let signedURLs = folder.appendingPathComponent("signed.txt")
        for manifest in manifests {
            let target = manifest.contains("SIGNED") ? signedURLs : plainURLs
            try IssueBench.extractURLs(from: URL(fileURLWithPath: output).appendingPathComponent(manifest), to: target)
        }
        let publicKey = try FileManager.default.contentsOfDirectory(atPath: keys).first { $0.hasSuffix(".pub") }.map { keys + "/" + $0 }!
        let pack = folder.appendingPathComponent("province.pack").path
        try ChildRun.require(binary, ["pack", "--db", db, "--keys", keys, "--out", pack])

        func rate(_ label: String, _ arguments: [String]) throws -> Double {
            let run = try ChildRun.measure(label: label, binary: binary, arguments: arguments)
            guard run.exitStatus == 0 else { throw ValidationError("\(label) exited \(run.exitStatus)") }
            let perSecond = Double(urls) / run.seconds
            print(String(format: "%-44@ %9.0f URLs/s  %6.2f s  peak RSS %6.1f MiB", label as NSString, perSecond, run.seconds,
                         Double(run.peakRSSKiB) / 1024))
            return perSecond
        }
        print("\(urls) URLs per mode; \(ProcessInfo.processInfo.activeProcessorCount) cores")
        _ = try rate("registry, recording scans", ["verify", "--db", db, "--file", plainURLs.path, "--json", "--location", "bench"])
        _ = try rate("registry, --no-record", ["verify", "--db", db, "--file", plainURLs.path, "--json", "--no-record"])
        _ = try rate("offline, pack", ["verify", "--offline", "--pack", pack, "--public-key", publicKey, "--file", plainURLs.path, "--json"])
        _ = try rate("offline, embedded signatures, key only", ["verify", "--offline", "--public-key", publicKey, "--file", signedURLs.path, "--json"])

        let oneURL = try String(contentsOf: plainURLs, encoding: .utf8).split(separator: "\n")[urls / 2]
        var times: [Double] = []
        for _ in 0..<15 {
            times.append(try ChildRun.measure(label: "one", binary: binary, arguments: ["verify", "--db", db, "--no-record", String(oneURL)]).seconds)
        }
        times.sort()
        print(String(format: "single `ocoptrace verify URL` (registry)     median %5.1f ms, slowest %5.1f ms", times[times.count / 2] * 1000, times.last! * 1000))

        // A province's year: a pack of --pack-stamps stamps, loaded for one check.
        if packStamps > 0 {
            try ChildRun.require(binary, ["issue", "--product", "NC-500", "--lot", "YEAR", "--count", String(packStamps)] + common)
            let big = folder.appendingPathComponent("year.pack").path
            try ChildRun.require(binary, ["pack", "--db", db, "--keys", keys, "--out", big])
            let size = (try FileManager.default.attributesOfItem(atPath: big)[.size] as? Int) ?? 0
            let stamps = packStamps + 2 * urls
            var loads: [Double] = []
            for _ in 0..<5 {
                loads.append(try ChildRun.measure(label: "load", binary: binary, arguments: [
                    "verify", "--offline", "--pack", big, "--public-key", publicKey, String(oneURL)]).seconds)
            }
            loads.sort()
            print(String(format: "pack of %d stamps: %d bytes (%.1f bytes/stamp); load + one check: median %.0f ms",
                         stamps, size, Double(size) / Double(stamps), loads[loads.count / 2] * 1000))
        }
    }
}
