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
}
