import Foundation
import HTTPTypes
import HummingbirdTesting
import OCOPTrace
import Testing
import TestSupport

/// Each kind of answer carries exactly its headers: CORS and nosniff on all, `no-store` and `Vary`
/// where the answer is negotiated, the CSP on pages; nothing more, nothing missing.
@Suite(.serialized) struct ResponseHeadersTests {
    static let shared: [String: String] = [
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Accept-Language",
        "Access-Control-Expose-Headers": "Link, Location, Content-Type",
        "X-Content-Type-Options": "nosniff",
    ]
    static let negotiated: [String: String?] = ["Vary": "Accept, Accept-Language", "Cache-Control": "no-store"]
    static let plain: [String: String?] = ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"]
    static let page: [String: String?] = ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Security-Policy": nil]
    static let stampPage = all(page, negotiated, ["Content-Language": "vi", "Referrer-Policy": "no-referrer"])

    /// The headers of `parts` together; a nil value: present, with any value.
    static func all(_ parts: [String: String?]...) -> [String: String?] {
        parts.reduce(into: [:]) { result, part in result.merge(part) { $1 } }
    }

    @Test func everyKindOfAnswerCarriesExactlyItsHeaders() async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        let gtin = "/01/\(ServerWorkspace.gtin)"
        let stampPage = "/v" + ServerWorkspace.path(workspace.plain[1])
        let json = headers([("Accept", "application/json")])
        // What each answer carries besides the shared headers (Date and Content-Length aside).
        let cases: [(uri: String, method: HTTPRequest.Method, fields: HTTPFields, expected: [String: String?])] = [
            ("/", .post, phone, Self.all(Self.plain, ["Allow": "GET, HEAD, OPTIONS"])),
            // An answer about a key names its linkset, OPTIONS too (GS1's resolver tests look for it).
            (gtin, .options, phone, ["Allow": "GET, HEAD, OPTIONS",
                                     "Link": "<\(ServerWorkspace.base)\(gtin)?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\""]),
            ("/foo", .get, phone, Self.plain),
            ("/.well-known/gs1resolver", .get, phone, ["Content-Type": "application/json", "Cache-Control": "max-age=3600"]),
            (gtin, .get, phone, Self.all(Self.negotiated, ["Location": nil, "Link": nil])),
            (gtin + "?linkType=linkset", .get, phone, Self.all(Self.negotiated, ["Content-Type": "application/linkset+json", "Link": nil])),
            ("/v" + gtin, .get, phone, Self.all(Self.page, Self.negotiated, ["Content-Language": "vi"])),
            (stampPage, .get, phone, Self.stampPage),
            (stampPage, .head, phone, Self.stampPage),
            (stampPage, .get, json, Self.all(Self.negotiated, ["Content-Type": "application/json", "Referrer-Policy": "no-referrer"])),
            ("/ocop" + gtin, .get, phone, Self.page),
        ]
        try await workspace.withServer { client, _ in
            for item in cases {
                let response = try await client.execute(uri: item.uri, method: item.method, headers: item.fields)
                let expected = Self.all(Self.shared.mapValues { Optional($0) }, item.expected)
                let names = Set(response.headers.map(\.name.canonicalName)).subtracting(["date", "content-length"])
                #expect(names == Set(expected.keys.map { HTTPField.Name($0)!.canonicalName }), "\(item.method) \(item.uri)")
                for (name, value) in expected {
                    guard let value else { continue }
                    #expect(response.headers[HTTPField.Name(name)!] == value, "\(item.method) \(item.uri): \(name)")
                }
                if let policy = response.headers[.contentSecurityPolicy] { #expect(policy.hasPrefix("default-src 'none'; style-src 'sha256-")) }
            }
        }
    }
}
