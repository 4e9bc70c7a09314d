import Foundation
import OCOPTrace
import TestSupport

/// The built `ocoptrace serve` on a free port, as a cooperative runs it, its log in a file.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: set up in init, then only read (Process is thread-safe for what is used here).
    let process = Process()
    let log: URL
    private(set) var port = 0
    private(set) var adminPort = 0

    /// - Parameters:
    ///   - openFiles: run under this open-file limit (soft and hard), through prlimit(1).
    init(db: String, folder: TemporaryFolder, extra: [String] = [], openFiles: Int? = nil, logName: String = "serve.log") throws {
        log = folder.url.appendingPathComponent(logName)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let arguments = ["serve", "--db", db, "--port", "0", "--base-url", ServerWorkspace.base] + extra
        if let openFiles {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            process.arguments = ["--nofile=\(openFiles):\(openFiles)", "--", OCOPTraceBinary.url.path] + arguments
        } else {
            process.executableURL = OCOPTraceBinary.url
            process.arguments = arguments
        }
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        // In the test's folder: on PostgreSQL the spool of unwritten scans goes to the current folder.
        process.currentDirectoryURL = folder.url
        try process.run()
        let wantsAdmin = extra.contains("--admin-port")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = logText
            if let range = text.range(of: "on http://127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
            if wantsAdmin, let range = text.range(of: "metrics and health on http://127.0.0.1:") {
                adminPort = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
            if port > 0, !wantsAdmin || adminPort > 0 { return }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        process.terminate()
        throw TestFailure(description: "ocoptrace serve did not start: \(logText)")
    }

    var pid: Int32 { process.processIdentifier }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// The server's open file descriptors (Linux /proc).
    var openFileCount: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    /// The server's resident memory in KiB (Linux /proc).
    var residentKiB: Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
}

/// Runs Tests/Tools/http_load.py and decodes the JSON it prints.
func httpLoad<T: Decodable>(_ arguments: [String], as type: T.Type) throws -> T {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tools/http_load.py").path
    let output = try ExternalTools.run("python3", [script] + arguments)
    guard let data = output.split(separator: "\n").last.map({ Data($0.utf8) }) else {
        throw TestFailure(description: "http_load.py printed nothing")
    }
    do {
        return try JSONDecoder().decode(T.self, from: data)
    } catch {
        throw TestFailure(description: "http_load.py printed \(output.prefix(2000)): \(error)")
    }
}
