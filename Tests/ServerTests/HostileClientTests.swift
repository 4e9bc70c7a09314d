import Foundation
import OCOPTrace
import Testing
import TestSupport

/// The built `ocoptrace serve` against clients that send too much, too slowly or nothing at all,
/// and against crashes: every request answered or closed, no socket left behind, no scan lost.
@Suite(.serialized) struct HostileClientTests {
    struct Statuses: Decodable {
        var path: [String: Int]
        var query: [String: Int]
        var header: [String: Int]
        var body: [String: Int]
        var manyHeaders: [String: Int]
        var chunkedBody: [String: Int]

        enum CodingKeys: String, CodingKey {
            case path, query, header, body, manyHeaders = "many-headers", chunkedBody = "chunked-body"
        }
    }

    /// The server's sockets on its public port still open: any TCP state but LISTEN, and but
    /// TIME-WAIT (the kernel's own minute after a close, holding no file and no buffer).
    static func socketsOnPort(_ port: Int) throws -> Int {
        let output = try ExternalTools.run("ss", ["-tanH", "sport = :\(port)"])
        return output.split(separator: "\n").filter { !$0.contains("LISTEN") && !$0.contains("TIME-WAIT") }.count
    }

    @Test func oversizedRequestsAreRefusedAndTheirConnectionsClosedUnderATinyOpenFileLimit() async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        // 128 open files: about 64 connections at once.
        let server = try ServerProcess(db: workspace.registry.argument, folder: workspace.folder, openFiles: 128)
        defer { _ = server.stop() }
        #expect(server.logText.contains("open files: at most 128"))
        let filesBefore = server.openFileCount
        let memoryBefore = server.residentKiB
        var statuses = try httpLoad(["oversized", "--port", "\(server.port)", "--count", "40", "--concurrency", "24"], as: Statuses.self)
        // Twice: what one round leaks, the second would show.
        statuses = try httpLoad(["oversized", "--port", "\(server.port)", "--count", "40", "--concurrency", "24"], as: Statuses.self)
        #expect(statuses.path == ["414": 40], "\(statuses)")
        #expect(statuses.query == ["414": 40], "\(statuses)")
        #expect(statuses.header == ["431": 40], "\(statuses)")
        #expect(statuses.manyHeaders == ["431": 40], "\(statuses)")
        #expect(statuses.body == ["413": 40], "\(statuses)")
        #expect(statuses.chunkedBody == ["413": 40], "\(statuses)")
        // Every refused connection is closed for good: none left half-open (FIN-WAIT-2) or queued.
        var left = try Self.socketsOnPort(server.port)
        let deadline = Date().addingTimeInterval(60)
        while left > 0, Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
            left = try Self.socketsOnPort(server.port)
        }
        let sockets = try ExternalTools.run("ss", ["-tan", "sport = :\(server.port)"])
        #expect(left == 0, "sockets left: \(sockets)")
        #expect(server.openFileCount <= filesBefore + 2, "files: \(filesBefore) → \(server.openFileCount)")
        #expect(server.residentKiB < memoryBefore + 64 * 1024, "memory: \(memoryBefore) → \(server.residentKiB) KiB")
        // Still serving.
        let home = try ExternalTools.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", server.url("/")])
        #expect(home == "200")
        #expect(server.stop() == 0)
    }

    struct Held: Decodable {
        var newcomer: Int
        var closed: [String: Int]
        var answers: [String: Int]
    }

    @Test func idleAndHalfSentConnectionsAreClosedAndNeverCrowdOutANewOne() async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        let server = try ServerProcess(db: workspace.registry.argument, folder: workspace.folder,
                                       extra: ["--request-timeout", "2", "--idle-timeout", "3"], openFiles: 256)
        defer { _ = server.stop() }
        // 300 connections against a cap of 192: the longest-idle are closed to make room.
        let held = try httpLoad(["hold", "--port", "\(server.port)", "--idle", "150", "--half", "150"], as: Held.self)
        #expect(held.newcomer == 200)
        #expect(held.closed == ["idle": 150, "half": 150], "\(held)")
        // The half-sent requests that were still held when their time ran out were told so.
        #expect((held.answers["408"] ?? 0) > 0, "\(held)")
        #expect(Set(held.answers.keys).isSubset(of: ["408", "503"]), "\(held)")
        #expect(try Self.socketsOnPort(server.port) == 0)
        #expect(server.stop() == 0)
    }

    struct Answer: Decodable {
        var status: Int
        var seconds: Double
        /// When the request was sent and its answer read, in seconds since 1970 (the same clock as `Date()`).
        var began: Double
        var finished: Double
        var retry_after: String?
        var serial: String?
        var written: Bool?
    }

    struct Answers: Decodable {
        var answers: [Answer]
    }

    /// Stamp page paths for the load: the workspace's genuine stamps.
    static func pagePaths(_ workspace: ServerWorkspace) -> URL {
        let file = workspace.folder.url.appendingPathComponent("paths.txt")
        let paths = workspace.plain.dropLast().map { "/v" + ServerWorkspace.path($0) }
        try? (paths.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test(arguments: RegistryEngine.available)
    func killNineLosesNoScanAPageSaidWasCounted(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let server = try ServerProcess(db: workspace.registry.argument, folder: workspace.folder)
        defer { _ = server.stop() }
        // The load kills the server itself after 1,500 answers, with requests in flight.
        let load = try httpLoad(["pages", "--port", "\(server.port)", "--paths", Self.pagePaths(workspace).path, "--threads", "16",
                                 "--kill-pid", "\(server.pid)", "--kill-after", "1500"], as: Answers.self)
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .uncaughtSignal)
        // On SQLite the killed server leaves its scan journal; the next command that opens the
        // registry writes it, once.
        if engine == .sqlite { #expect(!workspace.scanJournals.isEmpty, "the killed server left its journal") }
        try await workspace.reopenAfterCrash()
        try await workspace.reopenAfterCrash()
        #expect(workspace.scanJournals.isEmpty)
        let answered = load.answers.filter { $0.status == 200 }
        #expect(answered.count >= 1500)
        let promised = Dictionary(grouping: answered.filter { $0.written == true }, by: { $0.serial ?? "" }).mapValues(\.count)
        #expect(promised.values.reduce(0, +) >= 1400, "most pages had their scan written before they were answered")
        for (serial, count) in promised {
            let stored = try await workspace.webScans(serial)
            #expect(stored >= count, "stamp \(serial): \(count) pages said their scan counted, \(stored) stored")
        }
        // Each scan once: no more than a scan per request sent (the 16 threads' last requests may
        // have been scanned and never answered); more would be a journal written twice.
        let stored = try await workspace.webScans()
        #expect(stored <= load.answers.count + 16, "\(stored) scans stored for \(load.answers.count) requests")
    }
}
