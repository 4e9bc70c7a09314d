import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OCOPTrace
import OCOPTraceServer
import Testing
import TestSupport

/// The verification page of a stamp with a scratch-off PIN, over real HTTP: the form, each answer,
/// the limits, and bad requests.
@Suite(.serialized) struct PINPageTests {
    /// The server workspace plus a batch of PIN stamps of NC-500 (lot PIN1), and their PINs.
    static func make(_ engine: RegistryEngine) async throws -> (ServerWorkspace, [PINFile.Row]) {
        let workspace = try await ServerWorkspace.make(engine)
        let report = try await StampIssuer(store: workspace.registry.store, options: IssueOptions(
            resolver: ServerWorkspace.base, keysFolder: workspace.folder.url.appendingPathComponent("keys"),
            outputFolder: workspace.folder.url.appendingPathComponent("output"), writePNGs: false, scratchPIN: true))
            .issue(productCode: "NC-500", lot: "PIN1", count: 4, producedOn: .today().adding(days: -1), expiresOn: nil)
        return (workspace, try PINFile.read(URL(fileURLWithPath: absolutePath(report.pins!))))
    }

    static func withServer<T: Sendable>(_ workspace: ServerWorkspace, _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        var configuration = ServerConfiguration(port: 0, baseURL: ServerWorkspace.base, name: "Thử nghiệm")
        configuration.keysFolder = workspace.folder.url.appendingPathComponent("keys")
        let server = try await ResolverServer(store: workspace.registry.store, configuration: configuration, logger: logger)
        return try await server.application().test(.live) { client in try await body(client) }
    }

    static func page(_ url: String) -> String { "/v" + ServerWorkspace.path(url) }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ body: String, accept: String? = nil,
                     from address: String? = nil) async throws -> TestResponse {
        var fields = headers([("Content-Type", "application/x-www-form-urlencoded")])
        if let accept { fields[.accept] = accept }
        // The test client is on the loopback address, which the server trusts as its proxy.
        if let address { fields[HTTPField.Name("X-Forwarded-For")!] = address }
        return try await client.execute(uri: uri, method: .post, headers: fields, body: ByteBuffer(string: body))
    }

    @Test(arguments: RegistryEngine.available) func thePINFormActivatesOnceAndThenSaysWhen(engine: RegistryEngine) async throws {
        let (workspace, pins) = try await Self.make(engine)
        try await Self.withServer(workspace) { client in
            let uri = Self.page(pins[0].url)
            let before = try await client.execute(uri: uri, method: .get, headers: phone)
            #expect(before.status == .ok)
            #expect(before.text.contains("<form method=\"post\" action=\""))
            #expect(before.text.contains("name=\"pin\""))
            #expect(before.headers[.contentSecurityPolicy]?.contains("form-action 'self'") == true)
            #expect(!before.text.contains("Đã kích hoạt lúc"))
            // A stamp without a PIN keeps the page with no form and no form action.
            let plain = try await client.execute(uri: Self.page(workspace.plain[1]), method: .get, headers: phone)
            #expect(!plain.text.contains("<form"))
            #expect(plain.headers[.contentSecurityPolicy]?.contains("form-action 'none'") == true)

            let wrong = try await Self.post(client, uri, "pin=AAAA-AAAA")
            #expect(wrong.status == .ok)
            #expect(wrong.text.contains("data-state=\"wrong-pin\""))
            #expect(wrong.text.contains("mã PIN không đúng"))
            let right = try await Self.post(client, uri, "pin=" + pins[0].pin.text.lowercased())
            #expect(right.text.contains("data-state=\"activated\""))
            let after = try await client.execute(uri: uri, method: .get, headers: phone)
            #expect(after.text.contains("Đã kích hoạt lúc"))
            let english = try await client.execute(uri: uri + "&lang=en", method: .get, headers: phone)
            #expect(english.text.contains("Activated on"))
            // The buyer's own network asking again: when, but not a copy.
            let own = try await Self.post(client, uri, "pin=" + pins[0].pin.text, accept: "application/json")
            #expect(own.text.contains("\"pin\":{\"state\":\"already-activated\""))
            #expect(own.text.contains("\"suspected_clone\":false"))
            // Another network: a copy.
            let again = try await Self.post(client, uri, "pin=" + pins[0].pin.text, accept: "application/json", from: "203.0.113.9")
            #expect(again.status == .ok)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(again.text.utf8)) as? [String: Any])
            let pin = try #require(object["pin"] as? [String: Any])
            #expect(pin["state"] as? String == "already-activated")
            #expect(pin["activated_at"] as? String != nil)
            #expect(object["suspected_clone"] as? Bool == true)
            let copyPage = try await Self.post(client, uri, "pin=" + pins[0].pin.text, from: "198.51.100.4")
            #expect(copyPage.text.contains("data-state=\"already-activated\""))
            #expect(copyPage.text.contains("tem này là tem giả"))
        }
    }

    @Test(arguments: RegistryEngine.available) func badRequestsAreFourHundredsAndLocksAre429(engine: RegistryEngine) async throws {
        let (workspace, pins) = try await Self.make(engine)
        try await Self.withServer(workspace) { client in
            let uri = Self.page(pins[1].url)
            #expect(try await Self.post(client, uri, "code=12345678").status == .badRequest)
            #expect(try await Self.post(client, uri, "").status == .badRequest)
            // Over the POST limit: 413, before the body is read (curl, as the client may see the connection close).
            let big = workspace.folder.write("big.txt", "pin=" + String(repeating: "A", count: 10_000))
            let status = try ExternalTools.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@" + big.path,
                                                        "http://127.0.0.1:\(try #require(client.port))\(uri)"])
            #expect(status == "413")
            // Odd shapes are wrong PINs, never a 500.
            for body in ["pin=%FF%FE", "pin=%", "pin=<script>", "pin=&pin=x", "pin=" + String(repeating: "Z", count: 2000)] {
                let answer = try await Self.post(client, uri, body)
                #expect(answer.status == .ok, "\(body)")
                #expect(answer.text.contains("data-state=\"wrong-pin\""), "\(body)")
            }
            // That was 5 wrong guesses: the stamp is locked, even for its right PIN.
            let locked = try await Self.post(client, uri, "pin=" + pins[1].pin.text)
            #expect(locked.status.code == 429)
            #expect(Int(locked.headers[.retryAfter] ?? "") ?? 0 > 3000)
            #expect(locked.text.contains("data-state=\"too-many-attempts\""))
            // A stamp without a PIN says so.
            let none = try await Self.post(client, Self.page(workspace.plain[2]), "pin=AAAAAAAA", accept: "application/json")
            #expect(none.text.contains("\"pin\":{\"state\":\"no-pin\""))
        }
    }
}

extension PINPageTests {
    @Test func aRecalledLotShowsTheRecallAndWhatToDoApartFromALostRoll() async throws {
        let (workspace, pins) = try await Self.make(.sqlite)
        _ = try await Revocations(store: workspace.registry.store).revoke(lot: "PIN1", productCode: nil, reason: "nhiễm khuẩn", recall: true)
        try await Self.withServer(workspace) { client in
            let recalled = try await client.execute(uri: Self.page(pins[0].url), method: .get, headers: phone)
            #expect(recalled.text.contains("data-status=\"revoked\""))
            #expect(recalled.text.contains("lô hàng này bị nhà sản xuất thu hồi: nhiễm khuẩn. Không sử dụng"))
            #expect(!recalled.text.contains("<form"))  // a recalled stamp's PIN is not checked
            let english = try await client.execute(uri: Self.page(pins[0].url) + "&lang=en", method: .get, headers: phone)
            #expect(english.text.contains("this lot is recalled by its producer: nhiễm khuẩn. Do not eat or use it"))
            let lost = try await client.execute(uri: Self.page(workspace.revoked), method: .get, headers: phone)
            #expect(lost.text.contains("đã thu hồi: cuộn tem bị mất"))
            #expect(!lost.text.contains("nhà sản xuất thu hồi"))
        }
    }
}

/// The built `ocoptrace serve --keys`, with headless Chromium and curl: the PIN form as a phone shows
/// it, an activation, and the page that then says so before anyone scratches.
@Suite(.serialized) struct PINBrowserTests {
    @Test func chromiumShowsThePINFormAndTheActivation() async throws {
        let (workspace, pins) = try await PINPageTests.make(.sqlite)
        let server = try ServerProcess(db: workspace.registry.argument, folder: workspace.folder,
                                       extra: ["--keys", workspace.folder.path("keys")])
        defer { _ = server.stop() }
        let address = server.url("/v" + ServerWorkspace.path(pins[2].url))
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=360,800", "--accept-lang=vi-VN,vi"]
        let before = try ExternalTools.run("chromium", common + ["--user-data-dir=" + workspace.folder.path("chromium-1"), "--dump-dom", address])
        #expect(before.contains("name=\"pin\""), "\(before.prefix(600))")
        #expect(before.contains("Mã PIN dưới lớp cào"))
        #expect(!before.contains("Đã kích hoạt lúc"))
        let png = workspace.folder.path("pin-form-360.png")
        _ = try ExternalTools.run("chromium", common + ["--user-data-dir=" + workspace.folder.path("chromium-2"), "--screenshot=" + png, address])
        let header = try #require(FileHandle(forReadingAtPath: png)?.readData(ofLength: 24))
        #expect(header[16..<20].reduce(0) { $0 << 8 | Int($1) } == 360)
        // The form's request, as the browser sends it.
        let activated = try ExternalTools.run("curl", ["-s", "-A", "Mozilla/5.0 (Linux; Android 13) Mobile", "-H", "Accept-Language: vi",
                                                       "--data-urlencode", "pin=" + pins[2].pin.text.lowercased(), address])
        #expect(activated.contains("data-state=\"activated\""))
        let copy = try ExternalTools.run("curl", ["-s", "-H", "Accept: application/json", "-H", "X-Forwarded-For: 203.0.113.50",
                                                  "--data-urlencode", "pin=" + pins[2].pin.text, "-w", " %{http_code}", address])
        #expect(copy.contains("\"state\":\"already-activated\"") && copy.hasSuffix(" 200"), "\(copy)")
        let after = try ExternalTools.run("chromium", common + ["--user-data-dir=" + workspace.folder.path("chromium-3"), "--dump-dom", address])
        #expect(after.contains("Đã kích hoạt lúc"))
        #expect(server.stop() == 0)
    }
}
