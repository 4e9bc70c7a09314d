import ArgumentParser
import Foundation
import OCOPTrace

struct ServeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Load `ocoptrace serve` with wrk: verification pages (recording scans) and resolver redirects.",
        discussion: """
            Issues N stamps (manifests only), starts the real `ocoptrace serve` on them, and runs wrk \
            (Debian package) beside it: first GETs of random stamps' verification pages with a phone's \
            User-Agent, each from its own client network (X-Forwarded-For from the loopback proxy \
            address, a new /24 per request), so that every request is a scan that counts under the \
            reload rule; then the stamps' own URLs, which the resolver answers with a 307; then PIN checks: \
            POSTs of the PIN form on a batch of --pin-stamps stamps with scratch-off PINs (half the \
            right PIN, half a wrong one, each from its own client network, so the per-stamp limit is \
            what binds), answered as JSON. It prints \
            requests per second, p50 and p99 latency, the server's peak memory, and checks that the \
            registry holds exactly one scan per page the server answered (from its request log).

            With --db postgres://…, the same runs follow on a fresh database made on that PostgreSQL \
            server (dropped afterwards), the server reading and writing its registry there.

            With --journey, lot NC-A gets a production diary of 20 stages and the pages are loaded \
            twice side by side instead of pages and redirects: stamps of NC-A (a 20-event journey on \
            each page) and stamps of MT-A (none); it prints the ratio (goal: at least 80 %).

            Example:
              swift build -c release && swift run -c release ocoptrace-bench serve --stamps 100000
              swift run -c release ocoptrace-bench serve --stamps 100000 --journey
              swift run -c release ocoptrace-bench serve --stamps 100000 --db postgres://postgres@127.0.0.1:55432/postgres
            """
    )

    @Option(help: "Stamps in the registry.")
    var stamps = 100_000

    @Option(help: "Stamps with scratch-off PINs, for the PIN run (0: no PIN run, e.g. to load an ocoptrace built before PINs).")
    var pinStamps = 20_000

    @Option(help: "Open connections.")
    var connections = 64

    @Option(help: "wrk threads.")
    var threads = 2

    @Option(help: "Seconds of load per run.")
    var duration = 15

    @Option(help: ArgumentHelp("The ocoptrace executable (default: the one beside this benchmark).", valueName: "path"))
    var executable: String?

    @Option(help: ArgumentHelp("Work folder (default: a new one in output/, removed afterwards).", valueName: "folder"))
    var keep: String?

    @Option(help: ArgumentHelp("A PostgreSQL server to run the same on, after SQLite (postgres://user@host:port/postgres).", valueName: "url"))
    var db: String?

    @Flag(help: "Compare pages with a 20-event journey (lot NC-A) to pages without one (lot MT-A), side by side.")
    var journey = false

    func run() async throws {
        let folder = keep.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: "output/bench-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let binary = executable ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("ocoptrace").path
        let postgres = try db.map { try BenchPostgres(server: $0) }
        print("registry: \(stamps) stamps; \(ProcessInfo.processInfo.activeProcessorCount) cores; wrk -t\(threads) -c\(connections) -d\(duration)s beside the server")
        var failed = try await measure(registry: folder.appendingPathComponent("registry.sqlite").path, engine: "SQLite",
                                       folder: folder, binary: binary)
        if let postgres {
            do {
                let database = try await postgres.freshDatabase(label: "serve")
                let postgresFolder = folder.appendingPathComponent("postgres")
                try FileManager.default.createDirectory(at: postgresFolder, withIntermediateDirectories: true)
                failed = try await measure(registry: database, engine: "PostgreSQL", folder: postgresFolder, binary: binary) || failed
            } catch {
                await postgres.dropAll()
                throw error
            }
            await postgres.dropAll()
        }
        if failed { throw ExitCode(1) }
    }

    /// Fills the registry (unless a kept SQLite one is there already), serves it, and loads it;
    /// returns whether a scan was lost or the server did not stop cleanly.
    private func measure(registry db: String, engine: String, folder: URL, binary: String) async throws -> Bool {
        let base = "https://id.ocoptrace.vn"
        let urlsFile = folder.appendingPathComponent("urls.txt")
        let keys = folder.appendingPathComponent("keys").path
        let pinPaths = folder.appendingPathComponent("pin-paths.txt")
        if db.hasPrefix("postgres") || !FileManager.default.fileExists(atPath: db) {
            let catalog = folder.appendingPathComponent("catalog.csv")
            try """
                product_code,name,gtin,producer,province,commune,district,price_vnd,shelf_life_days,ocop_stars,ocop_recognized_on,ocop_decision,images
                NC-500,Nem chua Thanh Hóa hộp 500g,8938765000015,HTX Chế biến Nem chua Xuân Lập,Thanh Hóa,Xuân Lập,Thọ Xuân,85000,7,4,2025-06-12,123/QĐ-UBND,https://img.example.vn/nem.jpg
                MT-200,Mắm tép Hậu Lộc 200g,8939123400119,Công ty TNHH Mắm tép Hậu Lộc,Thanh Hóa,Hoa Lộc,Hậu Lộc,65000,365,5,2025-09-15,456/QĐ-UBND,

                """.write(to: catalog, atomically: true, encoding: .utf8)
            try ChildRun.require(binary, ["import", "--db", db, catalog.path])
            let output = folder.appendingPathComponent("out").path
            let common = ["--db", db, "--output", output, "--no-png", "--produced", CalendarDate.today().adding(days: -3)!.iso, "--resolver", base]
            try ChildRun.require(binary, ["issue", "--product", "NC-500", "--lot", "NC-A", "--count", String(stamps / 2)] + common)
            try ChildRun.require(binary, ["issue", "--product", "MT-200", "--lot", "MT-A", "--count", String(stamps - stamps / 2)] + common)
            if journey {
                let diary = folder.appendingPathComponent("nhat-ky.csv")
                let stages = ["Gieo trồng", "Chăm sóc", "Bón phân", "Phun thuốc", "Tưới", "Thu hoạch", "Sơ chế", "Rửa", "Phân loại", "Chế biến",
                              "Lên men", "Kiểm tra", "Kiểm nghiệm", "Đóng gói", "Dán nhãn", "Bảo quản", "Lưu kho", "Xuất kho", "Vận chuyển", "Nhập kho"]
                let start = CalendarDate.today().adding(days: -40)!
                var text = "Mã sản phẩm,Số lô,Công đoạn,Thời gian bắt đầu,Địa điểm,Xã,Tỉnh,Người/đơn vị thực hiện,Tiêu chuẩn áp dụng\n"
                for (index, stage) in stages.enumerated() {
                    text += "NC-500,NC-A,\(stage),\(start.adding(days: index * 2)!.vietnamese) 07:30,Xưởng số \(index + 1) của HTX,Xuân Lập,Thanh Hóa,"
                        + "Tổ sản xuất \(index % 4 + 1),\(index % 3 == 0 ? "VietGAP" : "")\n"
                }
                try text.write(to: diary, atomically: true, encoding: .utf8)
                try ChildRun.require(binary, ["import", "--db", db, diary.path])
            }
            var all = ""
            for manifest in try FileManager.default.subpathsOfDirectory(atPath: output).filter({ $0.hasSuffix("manifest.csv") }).sorted() {
                let part = folder.appendingPathComponent("part.txt")
                try IssueBench.extractURLs(from: URL(fileURLWithPath: output).appendingPathComponent(manifest), to: part)
                all += try String(contentsOf: part, encoding: .utf8)
            }
            try all.write(to: urlsFile, atomically: true, encoding: .utf8)
            let pinOutput = folder.appendingPathComponent("pin-out").path
            if pinStamps > 0 {
                try ChildRun.require(binary, ["issue", "--product", "MT-200", "--lot", "MT-PIN", "--count", String(pinStamps), "--scratch-pin",
                                              "--keys", keys, "--db", db, "--output", pinOutput, "--no-png",
                                              "--produced", CalendarDate.today().adding(days: -3)!.iso, "--resolver", base])
                let pinsCSV = try FileManager.default.subpathsOfDirectory(atPath: pinOutput).first { $0.hasSuffix("pins.csv") }!
                let lines = try String(contentsOfFile: pinOutput + "/" + pinsCSV, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
                    let cells = line.split(separator: ",")
                    return "/v" + cells[1].dropFirst(base.count) + " " + cells[2]
                }
                try (lines.joined(separator: "\n") + "\n").write(to: pinPaths, atomically: true, encoding: .utf8)
            }
        }
        let paths = try String(contentsOf: urlsFile, encoding: .utf8).split(separator: "\n").map { String($0.dropFirst(base.count)) }
        let pagePaths = folder.appendingPathComponent("pages.txt")
        let redirectPaths = folder.appendingPathComponent("redirects.txt")
        try (paths.map { "/v" + $0 }.joined(separator: "\n") + "\n").write(to: pagePaths, atomically: true, encoding: .utf8)
        try (paths.joined(separator: "\n") + "\n").write(to: redirectPaths, atomically: true, encoding: .utf8)
        let pageScript = folder.appendingPathComponent("pages.lua")
        let redirectScript = folder.appendingPathComponent("redirects.lua")
        try Self.luaScript(paths: pagePaths.path).write(to: pageScript, atomically: true, encoding: .utf8)
        try Self.luaScript(paths: redirectPaths.path).write(to: redirectScript, atomically: true, encoding: .utf8)
        if journey {
            // The same pages, split by lot: with a 20-event journey (NC-A) and without (MT-A).
            let withJourney = folder.appendingPathComponent("pages-journey.txt")
            let without = folder.appendingPathComponent("pages-plain.txt")
            try (paths.filter { $0.contains("/10/NC-A/") }.map { "/v" + $0 }.joined(separator: "\n") + "\n")
                .write(to: withJourney, atomically: true, encoding: .utf8)
            try (paths.filter { !$0.contains("/10/NC-A/") }.map { "/v" + $0 }.joined(separator: "\n") + "\n")
                .write(to: without, atomically: true, encoding: .utf8)
            try Self.luaScript(paths: withJourney.path).write(to: pageScript, atomically: true, encoding: .utf8)
            try Self.luaScript(paths: without.path).write(to: redirectScript, atomically: true, encoding: .utf8)
        }
        let scansBefore = try await Self.webScans(db)

        let pinScript = folder.appendingPathComponent("pins.lua")
        try Self.luaScript(paths: pinPaths.path, pins: true).write(to: pinScript, atomically: true, encoding: .utf8)
        let server = try ServerProcess(binary: binary, db: db, base: base, folder: folder)
        print("\(engine): load average before: \(Self.loadAverage())")
        var cpu = server.cpuSeconds()
        let pages: WrkResult, redirects: WrkResult, pagesCPU: Double, redirectsCPU: Double
        do {
            pages = try runWrk(script: pageScript.path, port: server.port,
                               label: journey ? "\(engine): pages with a 20-event journey" : "\(engine): verification pages (scan recorded)")
            pagesCPU = server.cpuSeconds() - cpu
            cpu = server.cpuSeconds()
            redirects = try runWrk(script: redirectScript.path, port: server.port,
                                   label: journey ? "\(engine): pages without a journey" : "\(engine): resolver redirects (307)")
            redirectsCPU = server.cpuSeconds() - cpu
        } catch {
            _ = server.stop()  // before the database under it is dropped
            throw error
        }
        for (label, seconds, result) in [("pages", pagesCPU, pages), ("redirects", redirectsCPU, redirects)] where result.requests > 0 {
            let perRequest = seconds / Double(result.requests)
            print(String(format: "%@: server CPU per request, %@: %.0f µs (%.0f requests/s per core of server time)", engine as NSString,
                         label as NSString, perRequest * 1e6, 1 / perRequest))
        }
        if journey, redirects.requests > 0 {
            let ratio = (Double(pages.requests) / max(pagesCPU, 1e-9)) / (Double(redirects.requests) / max(redirectsCPU, 1e-9))
            print(String(format: "%@: pages with a journey keep %.0f %% of the pages/s without one (wrk), %.0f %% per second of server CPU (goal: 80 %%)",
                         engine as NSString, 100 * pages.perSecond / max(redirects.perSecond, 1e-9), 100 * ratio))
        }
        let (exit, peakKiB) = server.stop()
        let log = (try? String(contentsOf: server.log, encoding: .utf8)) ?? ""
        let pagesAnswered = log.split(separator: "\n").filter { $0.contains(" GET /v/") && $0.contains(" 200 ") }.count
        let scans = try await Self.webScans(db) - scansBefore
        print(String(format: "%@: server exit %d after SIGTERM, peak RSS %.1f MiB", engine as NSString, exit, Double(peakKiB) / 1024))
        print("\(engine): scans: \(scans) recorded for \(pagesAnswered) pages answered (wrk counted \(pages.requests) completed); \(scans == pagesAnswered ? "none lost" : "MISMATCH")")
        guard pinStamps > 0 else {
            print("\(engine): load average after: \(Self.loadAverage())")
            return scans != pagesAnswered || exit != 0
        }
        // PIN checks on a server of their own (an activation is a scan too: the count above is the pages' alone).
        let pinServer = try ServerProcess(binary: binary, db: db, base: base, folder: folder, extra: ["--keys", keys])
        let pinCPU = pinServer.cpuSeconds()
        let pins: WrkResult
        do {
            pins = try runWrk(script: pinScript.path, port: pinServer.port, label: "\(engine): PIN checks (POST, limits enforced)")
        } catch {
            _ = pinServer.stop()
            throw error
        }
        if pins.requests > 0 {
            print(String(format: "%@: server CPU per PIN check: %.0f µs (%.0f checks/s per core of server time)", engine as NSString,
                         (pinServer.cpuSeconds() - pinCPU) / Double(pins.requests) * 1e6, Double(pins.requests) / max(pinServer.cpuSeconds() - pinCPU, 1e-9)))
        }
        let (pinExit, _) = pinServer.stop()
        print("\(engine): load average after: \(Self.loadAverage())")
        return scans != pagesAnswered || exit != 0 || pinExit != 0
    }

    /// The scans the verification page has recorded in the registry `db` (a file or a URL).
    static func webScans(_ db: String) async throws -> Int {
        try await RegistryStores.with(try RegistryLocation(parsing: db), access: .readOnly) { try await $0.webScanCount() }
    }

    /// wrk's Lua: a random line of `paths` per request, a phone's User-Agent, and a client network
    /// of its own (/24 per request, numbered per thread), so that no request is a reload of another.
    /// With `pins`, each line is `path PIN` and the request is the page's PIN form: the right PIN
    /// every other request and a wrong one otherwise, answered as JSON.
    static func luaScript(paths: String, pins: Bool = false) -> String {
        let request = pins ? """
              local pin = (n % 2 == 0) and entry[2] or "ZZZZZZZZ"
              return wrk.format("POST", entry[1], {
                ["User-Agent"] = agent, ["Accept"] = "application/json",
                ["Content-Type"] = "application/x-www-form-urlencoded", ["X-Forwarded-For"] = network,
              }, "pin=" .. pin)
            """ : """
              return wrk.format("GET", entry[1], {
                ["User-Agent"] = agent, ["Accept-Language"] = "vi-VN,vi;q=0.9", ["X-Forwarded-For"] = network,
              })
            """
        return """
            local entries = {}
            local threads = 0
            local agent = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
            function setup(thread)
              thread:set("id", threads)
              threads = threads + 1
            end
            function init(args)
              for line in io.lines("\(paths)") do
                local path, pin = line:match("^(%S+) ?(%S*)$")
                if path then entries[#entries + 1] = {path, pin} end
              end
              math.randomseed(os.time() * 7919 + id)
              counter = 0
            end
            function request()
              counter = counter + 1
              local n = counter
              local network = (id * 40 + \(pins ? 101 : 1) + math.floor(n / 65536)) .. "." .. (math.floor(n / 256) % 256) .. "." .. (n % 256) .. ".9"
              local entry = entries[math.random(#entries)]
            \(request)
            end
            """
    }

    struct WrkResult {
        var requests = 0
        var perSecond = 0.0
        var p50 = ""
        var p99 = ""
        var errors = ""
    }

    func runWrk(script: String, port: Int, label: String) throws -> WrkResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["wrk", "-t\(threads)", "-c\(connections)", "-d\(duration)s", "--latency", "-s", script, "http://127.0.0.1:\(port)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { throw ValidationError("cannot run wrk (Debian package wrk; scripts/setup.sh installs it): \(error)") }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("wrk failed: \(output)") }
        var result = WrkResult()
        for line in output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("50%"), fields.count > 1 { result.p50 = String(fields[1]) }
            if line.hasPrefix("99%"), fields.count > 1 { result.p99 = String(fields[1]) }
            if line.hasPrefix("Requests/sec:"), fields.count > 1 { result.perSecond = Double(fields[1]) ?? 0 }
            if line.contains("requests in"), let first = fields.first { result.requests = Int(first) ?? 0 }
            if line.hasPrefix("Non-2xx") || line.hasPrefix("Socket errors") { result.errors += " " + line }
        }
        print(String(format: "%-50@ %9.0f requests/s  p50 %@  p99 %@  (%d requests)%@", label as NSString, result.perSecond,
                     result.p50 as NSString, result.p99 as NSString, result.requests, result.errors as NSString))
        return result
    }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// `ocoptrace serve` as a child process, its log in a file, stopped with SIGTERM.
struct ServerProcess {
    let pid: pid_t
    let log: URL
    let peakFile: String
    var port = 0

    init(binary: String, db: String, base: String, folder: URL, extra: [String] = []) throws {
        log = folder.appendingPathComponent("serve.log")
        peakFile = folder.appendingPathComponent("serve.peak").path
        try? FileManager.default.removeItem(atPath: peakFile)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let words: [String] = [binary, "serve", "--db", db, "--port", "0", "--base-url", base] + extra
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        environment[PeakMemory.reportVariable] = peakFile
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard spawned == 0 else { throw ValidationError("cannot start \(binary): \(String(cString: strerror(spawned)))") }
        self.pid = pid
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "on http://127.0.0.1:"), let port = Int(text[range.upperBound...].prefix { $0.isNumber }), port > 0 {
                self.port = port
                return
            }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        throw ValidationError("ocoptrace serve did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// CPU seconds the server has used (user + system), from /proc: a figure the other processes
    /// on a shared machine do not change, unlike requests per second.
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, utime 14 and stime 15 (1-based, in clock ticks).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// SIGTERM; the exit status and the server's own peak memory in KiB.
    func stop() -> (Int32, Int) {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let peak = (try? String(contentsOfFile: peakFile, encoding: .utf8)).flatMap { Int($0) } ?? 0
        return ((status >> 8) & 0xFF, peak)
    }
}
