import Foundation
import GRDB
import OCOPTrace
import Testing
import TestSupport

/// The built `ocoptrace serve` when its registry goes away (PostgreSQL stopped under load) or can
/// no longer be written (a full disk): pages answer 503 or say the count is unavailable, scans are
/// kept, the server recovers by itself, and SIGTERM still stops it.
@Suite(.serialized) struct RegistryOutageTests {
    /// A figure from the admin port's /metrics (0 when it is not there yet).
    static func metric(_ server: ServerProcess, _ name: String) throws -> Double {
        let text = try ExternalTools.run("curl", ["-s", "http://127.0.0.1:\(server.adminPort)/metrics"])
        let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    /// Waits (at most 120 s) until `condition` holds.
    static func eventually(_ what: String, _ server: ServerProcess, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(120)
        while try !condition() {
            guard Date() < deadline else {
                let metrics = (try? ExternalTools.run("curl", ["-s", "http://127.0.0.1:\(server.adminPort)/metrics"])) ?? ""
                throw TestFailure(description: "never happened: \(what)\n\(metrics.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n"))\n\(server.logText.suffix(3000))")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// SIGTERM, then the exit status; a server still running after 30 s is killed and fails the test.
    static func stopWithin30Seconds(_ server: ServerProcess) async throws -> Int32 {
        server.process.terminate()
        let deadline = Date().addingTimeInterval(30)
        while server.process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if server.process.isRunning {
            kill(server.pid, SIGKILL)
            throw TestFailure(description: "serve did not stop within 30 s of SIGTERM: \(server.logText.suffix(2000))")
        }
        return server.process.terminationStatus
    }

    @Test(.enabled(if: RegistryEngine.available.contains(.postgres), "needs PostgreSQL's tools (scripts/test.sh and CI have them)"))
    func aPostgreSQLOutageAnswers503ThenTheServerRecoversAndStopsOnSIGTERM() async throws {
        // A cluster of this test's own: stopping the suite's would fail every other test.
        let script = repositoryRoot.appendingPathComponent("scripts/postgres-cluster.sh").path
        let port = "55491"
        let said = FileManager.default.temporaryDirectory.appendingPathComponent("ocoptrace-outage-\(UUID().uuidString)").path
        /// The cluster script, its output through a file and no pipe (the server it starts would
        /// hold a pipe open), spawned and reaped directly: Foundation's Process sometimes never
        /// learns that a first child has exited.
        func cluster(_ action: String) throws -> String {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, said, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let words: [String] = ["/bin/bash", script, action, port]
            let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
            defer { arguments.forEach { free($0) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, "/bin/bash", &actions, nil, arguments, environ) == 0 else {
                throw TestFailure(description: "cannot run postgres-cluster.sh")
            }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            guard status == 0 else { throw TestFailure(description: "postgres-cluster.sh \(action) failed (\(status))") }
            return ((try? String(contentsOfFile: said, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // The URL is the script's last line; the tools it runs may say things before it.
        let text = String(try cluster("start").split(separator: "\n").last ?? "")
        defer { _ = try? cluster("stop") }
        let workspace = try await ServerWorkspace.make(.postgres, postgresServer: try PostgresURL(parsing: text))
        await workspace.registry.store.close()
        let server = try ServerProcess(db: workspace.registry.argument, folder: workspace.folder,
                                       extra: ["--registry-wait", "2", "--admin-port", "0"])
        defer { if server.process.isRunning { kill(server.pid, SIGKILL) } }
        let stopFile = workspace.folder.url.appendingPathComponent("stop").path
        let paths = HostileClientTests.pagePaths(workspace).path
        let load = Task.detached {
            try httpLoad(["pages", "--port", "\(server.port)", "--paths", paths, "--threads", "8", "--stop-file", stopFile,
                          "--max-seconds", "300"], as: HostileClientTests.Answers.self)
        }
        try await Self.eventually("200 scans written", server) { try Self.metric(server, "ocoptrace_scans_written_total") >= 200 }
        _ = try cluster("pause")
        let paused = Date().timeIntervalSince1970
        try await Self.eventually("pages answered 503", server) {
            try Self.metric(server, "ocoptrace_registry_errors_total") + Self.metric(server, "ocoptrace_registry_waits_timed_out_total") >= 30
        }
        let readiness = try ExternalTools.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(server.adminPort)/readyz"])
        #expect(readiness == "503")
        // The outage lasts well past the server's 2 s wait, so that a request spanning all of it
        // can only have waited for the registry's return.
        try await Task.sleep(for: .seconds(10))
        let resumed = Date().timeIntervalSince1970
        _ = try cluster("resume")
        let writtenAtResume = try Self.metric(server, "ocoptrace_scans_written_total")
        try await Self.eventually("scans written again", server) {
            try Self.metric(server, "ocoptrace_scans_written_total") >= writtenAtResume + 200
                && Self.metric(server, "ocoptrace_scans_registry_failing") == 0
        }
        _ = FileManager.default.createFile(atPath: stopFile, contents: nil)
        let answers = try await load.value.answers
        #expect(try await Self.stopWithin30Seconds(server) == 0)
        let unavailable = answers.filter { $0.status == 503 }
        #expect(!unavailable.isEmpty)
        #expect(unavailable.allSatisfy { $0.retry_after == "5" })
        // No request waited out the outage: the registry's wait is bounded (--registry-wait 2), so
        // a request that spans the whole outage waited for the registry's return instead (compared
        // by order, not against a time limit).
        let waitedOut = answers.filter { $0.began < paused && $0.finished > resumed }
        #expect(waitedOut.isEmpty, "\(waitedOut.count) requests were answered only once the registry was back")
        #expect(Set(answers.map(\.status)).isSubset(of: [200, 503]), "\(Set(answers.map(\.status)))")
        let promised = Dictionary(grouping: answers.filter { $0.status == 200 && $0.written == true }, by: { $0.serial ?? "" }).mapValues(\.count)
        for (serial, count) in promised {
            let stored = try await workspace.registry.count("scans c JOIN stamps s ON s.id = c.stamp_id", where: "c.channel = 'web' AND s.serial = '\(serial)'")
            #expect(stored >= count, "stamp \(serial): \(count) pages said their scan counted, \(stored) stored")
        }
        #expect(server.logText.contains("the registry takes scans again") || !server.logText.contains("refused a batch"))
    }

    @Test(.enabled(if: SmallFilesystem.available, "needs root to mount a tmpfs (always run in CI)"))
    func aFullDiskKeepsTheScansAndWritesThemWhenSpaceReturns() async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        let small = try SmallFilesystem(megabytes: 6, in: workspace.folder.url)
        defer { withExtendedLifetime(small) {} }  // mounted until the server has stopped
        let disk = small.url
        // The registry, whole, on the small disk.
        let registry = disk.appendingPathComponent("registry.sqlite").path
        let source = try DatabaseQueue(path: TestRegistry.argument(for: workspace.registry.location))
        try source.backup(to: try DatabaseQueue(path: registry))
        try source.close()
        let server = try ServerProcess(db: registry, folder: workspace.folder, extra: ["--admin-port", "0"])
        defer { if server.process.isRunning { kill(server.pid, SIGKILL) } }
        let stamp = workspace.plain[3]
        func page(from network: String) throws -> [String: Any] {
            let body = try ExternalTools.run("curl", ["-s", "-H", "Accept: application/json", "-H", "X-Forwarded-For: \(network)",
                                                       "-A", "Mozilla/5.0 (Linux; Android 13) Mobile", server.url("/v" + ServerWorkspace.path(stamp))])
            return try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
        }
        #expect((try page(from: "10.0.1.1")["warnings"] as? [String])?.isEmpty == true)
        // Fill the disk.
        let filler = disk.appendingPathComponent("filler").path
        _ = try ExternalTools.run("dd", ["if=/dev/zero", "of=\(filler)", "bs=64k"], allowedStatuses: [0, 1])
        var unavailable = 0
        for index in 0..<40 {
            let answer = try page(from: "10.\(index).2.1")  // a /24 of its own: each counts
            #expect(answer["status"] as? String == "genuine")
            if (answer["warnings"] as? [String])?.contains(where: { $0.contains("scan count is unavailable") }) == true { unavailable += 1 }
        }
        // Each scan is kept: in the scan journal while its last block has room (the page counts
        // it: it is durable), else in memory, and the page says the count is unavailable.
        let journaled = try RegistryOutageTests.metric(server, "ocoptrace_scans_journaled")
        #expect(unavailable > 0 || journaled > 0, "pages say the count is unavailable, or their scans wait in the journal")
        #expect(Double(unavailable) + journaled >= 40 || unavailable > 0)
        try await Self.eventually("the registry refuses the scans", server) {
            try ExternalTools.run("curl", ["-s", "http://127.0.0.1:\(server.adminPort)/readyz"])
                .contains("ready: the registry answers; scans are not being written")
        }
        #expect(server.logText.contains("refused"))
        // Space returns: the kept scans are written without a restart.
        try FileManager.default.removeItem(atPath: filler)
        try await Self.eventually("kept scans written", server) {
            try RegistryOutageTests.metric(server, "ocoptrace_scans_waiting") == 0
                && RegistryOutageTests.metric(server, "ocoptrace_scans_registry_failing") == 0
        }
        #expect(try await Self.stopWithin30Seconds(server) == 0)
        let serial = ServerWorkspace.serial(stamp)
        let stored = try await DatabaseQueue(path: registry).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scans c JOIN stamps s ON s.id = c.stamp_id WHERE c.channel = 'web' AND s.serial = ?",
                             arguments: [serial])
        }
        #expect(stored == 41, "every scan, the kept ones too")
    }
}
