import Foundation
import Testing
import TestSupport

/// The benchmarks' own behaviour on a machine that lacks a tool they compare against.
@Suite struct BenchCLITests {
    @Test func issueBenchmarkSkipsTheQrencodeComparisonWhenTheCommandIsMissing() throws {
        let folder = TemporaryFolder()
        // A PATH with every command of this machine but qrencode.
        let commands = folder.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: commands, withIntermediateDirectories: true)
        for directory in ["/usr/local/bin", "/usr/bin", "/bin"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name != "qrencode" {
                let link = commands.appendingPathComponent(name)
                if !FileManager.default.fileExists(atPath: link.path) {
                    try? FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: directory + "/" + name)
                }
            }
        }
        let bench = OCOPTraceBinary.url.deletingLastPathComponent().appendingPathComponent("ocoptrace-bench")
        let reference = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/bench/qr-reference.c")
        let process = Process()
        process.executableURL = bench
        process.arguments = ["issue", "--stamps", "20", "--qrencode-sample", "3", "--reference", reference.path,
                             "--executable", OCOPTraceBinary.url.path, "--keep", folder.path("work")]
        process.currentDirectoryURL = folder.url
        process.environment = ProcessInfo.processInfo.environment.merging(["PATH": commands.path]) { $1 }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(err)")
        #expect(err.contains("the qrencode command is not installed"), "\(err)")
        #expect(out.contains("qrencode command, one per stamp     skipped: not installed"), "\(out)")
        #expect(out.contains("qr-reference.c (1 core, PNGs)"), "the other comparison still runs")
    }

    @Test(arguments: RegistryEngine.available) func issueBenchmarkFillsTheRegistryThenComparesTheCostPerStamp(engine: RegistryEngine) throws {
        let folder = TemporaryFolder()
        let bench = OCOPTraceBinary.url.deletingLastPathComponent().appendingPathComponent("ocoptrace-bench")
        var arguments = ["issue", "--stamps", "200", "--registry-stamps", "2500", "--executable", OCOPTraceBinary.url.path,
                         "--keep", folder.path("work"), "--json"]
        if engine == .postgres, let server = RegistryEngine.postgresServer { arguments += ["--db", server.text] }
        let process = Process()
        process.executableURL = bench
        process.arguments = arguments
        process.currentDirectoryURL = folder.url
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let runs = try #require(try JSONSerialization.jsonObject(with: out) as? [[String: Any]])
        #expect(runs.map { $0["engine"] as? String } == (engine == .postgres ? ["sqlite", "postgres"] : ["sqlite"]))
        for run in runs {
            #expect(run["registryStamps"] as? Int == 2500)
            #expect((run["ratio"] as? Double ?? 0) > 0)
        }
        // The filled registry holds the stamps asked for, issued, besides the measured lots.
        let registry = folder.path("work/registry.sqlite")
        let filled = try OCOPTraceBinary.run(["jobs", "--json", "--db", registry], in: folder.url)
        #expect(filled.stdout.components(separatedBy: "\"bench-fill\"").count - 1 == 1, "\(filled.stdout)")
    }
}
