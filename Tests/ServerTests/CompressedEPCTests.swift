import Foundation
import HTTPTypes
import HummingbirdTesting
import OCOPTrace
import Testing
import TestSupport

/// Resolver 1.2 §5.5: EPC binary strings as compressed Digital Link URIs (`/eh…`, `/ex…`) are
/// decompressed, answered as the uncompressed URI is, and named with `Link: <…>; rel="owl:sameAs"`.
/// The vectors are the published ones: the compression standard's worked example and the Tag Data
/// Standard's annex E.3; our own stamps are encoded here by the Tag Data Standard's rules.
@Suite(.serialized) struct CompressedEPCTests {
    static func sameAs(_ response: TestResponse) -> String? {
        response.headers[values: .link].first { $0.hasSuffix("rel=\"owl:sameAs\"") }
            .map { String($0.dropFirst().prefix { $0 != ">" }) }
    }

    @Test func publishedVectorsDecompressToTheirDigitalLinks() async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        let vectors: [(segment: String, uncompressed: String)] = [
            ("eh30164596f40c0e5cbe991a83", "/01/09528765123457/21/123456789123"),            // EPCB 4.2, hexadecimal
            ("exMBZFlvQMDly-mRqD", "/01/09528765123457/21/123456789123"),                    // EPCB 4.2, base64url
            ("eh3066c4409047e140075bcd15", "/01/09506000134352/21/123456789"),               // SGTIN-96
            ("eh3666c4409047e159b2c2bf100000000000000000000000000000", "/01/09506000134352/21/32a%2Fb"),  // SGTIN-198
            ("ehf73795211411234538566cb0afc4", "/01/79521141123453/21/32a%2Fb"),            // SGTIN+
            ("ehfb342cde795211411234538566cb0afc4", "/01/79521141123453/21/32a%2Fb?17=220630"),  // DSGTIN+
        ]
        try await workspace.withServer { client, _ in
            for vector in vectors {
                let response = try await client.execute(uri: "/" + vector.segment, method: .get, headers: phone)
                // Well-formed GTINs that are not in this registry.
                #expect(response.status == .notFound, "\(vector.segment)")
                #expect(Self.sameAs(response) == ServerWorkspace.base + vector.uncompressed, "\(vector.segment)")
            }
        }
    }

    @Test func everyValueEncodingDecodes() async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        let gtin = "09506000134352"
        let head = "11110111" + "0" + "000" + TDS.nibbles(gtin)
        let cases: [(serialBits: String, serial: String)] = [
            ("000" + TDS.bits(5, 5) + TDS.bits(1234, 17), "01234"),                          // integer, leading zero kept
            ("001" + TDS.bits(5, 5) + TDS.nibbles("ABC12"), "ABC12"),                       // upper-case hexadecimal
            ("010" + TDS.bits(5, 5) + TDS.nibbles("ABC12"), "abc12"),                       // lower-case hexadecimal
            (TDS.alphanumeric("Xy-_9"), "Xy-_9"),                                            // base64url
            (TDS.alphanumeric("A/B+"), "A%2FB%2B"),                                          // 7-bit ASCII
        ]
        try await workspace.withServer { client, _ in
            for item in cases {
                let response = try await client.execute(uri: "/" + TDS.eh(head + item.serialBits), method: .get, headers: phone)
                #expect(Self.sameAs(response) == "\(ServerWorkspace.base)/01/\(gtin)/21/\(item.serial)", "\(item.serial)")
            }
            let twice = head + TDS.alphanumeric("S1") + TDS.aidc("10", TDS.alphanumeric("L1")) + TDS.aidc("10", TDS.alphanumeric("L2"))
            #expect(try await client.execute(uri: "/" + TDS.eh(twice), method: .get, headers: phone).status == .badRequest)
            let freeze = "11111011" + "0" + "000" + "0101" + TDS.date("260101") + TDS.nibbles(gtin) + TDS.alphanumeric("S1")
            let refused = try await client.execute(uri: "/" + TDS.eh(freeze), method: .get, headers: phone)
            #expect(refused.status == .badRequest && refused.text.contains("AI 7006"), "\(refused.text)")
        }
    }

    @Test(arguments: RegistryEngine.available) func ourStampAnswersAsItsUncompressedURI(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let stamp = ServerWorkspace.path(workspace.plain[5])
        let components = try #require(URLComponents(string: "https://x" + stamp))
        let segments = components.path.split(separator: "/").map(String.init)
        try #require(segments.count == 6 && segments[0] == "01" && segments[2] == "10" && segments[4] == "21")
        let dates = (components.queryItems ?? []).filter { ["11", "17"].contains($0.name) }.map { ($0.name, $0.value ?? "") }
        var bits = TDS.sgtinPlus(gtin: segments[1], serial: segments[5]) + TDS.aidc("10", TDS.alphanumeric(segments[3]))
        for (ai, value) in dates { bits += TDS.aidc(ai, TDS.date(value)) }
        let compressedForms = [TDS.eh(bits), TDS.ex(bits)]
        try await workspace.withServer { client, server in
            let plain = try await client.execute(uri: stamp, method: .get, headers: phone)
            for segment in compressedForms {
                let compressed = try await client.execute(uri: "/" + segment, method: .get, headers: phone)
                #expect(compressed.status == .temporaryRedirect)
                #expect(compressed.headers[.location] == plain.headers[.location], "\(segment)")
                #expect(Self.sameAs(compressed) == ServerWorkspace.base + stamp)
                // The request's own query follows the decoded attributes, untouched.
                let withQuery = try await client.execute(uri: "/" + segment + "?foo=a;b", method: .get, headers: phone)
                #expect(withQuery.headers[.location] == (plain.headers[.location] ?? "") + "&foo=a;b")
                let head = try await client.execute(uri: "/" + segment, method: .head, headers: phone)
                #expect(head.status == .temporaryRedirect && head.body.readableBytes == 0)
                #expect(Self.sameAs(head) == ServerWorkspace.base + stamp)
                // The linkset's anchors are the uncompressed URI's levels.
                let linkset = try await client.execute(uri: "/" + segment + "?linkType=linkset", method: .get, headers: phone)
                #expect(linkset.status == .ok)
                #expect(linkset.text.contains("\"anchor\":\"\(ServerWorkspace.base)/01/\(ServerWorkspace.gtin)/21/\(segments[5])\""))
                #expect(!linkset.text.contains(segment))
            }
            await server.waitForScans()
        }
        #expect(try await workspace.webScans() == 0, "resolving records no scan")
    }

    @Test(arguments: [
        "/eh", "/ex", "/eh3016", "/eh30164596f40c0e5cbe991a830001",
        "/eh311ba1b300ce0a6a83000000", "/eh3500e86f8000a9e000000586", "/ehfe0000000000000000000000", "/exAAAAAAAAAAAAAAAA",
        "/eh" + TDS.hex(TDS.sgtinPlus(gtin: "0950600013435A", serial: "S1")),
        "/eh" + TDS.hex(TDS.sgtinPlus(gtin: "09506000134352", serial: "S1") + TDS.aidc("17", "0011010" + "0010" + "11110")),
        "/eh" + TDS.hex(TDS.sgtinPlus(gtin: "09506000134352", serial: "S1") + TDS.aidc("21", TDS.alphanumeric("S2"))),
        "/eh" + TDS.hex(TDS.sgtinPlus(gtin: "09506000134352", serial: "S1") + TDS.aidc("10", "110" + "00010" + String(repeating: "0", count: 12))),
        "/ehZZ", "/EH30164596f40c0e5cbe991a83",
    ])
    func stringsThatDoNotDecodeAre400(_ uri: String) async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        try await workspace.withServer { client, _ in
            let response = try await client.execute(uri: uri, method: .get, headers: phone)
            #expect(response.status == .badRequest, "\(uri): \(response.text)")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
        }
    }

    @Test func otherKeysAreNamedInTheAnswer() async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        try await workspace.withServer { client, _ in
            let sscc = try await client.execute(uri: "/eh311ba1b300ce0a6a83000000", method: .get, headers: phone)
            #expect(sscc.status == .badRequest)
            #expect(sscc.text.contains("SSCC-96") && sscc.text.contains("AI 00"))
        }
    }
}

/// A Tag Data Standard encoder for the tests' own stamps, written from the standard (TDS 2.x
/// §14.5): SGTIN+ (header F7), +AIDC data, and the `eh`/`ex` compression.
enum TDS {
    static func bits(_ value: UInt64, _ width: Int) -> String {
        let text = String(value, radix: 2)
        return String(repeating: "0", count: width - text.count) + text
    }

    static func nibbles(_ digits: String) -> String {
        digits.map { bits(UInt64(String($0), radix: 16)!, 4) }.joined()
    }

    static let base64URL = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// Base64url (encoding 011) when every character allows it, else 7-bit ASCII (100); length in 5 bits.
    static func alphanumeric(_ value: String) -> String {
        if value.allSatisfy({ base64URL.contains($0) }) {
            return "011" + bits(UInt64(value.count), 5) + value.map { bits(UInt64(base64URL.firstIndex(of: $0)!), 6) }.joined()
        }
        return "100" + bits(UInt64(value.count), 5) + value.unicodeScalars.map { bits(UInt64($0.value), 7) }.joined()
    }

    static func date(_ yymmdd: String) -> String {
        let digits = Array(yymmdd)
        return bits(UInt64(String(digits[0...1]))!, 7) + bits(UInt64(String(digits[2...3]))!, 4) + bits(UInt64(String(digits[4...5]))!, 5)
    }

    static func aidc(_ ai: String, _ valueBits: String) -> String { nibbles(ai) + valueBits }

    static func sgtinPlus(gtin: String, serial: String) -> String {
        "11110111" + "0" + "000" + nibbles(gtin) + alphanumeric(serial)
    }

    static func hex(_ bits: String) -> String {
        let padded = bits + String(repeating: "0", count: (16 - bits.count % 16) % 16)
        return stride(from: 0, to: padded.count, by: 4).map { offset in
            let start = padded.index(padded.startIndex, offsetBy: offset)
            return String(UInt8(padded[start..<padded.index(start, offsetBy: 4)], radix: 2)!, radix: 16)
        }.joined()
    }

    static func eh(_ bits: String) -> String { "eh" + hex(bits) }

    static func ex(_ bits: String) -> String {
        let padded = bits + String(repeating: "0", count: (6 - bits.count % 6) % 6)
        return "ex" + stride(from: 0, to: padded.count, by: 6).map { offset -> String in
            let start = padded.index(padded.startIndex, offsetBy: offset)
            return String(base64URL[Int(padded[start..<padded.index(start, offsetBy: 6)], radix: 2)!])
        }.joined()
    }
}
