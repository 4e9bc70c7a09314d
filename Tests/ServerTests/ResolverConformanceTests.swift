import Foundation
import HTTPTypes
import HummingbirdTesting
import OCOPTrace
import Testing
import TestSupport

/// One test per check of GS1 resolver conformance (1.2) that runs without a network, over real
/// HTTP against a live server (the list in ../shared/reference/gs1-resolver.md, section 2).
@Suite(.serialized) struct ResolverConformanceTests {
    static let gtinPath = "/01/\(ServerWorkspace.gtin)"

    @Test(arguments: RegistryEngine.available) func optionsAnswersMethodsAndCORS(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, _ in
            let response = try await client.execute(uri: Self.gtinPath, method: .options, headers: [
                HTTPField.Name("Origin")!: "https://ref.gs1.org/test-suites/resolver/",
                HTTPField.Name("Access-Control-Request-Method")!: "GET,HEAD,OPTIONS",
            ])
            #expect(response.status == .noContent)
            #expect(response.headers[.allow] == "GET, HEAD, OPTIONS")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            for method in ["GET", "HEAD", "OPTIONS"] { #expect(response.headers[.accessControlAllowMethods]?.contains(method) == true) }
            let exposed = response.headers[.accessControlExposeHeaders] ?? ""
            #expect(exposed.contains("Link") && exposed.contains("Location"))
            // CORS on every answer, errors included.
            for uri in ["/foo", "/01/09520123456789", "/.well-known/gs1resolver", ServerWorkspace.path(workspace.plain[0])] {
                let answer = try await client.execute(uri: uri, method: .get, headers: phone)
                #expect(answer.headers[.accessControlAllowOrigin] == "*", "\(uri)")
                #expect(answer.headers[.accessControlExposeHeaders]?.contains("Location") == true, "\(uri)")
            }
            #expect(try await client.execute(uri: Self.gtinPath, method: .post).status == .methodNotAllowed)
        }
    }

    @Test(arguments: RegistryEngine.available) func redirectsWith307ToTheDefaultLinkAndRecordsNoScan(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let stamp = workspace.plain[0]
        try await workspace.withServer { client, server in
            let response = try await client.execute(uri: ServerWorkspace.path(stamp), method: .get, headers: phone)
            #expect(response.status == .temporaryRedirect)
            #expect(response.headers[.location] == ServerWorkspace.base + "/v" + ServerWorkspace.path(stamp))
            #expect(response.headers[.cacheControl] == "no-store")
            let product = try await client.execute(uri: Self.gtinPath, method: .get, headers: phone)
            #expect(product.status == .temporaryRedirect)
            #expect(product.headers[.location] == ServerWorkspace.base + "/v" + Self.gtinPath)
            await server.waitForScans()
        }
        #expect(try await workspace.webScans() == 0)
    }

    @Test(arguments: RegistryEngine.available) func theQueryStringIsPassedOnUntouched(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, _ in
            for query in ["foo=bar", "11=261120&17=261127&foo=a;b%2Fc&x=%7E", "linkType=gs1:pip&k=v"] {
                let response = try await client.execute(uri: Self.gtinPath + "?" + query, method: .get, headers: phone)
                #expect(response.status == .temporaryRedirect)
                #expect(response.headers[.location] == ServerWorkspace.base + "/v" + Self.gtinPath + "?" + query)
            }
        }
    }

    @Test(arguments: RegistryEngine.available) func theLinkHeaderPointsToTheLinksetAndNothingElse(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, _ in
            let response = try await client.execute(uri: Self.gtinPath + "/10/NC2611A", method: .get, headers: phone)
            let link = try #require(response.headers[.link])
            #expect(link == "<\(ServerWorkspace.base)\(Self.gtinPath)/10/NC2611A?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\"")
            #expect(!link.contains("rel=\"gs1:"))
        }
    }

    @Test(arguments: [
        "/foo", "/01/09520123456789", "/01/123", "/01/\(ServerWorkspace.gtin)/21/ABC/10/L1",
        "/01/\(ServerWorkspace.gtin)/17/261231", "/01/\(ServerWorkspace.gtin)/foo", "/99/ABC", "/01/\(ServerWorkspace.gtin)/10/",
        "/01/\(ServerWorkspace.gtin)/10/L1/99/x", "/01/\(ServerWorkspace.gtin)/235/X/21/S", "/01/\(ServerWorkspace.gtin)/10/a%ZZ",
        "/01/\(ServerWorkspace.gtin)/10/L%C3%B4", "/favicon.ico", "/v/01/12345",
    ])
    func malformedPathsAre400(_ uri: String) async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        try await workspace.withServer { client, _ in
            let response = try await client.execute(uri: uri, method: .get, headers: phone)
            #expect(response.status == .badRequest, "\(uri): \(response.text)")
            #expect(response.text.hasPrefix("400 Bad Request: "))
            let head = try await client.execute(uri: uri, method: .head, headers: phone)
            #expect(head.status == .badRequest)
        }
    }

    @Test(arguments: RegistryEngine.available) func wellFormedKeysThatAreNotOursAre404(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, _ in
            for uri in ["/01/09520123456788", "/01/09520123456788/10/ABC1/21/12345", "/01/9520123456788"] {
                let response = try await client.execute(uri: uri, method: .get, headers: phone)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.headers[.location] == nil)
            }
        }
    }

    @Test(arguments: RegistryEngine.available) func aTrailingSlashIsTolerated(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, _ in
            for uri in [Self.gtinPath, Self.gtinPath + "/10/NC2611A"] {
                let plain = try await client.execute(uri: uri, method: .get, headers: phone)
                let slashed = try await client.execute(uri: uri + "/", method: .get, headers: phone)
                #expect(slashed.status == plain.status)
                #expect(slashed.headers[.location] == plain.headers[.location])
            }
        }
    }

    @Test(arguments: RegistryEngine.available) func headAnswersLikeGetWithoutABody(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, server in
            for uri in [Self.gtinPath, Self.gtinPath + "?linkType=linkset", ServerWorkspace.path(workspace.plain[1]), "/v" + ServerWorkspace.path(workspace.plain[1])] {
                let get = try await client.execute(uri: uri, method: .get, headers: phone)
                let head = try await client.execute(uri: uri, method: .head, headers: phone)
                #expect(head.status == get.status, "\(uri)")
                #expect(head.headers[.location] == get.headers[.location])
                #expect(head.headers[.link] == get.headers[.link])
                #expect(head.headers[.contentType] == get.headers[.contentType])
                #expect(head.body.readableBytes == 0)
            }
            await server.waitForScans()
        }
        // Only the one GET of the page counted.
        #expect(try await workspace.webScans() == 1)
    }

    @Test(arguments: RegistryEngine.available) func walksUpToTheRegisteredLevels(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let fake = "\(Self.gtinPath)/10/NC2611A/21/\(Serial.random().text)"
        try await workspace.withServer { client, _ in
            // An unknown lot or serial under our GTIN still resolves, to the page, which judges it.
            for uri in [Self.gtinPath + "/10/NOSUCHLOT", fake, Self.gtinPath + "/22/V1/10/NC2611A", Self.gtinPath + "/235/TPX1"] {
                let response = try await client.execute(uri: uri, method: .get, headers: phone)
                #expect(response.status == .temporaryRedirect, "\(uri)")
                #expect(response.headers[.location] == ServerWorkspace.base + "/v" + uri)
            }
            let page = try await client.execute(uri: "/v" + fake, method: .get, headers: phone)
            #expect(page.status == .ok)
            #expect(page.text.contains("data-status=\"unknown\""))
            #expect(page.text.contains("Không có trong sổ đăng ký"))
            #expect(!page.text.contains("Nem chua hộp 500g"), "a fabricated serial never shows the genuine product")
        }
    }

    @Test(arguments: RegistryEngine.available) func linksetsByQueryAndByAcceptValidateAgainstGS1Schema(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let stamp = workspace.plain[2]
        let path = ServerWorkspace.path(stamp)
        let withoutQuery = String(path.split(separator: "?")[0])
        try await workspace.withServer { client, server in
            var bodies: [String] = []
            for (uri, accept) in [(path + "&linkType=linkset", "text/html"), (withoutQuery + "?linkType=all", "*/*"),
                                  (withoutQuery, "application/linkset+json"), (withoutQuery, "application/json"),
                                  (Self.gtinPath + "?linkType=linkset", "*/*")] {
                let response = try await client.execute(uri: uri, method: .get, headers: headers([("Accept", accept)]))
                #expect(response.status == .ok, "\(uri) \(accept)")
                #expect(response.headers[.contentType] == "application/linkset+json")
                #expect(response.headers[.link] == "<https://ref.gs1.org/standards/resolver/1.2.0/linkset-context>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"")
                try validate(response.text, schema: referenceSchema("gs1-linkset-schema.json"))
                bodies.append(response.text)
            }
            let linkset = try JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as! [String: [[String: Any]]]
            let entries = linkset["linkset"]!
            // Rule 4: one entry per registered level, each with its own anchor.
            let anchors = entries.map { $0["anchor"] as! String }
            let serial = ServerWorkspace.serial(stamp)
            #expect(anchors == ["\(ServerWorkspace.base)\(Self.gtinPath)/21/\(serial)", "\(ServerWorkspace.base)\(Self.gtinPath)/10/NC2611A",
                                "\(ServerWorkspace.base)\(Self.gtinPath)"])
            for entry in entries {
                let defaults = entry["https://gs1.org/voc/defaultLink"] as! [[String: Any]]
                #expect(defaults.count == 1)
                #expect(Set(defaults[0].keys) == ["href", "title"], "the default link has href and title only")
                #expect((defaults[0]["href"] as! String).hasPrefix("\(ServerWorkspace.base)/v\(withoutQuery)"))
                #expect(entry["https://gs1.org/voc/pip"] != nil)
                #expect(entry["itemDescription"] as? String != nil)
            }
            // The OCOP recognition (valid) is the product level's certificationInfo.
            let certification = try #require(entries[2]["https://gs1.org/voc/certificationInfo"] as? [[String: Any]])
            let certificate = try await client.execute(uri: String((certification[0]["href"] as! String).dropFirst(ServerWorkspace.base.count)),
                                                       method: .get, headers: phone)
            #expect(certificate.status == .ok)
            #expect(certificate.text.contains("123/QĐ-UBND"))
            // The dates and the rest of the query reach the page through the links.
            let page = entries[0]["https://gs1.org/voc/pip"] as! [[String: Any]]
            #expect((page[0]["href"] as! String) == ServerWorkspace.base + "/v" + path)
            await server.waitForScans()
        }
        #expect(try await workspace.webScans() == 0, "linksets are no scans")
    }

    @Test(arguments: RegistryEngine.available) func linkTypesAsCURIEOrFullIRIAndUnknownOnes(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, _ in
            let page = ServerWorkspace.base + "/v" + Self.gtinPath
            for linkType in ["gs1:pip", "https://gs1.org/voc/pip", "https://ref.gs1.org/voc/pip", "gs1:defaultLink"] {
                let response = try await client.execute(uri: Self.gtinPath + "?linkType=" + linkType, method: .get, headers: phone)
                #expect(response.status == .temporaryRedirect, "\(linkType)")
                #expect(response.headers[.location] == page + "?linkType=" + linkType)
            }
            let certification = try await client.execute(uri: Self.gtinPath + "?linkType=gs1:certificationInfo", method: .get, headers: phone)
            #expect(certification.status == .temporaryRedirect)
            #expect(certification.headers[.location]?.hasPrefix(ServerWorkspace.base + "/ocop/01/") == true)
            for linkType in ["gs1:nosuchlt", "https://example.com/voc/pip", "pip"] {
                let response = try await client.execute(uri: Self.gtinPath + "?linkType=" + linkType, method: .get, headers: phone)
                #expect(response.status == .notFound, "\(linkType)")
            }
            // MT-200's recognition (2020) has ended: no certificationInfo.
            let ended = try await client.execute(uri: "/01/08939123400119?linkType=gs1:certificationInfo", method: .get, headers: phone)
            #expect(ended.status == .notFound)
        }
    }

    @Test(arguments: RegistryEngine.available) func theDescriptionFileValidates(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, _ in
            for uri in ["/.well-known/gs1resolver", "/.well-known/gs1resolver/"] {
                let response = try await client.execute(uri: uri, method: .get, headers: phone)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                try validate(response.text, schema: testSchema("description-file-schema.json"))
                let file = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as! [String: Any]
                #expect(file["resolverRoot"] as? String == ServerWorkspace.base)
                #expect(file["supportedPrimaryKeys"] as? [String] == ["01", "00"])
                #expect(file["name"] as? String == "Thử nghiệm")
                #expect((file["contact"] as? [String: String])?["fn"] == "HTX Nem chua Xuân Lập")
            }
        }
    }

    @Test(arguments: RegistryEngine.available) func productCodePathsAreRoutedBeforeDigitalLinkParsing(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        try await workspace.withServer { client, _ in
            // A /p/ path is served as the page directly: never a GS1 400, even when it is no stamp.
            for uri in [ServerWorkspace.path(workspace.script), "/p/NO-SUCH/10/X/21/Y", "/p/only-code", "/p/x/17/261231"] {
                let response = try await client.execute(uri: uri, method: .get, headers: phone)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
        }
    }
}
