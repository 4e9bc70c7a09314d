import Foundation
import OCOPTrace
import Testing
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The built `ocoptrace serve`, as a cooperative runs it, with a real browser and a real shutdown.
@Suite(.serialized) struct BrowserTests {
    @Test func chromiumRendersTheVerdictAt360Pixels() async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        let server = try ServerProcess(db: workspace.registry.argument, folder: workspace.folder)
        defer { _ = server.stop() }
        let screenshots = ProcessInfo.processInfo.environment["OCOPTRACE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) } ?? workspace.folder.url
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let genuine = workspace.plain[10]
        let forged = genuine.replacingOccurrences(of: "/10/NC2611A/", with: "/10/NC2611Z/")
        for (name, stamp, status, words) in [("genuine", genuine, "genuine", "Chính hãng"), ("forged", forged, "forged", "Giả mạo")] {
            // The page the resolver's 307 leads to (its Location is under the public base URL, which
            // is not this machine).
            let address = server.url("/v" + ServerWorkspace.path(stamp))
            let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=360,800", "--accept-lang=vi-VN,vi",
                          "--user-data-dir=" + workspace.folder.path("chromium-\(name)")]
            let dom = try ExternalTools.run("chromium", common + ["--dump-dom", address])
            #expect(dom.contains("data-status=\"\(status)\""), "\(name): \(dom.prefix(400))")
            #expect(dom.contains("<h1>\(words)</h1>"), "\(name)")
            let png = screenshots.appendingPathComponent("page-\(name)-360.png").path
            _ = try ExternalTools.run("chromium", common + ["--screenshot=" + png, address])
            let header = try #require(FileHandle(forReadingAtPath: png)?.readData(ofLength: 24))
            #expect(header.count == 24 && header.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
            let width = header[16..<20].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == 360)
        }
        #expect(server.stop() == 0)
        // One line a request, and no address in the log.
        let log = server.logText
        #expect(log.contains("GET /v/01/\(ServerWorkspace.gtin)/10/NC2611A/21/"))
        let requests = log.split(separator: "\n").filter { $0.contains(" info ocoptrace.serve: GET ") }
        #expect(requests.count == 4, "one line a request: \(log)")
        #expect(requests.allSatisfy { !$0.contains("127.0.0.1") && !$0.contains("?") }, "no address, no query: \(log)")
    }

    @Test(arguments: RegistryEngine.available) func sigtermFinishesAndWritesTheQueuedScans(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let server = try ServerProcess(db: workspace.registry.argument, folder: workspace.folder)
        var request = URLRequest(url: URL(string: server.url("/v" + ServerWorkspace.path(workspace.plain[11])))!)
        request.setValue("Mozilla/5.0 (Linux; Android 13) Mobile Safari/537.36", forHTTPHeaderField: "User-Agent")
        request.setValue("vi", forHTTPHeaderField: "Accept-Language")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("Quét lần thứ 1"))
        #expect(server.stop() == 0)
        #expect(server.logText.contains("stopped; 1 scan(s) written"))
        #expect(try await workspace.webScans(ServerWorkspace.serial(workspace.plain[11])) == 1)
    }
}
