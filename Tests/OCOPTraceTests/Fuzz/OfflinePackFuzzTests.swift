import Crypto
import Foundation
import PropertyBased
import Testing
import TestSupport
@testable import OCOPTrace

/// Seeded fuzzing of offline packs and public key files (issue 21). A pack altered anywhere is
/// refused with a `PackError` naming the file; a pack whose contents are damaged but signed anyway
/// (by a broken writer, or a key holder) is refused as not a pack or loads and verifies without a
/// crash. Public key files are read or refused with a `KeyError`. Seed and case count: see `Fuzz`.
@Suite("Fuzz: offline packs and keys") struct OfflinePackFuzzTests {
    /// A fixed key, so that packs are the same bytes on every run.
    static let key: SigningKey = {
        let privateKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 21, count: 32))
        return SigningKey(keyID: PublicStampKey.keyID(for: [UInt8](privateKey.publicKey.rawRepresentation)), privateKey: privateKey)
    }()

    static let serials = (0..<40).map { index -> Serial in
        var random = Fuzz.caseRandom(index: index, salt: 7)
        return Serial.random(using: &random)
    }.sorted()

    static let header = OfflinePack.Header(
        created: "2026-11-23T13:20:00.000Z", producer: nil, province: "Thanh Hóa",
        products: [.init(code: "NC-500", name: "Nem chua", gtin: "08938765000015", producer: "HTX Xuân Lập", province: "Thanh Hóa", stars: 4,
                         decision: "12/QĐ", recognizedOn: "2025-03-14"),
                   .init(code: "NC-CHAY", name: "Nem chay", gtin: nil, producer: "HTX", province: "Thanh Hóa", stars: nil, decision: nil, recognizedOn: nil)],
        lots: [.init(product: 0, lot: "NC2611A", producedOn: "2026-11-20", expiresOn: "2026-11-27", resolver: "https://id.ocoptrace.vn"),
               .init(product: 1, lot: "Lo-chay-11", producedOn: nil, expiresOn: "bad", resolver: "https://id.ocoptrace.vn")],
        revocations: [serials[3].text: "lost in transit"])

    static var headerJSON: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [UInt8](try! encoder.encode(header))
    }

    static func entries(count: Int) -> [UInt8] {
        serials.prefix(count).enumerated().flatMap { index, serial in
            OfflinePack.serialBytes(OfflinePack.serialValue(serial.text)!) + withUnsafeBytes(of: (UInt32(index % 2) | (index % 3 == 0 ? OfflinePack.signedFlag : 0)).littleEndian, Array.init)
        }
    }

    /// A pack's bytes as `OfflinePack.write` lays them out, signed with `key`.
    static func pack(headerJSON: [UInt8], entries: [UInt8], headerLength: Int? = nil, count: Int? = nil) -> [UInt8] {
        var body = OfflinePack.magic
        body += withUnsafeBytes(of: UInt32(truncatingIfNeeded: headerLength ?? headerJSON.count).littleEndian, Array.init)
        body += headerJSON
        body += withUnsafeBytes(of: UInt32(truncatingIfNeeded: count ?? entries.count / OfflinePack.entrySize).littleEndian, Array.init)
        body += entries
        return body + Array(key.keyID.utf8) + [UInt8](try! key.privateKey.signature(for: Data(body)))
    }

    static let valid = pack(headerJSON: headerJSON, entries: entries(count: 40))

    static func load(_ bytes: [UInt8], at url: URL) throws(Fuzz.Failure) -> OfflinePack? {
        try! Data(bytes).write(to: url)
        do {
            return try OfflinePack(contentsOf: url, publicKeys: [key.publicKey])
        } catch {
            try Fuzz.expectClearError(error, OfflinePack.PackError.self, naming: [url.relativePath])
            return nil
        }
    }

    @Test func aPackAlteredAnywhereIsRefused() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("altered.pack")
        let examples = [OfflinePackFuzzTests.valid, OfflinePackFuzzTests.pack(headerJSON: OfflinePackFuzzTests.headerJSON, entries: [])]
        Fuzz.run(cases: 1_500, input: Fuzz.mutated(examples, hugeUpTo: 20_000, randomBytes: 0.05), describe: Fuzz.excerpt) { bytes in
            let pack = try OfflinePackFuzzTests.load(bytes, at: file)
            try Fuzz.check(pack == nil || examples.contains(bytes), "an altered pack of \(bytes.count) bytes was accepted")
        }
    }

    /// Damage behind a good signature: the header's JSON, the lengths and the entries.
    @Test func aDamagedPackSignedAnywayIsRefusedOrVerifiesWithoutACrash() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("signed.pack")
        let jsonTokens = ["-1", "-9223372036854775808", "9223372036854775807", "4294967295", "1e400", "null", "[]", "{}", "\"\"", "\"product\":-1,",
                          "\"product\":2,", "\"stars\":-7,", "\"lots\":[],", "\"products\":[],", "\"revocations\":{\"x\":\"y\"},", ",", ":", "\\u0000", "\\ud800"]
        let header = Fuzz.mutated([OfflinePackFuzzTests.headerJSON], tokens: jsonTokens.map { Array($0.utf8) }, hugeUpTo: 50_000, randomBytes: 0.02)
        let entries = Fuzz.mutated([OfflinePackFuzzTests.entries(count: 40), OfflinePackFuzzTests.entries(count: 3)], hugeUpTo: 2_000, randomBytes: 0.1)
        let lengths = Gen<Int?>.frequency([(6, Gen.always(nil).eraseToAny()), (1, Gen.int(in: -2...100_000).map { Optional($0) }.eraseToAny())])
        let input = zip(Gen.int(in: 0...2), header, entries, zip(lengths, lengths))
        Fuzz.run(cases: 1_500, input: input, describe: { Fuzz.excerpt($0.1) }) { which, headerJSON, entryBytes, declared in
            // Damage the header, the entries or both; declared lengths are sometimes wrong as well.
            let bytes = OfflinePackFuzzTests.pack(headerJSON: which == 1 ? OfflinePackFuzzTests.headerJSON : headerJSON,
                             entries: which == 0 ? OfflinePackFuzzTests.entries(count: 40) : entryBytes,
                             headerLength: declared.0, count: declared.1)
            guard let pack = try OfflinePackFuzzTests.load(bytes, at: file) else { return }
            let verifier = OfflineVerifier(pack: pack, publicKeys: [OfflinePackFuzzTests.key.publicKey], today: CalendarDate(year: 2026, month: 12, day: 1)!)
            let inputs = OfflinePackFuzzTests.serials.prefix(6).map { StampID(serial: $0).formatted } + ["https://id.ocoptrace.vn/p/NC-CHAY/10/x/21/\(OfflinePackFuzzTests.serials[1].text)"]
            for result in verifier.verify(inputs) {
                try Fuzz.check(!result.explanation.text(.en).isEmpty, "a verdict without an explanation")
            }
        }
    }

    @Test func publicKeyFilesAreReadOrRefused() throws {
        let key = OfflinePackFuzzTests.key.publicKey
        let text = key.fileText(created: "2026-11-23T13:20:00.000Z")
        #expect(try PublicStampKey(fileText: text) == key)
        let examples = [text, text.replacingOccurrences(of: "\n", with: "\r\n"), text.replacingOccurrences(of: "key-id: \(key.keyID)\n", with: "")]
        let input = Fuzz.mutated(texts: examples, tokens: [":", "\n", "public-key:", "key-id:", "algorithm: Ed25519", "ocoptrace-public-key 1", "=", "+"])
        Fuzz.run(cases: 3_000, input: input) { text in
            do {
                let read = try PublicStampKey(fileText: text)
                try Fuzz.check(read.rawKey.count == 32 && read.keyID == PublicStampKey.keyID(for: read.rawKey), "key \(read.keyID)")
            } catch {
                try Fuzz.expectClearError(error, KeyError.self)
            }
        }
    }
}
