import Foundation
@testable import OCOPTrace
import PropertyBased
import Testing
import TestSupport
@testable import OCOPTraceServer

/// Seeded fuzzing of what the resolver reads from a request before any registry lookup (issue 21):
/// the path (Digital Link, stamp pages, compressed EPCs), the query string, `Accept-Language`,
/// `User-Agent` and the client's address. Each request gets a route or a 400 reason that is short
/// and says what is wrong; the rest never fail. Seed and case count: see `Fuzz`.
@Suite("Fuzz: resolver requests") struct ResolverFuzzTests {
    static let paths = [
        "/01/08938765000015/10/NC2611A/21/7K3QM9XW2HPT4RVA", "/01/8938765000015", "/01/08938765000015/22/V1/10/L%2F1/21/S1", "/01/08938765000015/235/TPX",
        "/v/01/08938765000015/10/NC2611A/21/7K3QM9XW2HPT4RVA", "/p/NC-CHAY/10/Lo-chay-11/21/7K3QM9XW2HPT4RVA", "/v/p/NC/10/L/21/S", "/ocop/01/08938765000015",
        "/.well-known/gs1resolver", "/", "/414/8938765000008", "/00/089387650000000008", "/c/C000000001", "/17/261120", "/eh3074257bf7194e4000001a85", "/ex MHQle_cZTkAAABqF".replacingOccurrences(of: " ", with: ""),
        "/exMHQle_cZTkAAABqF", "/ehf7" + String(repeating: "0", count: 40), "/ehfb" + String(repeating: "1", count: 50),
    ]
    static let tokens = ["/", "//", "/01/", "/10/", "/21/", "/22/", "/235/", "/p/", "/v/", "/00/", "/c/", "/eh", "/ex", "%", "%2F", "%zz", "%C3%A0", "%00", "?", "#", "0", "f", "_", "-"]

    @Test func everyPathGetsARouteOrAShortReason() throws {
        let input = Fuzz.mutated(texts: ResolverFuzzTests.paths, tokens: ResolverFuzzTests.tokens, hugeUpTo: 20_000)
        Fuzz.run(cases: 5_000, input: input) { path in
            switch ResolverRoute(path: path) {
            case .malformed(let reason):
                try Fuzz.check(!reason.isEmpty && reason.utf8.count <= 1_024, "a 400 reason of \(reason.utf8.count) bytes: \(Fuzz.excerpt(reason))")
            case .digitalLink(let link):
                // What was read is written back as a path that reads the same.
                try Fuzz.check(DigitalLinkPath.parse(link.text) == .path(link), "\(link.text) does not read back")
            case .compressed(let epc):
                try Fuzz.check(DigitalLinkPath.parse(epc.link.text) == .path(epc.link), "\(epc.uncompressed) does not read back")
            case .carton(let key):
                try Fuzz.check(ResolverRoute(path: key.path) == .carton(key), "\(key.path) does not read back")
            case .traceability(let link):
                try Fuzz.check(link.lot != nil, "\(link.text): events are kept per lot")
            case .stampPage, .certification, .descriptionFile, .home:
                break
            }
        }
    }

    /// Found by the fuzzer: a 400 quoted "the first 40 characters" of a path, and one Character can
    /// be a letter with thousands of combining marks: the reason grew with the request.
    @Test(arguments: ["/a", "/01/a", "/01/08938765000015/a", "/01/08938765000015/10/", "/01/08938765000015/10/a", "/v/01/a"])
    func aReasonQuotesAtMostFortyScalarsOfThePath(prefix: String) {
        let path = prefix + String(repeating: "\u{0301}", count: 20_000) + "/x"
        guard case .malformed(let reason) = ResolverRoute(path: path) else { Issue.record("\(prefix)… was routed"); return }
        #expect(reason.utf8.count < 300)
    }

    /// EPC binary strings of every header and length, hexadecimal and base64url, decode or say why.
    @Test func compressedEPCsDecodeOrSayWhy() throws {
        let headers: [UInt8] = [0x30, 0x36, 0xF7, 0xFB, 0x31, 0xFD, 0x00, 0x35]
        let input = zip(Gen.element(of: headers), Fuzz.bytes(count: 0...60), Gen.bool)
        Fuzz.run(cases: 5_000, input: input) { header, bytes, hex in
            let bits = [header ?? 0x30] + bytes
            let segment = hex
                ? "eh" + bits.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
                : "ex" + Base64URL.encode(bits)
            try Fuzz.check(CompressedEPC.matches(Substring(segment)), "\(segment) does not match")
            let epc: CompressedEPC
            do throws(CompressedEPC.DecodeError) { epc = try CompressedEPC(decoding: Substring(segment)) } catch {
                try Fuzz.check(!error.reason.isEmpty && error.reason.utf8.count <= 1_024, "reason \(error.reason)")
                return
            }
            try Fuzz.check(DigitalLinkPath.parse(epc.link.text) == .path(epc.link), "\(epc.uncompressed) does not read back")
        }
    }

    /// Headers and query strings never fail: a language, a yes or no, a network, a value or nil.
    @Test func headersAndQueryStringsAreAlwaysRead() throws {
        let acceptLanguages = ["vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", "en", "*", "fr;q=1, en;q=0.5", "en;q=nan, vi;q=inf", "en;q=-1", ""]
        let agents = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Zalo", "curl/8.0", "facebookexternalhit/1.1", "Googlebot", ""]
        let addresses = ["203.0.113.7", "2001:db8::1", "::ffff:203.0.113.7", "fe80::1%eth0", "::", "255.255.255.255", "1.2.3", "[::1]"]
        let queries = ["lang=en&11=261120&17=261127", "linkType=gs1:pip&lang=vi", "=&&=x&lang", "8030=Xq3bAAAA&linkType=all", "%zz=%zz"]
        let input = zip(Fuzz.mutated(texts: acceptLanguages, tokens: [",", ";", "q=", "-", "0.", "1e9"]),
                        Fuzz.mutated(texts: agents, tokens: ["bot", "/", " "], hugeUpTo: 20_000),
                        Fuzz.mutated(texts: addresses, tokens: [":", ".", "%", "::", "ffff"], hugeUpTo: 5_000),
                        Fuzz.mutated(texts: queries, tokens: ["&", "=", "lang=", "linkType=", "%"], hugeUpTo: 20_000))
        Fuzz.run(cases: 3_000, input: input) { acceptLanguage, agent, address, query in
            _ = Language.negotiate(query: QueryString(query).value("lang"), acceptLanguage: acceptLanguage)
            _ = ScanClient.isAutomated(userAgent: agent)
            let client = ScanClient(address: address, salt: [1, 2, 3])
            try Fuzz.check(client.network.count == 16, "network \(client.network)")
            let prefix = ScanClient.networkPrefix(of: address)
            try Fuzz.check(prefix == "unknown" || prefix.hasSuffix("/24") || prefix.hasSuffix("::/48"), "prefix \(prefix)")
            let without = QueryString(query).without("linkType")
            try Fuzz.check(without.map { !$0.contains("linkType=") || $0.contains("&linkType=") == false } ?? true, "linkType kept")
            let switched = VerificationPage.withLanguage("/01/08938765000015?" + query, .en)
            try Fuzz.check(switched.hasSuffix("lang=en"), "language switch \(Fuzz.excerpt(switched))")
        }
    }
}
