import Foundation
import HTTPTypes
import HummingbirdTesting
import OCOPTrace
import Testing
import TestSupport

@Suite(.serialized) struct VerificationPageTests {
    static func page(_ url: String) -> String { "/v" + ServerWorkspace.path(url) }

    @Test(arguments: RegistryEngine.available) func everyVerdictInVietnameseAndEnglish(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let genuine = workspace.plain[3]
        let tampered = genuine.replacingOccurrences(of: "/10/NC2611A/", with: "/10/NC2611B/")
        let cases: [(uri: String, status: String, vietnamese: String, english: String)] = [
            (Self.page(genuine), "genuine", "Chính hãng", "Genuine"),
            (Self.page(workspace.revoked), "revoked", "Đã thu hồi", "Revoked"),
            ("/v/01/\(ServerWorkspace.gtin)/10/NC2611A/21/\(Serial.random().text)", "unknown", "Không có trong sổ đăng ký", "Not in the registry"),
            (Self.page(tampered), "forged", "Giả mạo", "Forged"),
            (Self.page(workspace.pendingURL), "pending", "Chưa phát hành xong", "Not yet issued"),
            ("/p/NC-500/10/NC2611A/21/NOT-A-SERIAL", "malformed", "Không phải tem hợp lệ", "Not a stamp"),
        ]
        try await workspace.withServer { client, _ in
            for item in cases {
                let vietnamese = try await client.execute(uri: item.uri, method: .get, headers: phone)
                #expect(vietnamese.status == .ok)
                #expect(vietnamese.text.contains("data-status=\"\(item.status)\""), "\(item.uri)")
                #expect(vietnamese.text.contains("<h1>\(item.vietnamese)</h1>"), "\(item.uri)")
                #expect(vietnamese.headers[.contentLanguage] == "vi")
                let english = try await client.execute(uri: item.uri, method: .get, headers: headers([("Accept-Language", "en-GB,en;q=0.9,vi;q=0.5")]))
                #expect(english.text.contains("<h1>\(item.english)</h1>"), "\(item.uri)")
                let byQuery = try await client.execute(uri: item.uri + (item.uri.contains("?") ? "&" : "?") + "lang=en", method: .get, headers: phone)
                #expect(byQuery.text.contains("<h1>\(item.english)</h1>"), "\(item.uri)")
                if item.status != "genuine" && item.status != "revoked" && item.status != "pending" {
                    #expect(!vietnamese.text.contains("Nem chua hộp 500g"), "\(item.status) must not look like the genuine product")
                }
            }
            // The reason in Vietnamese, the same wording `verify --lang vi` prints.
            let revoked = try await client.execute(uri: Self.page(workspace.revoked), method: .get, headers: phone)
            #expect(revoked.text.contains("đã thu hồi: cuộn tem bị mất"))
        }
    }

    @Test func theLanguageFollowsAcceptLanguageByQuality() async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        let uri = Self.page(workspace.plain[2])
        let cases: [(acceptLanguage: String, expected: String)] = [
            ("en-GB,en;q=0.9,vi;q=0.5", "en"),
            ("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", "vi"),
            ("fr-FR, EN ;q=0.5", "en"),
            ("en;q=0, vi;q=0.1", "vi"),
            ("en ; q=0 , fr", "vi"),
            ("vi;q=0.4, en;q=0.6", "en"),
            ("en;q=0.5, vi;q=0.5", "en"),
            ("*", "vi"),
            ("", "vi"),
            (",,;q=,-", "vi"),
        ]
        try await workspace.withServer { client, _ in
            for item in cases {
                let response = try await client.execute(uri: uri, method: .get, headers: headers([("Accept-Language", item.acceptLanguage)]))
                #expect(response.headers[.contentLanguage] == item.expected, "Accept-Language: \(item.acceptLanguage)")
            }
            let byQuery = try await client.execute(uri: uri + (uri.contains("?") ? "&" : "?") + "lang=EN", method: .get, headers: headers([("Accept-Language", "vi")]))
            #expect(byQuery.headers[.contentLanguage] == "en")
        }
    }

    @Test(arguments: RegistryEngine.available) func theGenuinePageShowsWhatTheRulesAsk(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let stamp = workspace.plain[4]
        try await workspace.withServer { client, _ in
            let response = try await client.execute(uri: Self.page(stamp), method: .get, headers: phone)
            let html = response.text
            #expect(response.body.readableBytes < 30_000)
            for fact in ["Nem chua hộp 500g", "HTX Nem chua Xuân Lập", "Xuân Lập, Thọ Xuân, Thanh Hóa", "Thanh Hóa, Việt Nam", "★★★★",
                         "còn hiệu lực", "123/QĐ-UBND", "NC2611A", "NSX", "HSD", StampID(serial: Serial(exactly: ServerWorkspace.serial(stamp))!).formatted,
                         "Quét lần thứ 1, lần đầu ngày", "https://cdn.example.vn/nem.jpg", "\"@type\":\"Product\"", "\"gtin14\":\"08938765000015\""] {
                #expect(html.contains(fact), "\(fact)")
            }
            #expect(!html.contains("<script src"), "no external script")
            #expect(!html.contains("<link"), "no external style or font")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            let policy = try #require(response.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("style-src 'sha256-") && !policy.contains("unsafe-inline"))
        }
    }

    @Test(arguments: RegistryEngine.available) func aProductLevelLinkShowsTheProductWithoutAVerdict(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, server in
            for uri in ["/v/01/\(ServerWorkspace.gtin)", "/v/01/\(ServerWorkspace.gtin)/10/NC2611A", "/v/01/\(ServerWorkspace.gtin)/"] {
                let response = try await client.execute(uri: uri, method: .get, headers: phone)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.text.contains("data-status=\"product\""), "\(uri)")
                #expect(response.text.contains("<h1>Thông tin sản phẩm</h1>"))
                #expect(response.text.contains("Nem chua hộp 500g"))
                #expect(!response.text.contains("Chính hãng"))
            }
            // As JSON it is what `verify` says of such a URL: not a stamp.
            let json = try await client.execute(uri: "/v/01/\(ServerWorkspace.gtin)", method: .get, headers: headers([("Accept", "application/json")]))
            #expect(json.text.contains("\"status\":\"malformed\""))
            // A GTIN not ours is a page that says it is not a stamp of ours.
            let stranger = try await client.execute(uri: "/v/01/09520123456788", method: .get, headers: phone)
            #expect(stranger.text.contains("data-status=\"malformed\""))
            await server.waitForScans()
        }
        #expect(try await workspace.webScans() == 0)
    }

    @Test(arguments: RegistryEngine.available) func catalogTextIsEscaped(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, _ in
            let response = try await client.execute(uri: ServerWorkspace.path(workspace.script), method: .get, headers: phone)
            let html = response.text
            #expect(html.contains("data-status=\"genuine\""))
            #expect(!html.contains("<script>alert(1)</script>"))
            #expect(!html.contains("<b>bold</b>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains("HTX &quot;&lt;b&gt;bold&lt;/b&gt;&quot; &amp; co"))
            // In the JSON-LD block, `<` is escaped so that no `</script>` can close it.
            #expect(html.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"))
            // A query string cannot break out of the language link either.
            let hostile = try await client.execute(uri: ServerWorkspace.path(workspace.script) + "&x=%22%3E%3Cscript%3E", method: .get, headers: phone)
            #expect(!hostile.text.contains("\"><script>"))
        }
    }

    @Test(arguments: RegistryEngine.available) func acceptJSONGivesTheVerifyObject(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let stamp = workspace.plain[5]
        try await workspace.withServer { client, _ in
            let response = try await client.execute(uri: Self.page(stamp), method: .get, headers: headers([("Accept", "application/json")]))
            #expect(response.headers[.contentType] == "application/json")
            let object = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as! [String: Any]
            #expect(object["status"] as? String == "genuine")
            #expect(object["reason_code"] as? String == "issued")
            #expect(object["serial"] as? String == ServerWorkspace.serial(stamp))
            #expect((object["scans"] as? [String: Any])?["count"] as? Int == 1)
            for key in ["input", "reason", "stamp_id", "product", "producer", "lot", "produced_on", "expires_on", "product_expired", "ocop",
                        "signature", "suspected_clone", "warnings", "mode", "pack_created", "checked_on"] {
                #expect(object.keys.contains(key), "\(key)")
            }
        }
    }

    @Test(arguments: RegistryEngine.available) func scansCountOneGetPerPersonAndNothingElse(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let stamp = workspace.plain[6]
        let serial = ServerWorkspace.serial(stamp)
        try await workspace.withServer { client, server in
            let first = try await client.execute(uri: Self.page(stamp), method: .get, headers: phone)
            #expect(first.text.contains("Quét lần thứ 1"))
            // A reload from the same network within the window counts once.
            let reload = try await client.execute(uri: Self.page(stamp), method: .get, headers: phone)
            #expect(reload.text.contains("Quét lần thứ 1"))
            // Same /24 behind the proxy: still the same client.
            _ = try await client.execute(uri: Self.page(stamp), method: .get, headers: headers([("X-Forwarded-For", "127.0.0.9")]))
            // HEAD, redirects, linksets, OPTIONS, crawlers and link previews never count.
            _ = try await client.execute(uri: Self.page(stamp), method: .head, headers: headers([("X-Forwarded-For", "203.0.113.5")]))
            _ = try await client.execute(uri: ServerWorkspace.path(stamp), method: .get, headers: headers([("X-Forwarded-For", "203.0.113.6")]))
            _ = try await client.execute(uri: ServerWorkspace.path(stamp) + "&linkType=linkset", method: .get, headers: headers([("X-Forwarded-For", "203.0.113.7")]))
            _ = try await client.execute(uri: Self.page(stamp), method: .options, headers: headers([("X-Forwarded-For", "203.0.113.8")]))
            for agent in ["facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "Zalo link preview bot",
                          "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "TelegramBot (like TwitterBot)",
                          "WhatsApp/2.23.20.0", "curl/8.5.0", ""] {
                _ = try await client.execute(uri: Self.page(stamp), method: .get, headers: [.userAgent: agent, HTTPField.Name("X-Forwarded-For")!: "198.51.100.1"])
            }
            await server.waitForScans()
            #expect(try await workspace.webScans(serial) == 1)
            // Other networks are other shoppers: each counts, and the page numbers them.
            for (index, address) in ["203.0.113.10", "198.51.100.20", "2001:db8:1::1"].enumerated() {
                let response = try await client.execute(uri: Self.page(stamp), method: .get, headers: headers([("X-Forwarded-For", address)]))
                #expect(response.text.contains("Quét lần thứ \(index + 2)"), "\(address)")
            }
            await server.waitForScans()
            #expect(try await workspace.webScans(serial) == 4)
            // The scan log keeps a salted hash of the network, never the address.
            let stored = try await workspace.registry.rows("SELECT client_network FROM scans WHERE channel = 'web'").compactMap { $0["client_network"] }
            #expect(stored.count == 4 && stored.allSatisfy { $0.count == 16 && !$0.contains(".") && !$0.contains(":") })
            #expect(Set(stored).count == 4)
        }
    }

    @Test(arguments: RegistryEngine.available) func aReloadAfterTheWindowCountsAgain(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let stamp = workspace.plain[7]
        try await workspace.withServer(reloadWindow: 0.2) { client, server in
            _ = try await client.execute(uri: Self.page(stamp), method: .get, headers: phone)
            try await Task.sleep(for: .milliseconds(300))
            let again = try await client.execute(uri: Self.page(stamp), method: .get, headers: phone)
            #expect(again.text.contains("Quét lần thứ 2"))
            await server.waitForScans()
        }
        #expect(try await workspace.webScans() == 2)
    }

    @Test(arguments: RegistryEngine.available) func aStampScannedOftenWarnsOfACopy(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let stamp = workspace.plain[8]
        try await workspace.withServer { client, _ in
            var last = ""
            for network in 1...7 {
                last = try await client.execute(uri: Self.page(stamp), method: .get, headers: headers([("X-Forwarded-For", "10.0.\(network).1")])).text
            }
            #expect(last.contains("role=\"alert\""))
            #expect(last.contains("Cảnh báo: nghi tem bị sao chép"))
            #expect(last.contains("Quét lần thứ 7"))
        }
    }

    @Test(arguments: RegistryEngine.available) func signaturesAreChecked(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let stamp = workspace.signed[0]
        // One character in the middle of the signature changed: the last two would not do, since
        // the top byte of an Ed25519 signature's S is often zero already.
        var characters = Array(stamp)
        let middle = try #require(stamp.range(of: "8030=")).upperBound.utf16Offset(in: stamp) + 45
        characters[middle] = characters[middle] == "A" ? "B" : "A"
        let broken = String(characters)
        try await workspace.withServer { client, _ in
            let valid = try await client.execute(uri: Self.page(stamp), method: .get, headers: phone)
            #expect(valid.text.contains("data-status=\"genuine\""))
            #expect(valid.text.contains("Chữ ký số</dt><dd class=\"ok\">hợp lệ"))
            let forged = try await client.execute(uri: Self.page(String(broken)), method: .get, headers: phone)
            #expect(forged.text.contains("data-status=\"forged\"") || forged.text.contains("data-status=\"malformed\""))
            let stripped = String(stamp.split(separator: "&8030=")[0])
            let noSignature = try await client.execute(uri: Self.page(stripped), method: .get, headers: phone)
            #expect(noSignature.text.contains("data-status=\"forged\""))
            #expect(noSignature.text.contains("chữ ký đã bị gỡ bỏ"))
        }
    }
}
