import Foundation
import PropertyBased
import Testing
import TestSupport
@testable import OCOPTrace

/// Seeded fuzzing of what a scanner or an inspector hands the verifier (issue 21): stamp URLs,
/// typed stamp IDs, GTINs and GLNs, lots, base64url signatures and the forgiving input reader. Each
/// is read or refused with its typed error; what is built and written reads back the same. Seed and
/// case count: see `Fuzz`.
@Suite("Fuzz: stamps and identifiers") struct StampFuzzTests {
    static let resolvers = ["https://id.ocoptrace.vn", "http://localhost:8080", "https://example.vn/tem/r", "HTTPS://ID.Example.VN"]
    static let cset82 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!\"%&'()*+,-./:;<=>?_")

    /// A GTIN-14 with its check digit, from 13 random digits.
    static let gtin = Gen.int(in: 1...9_999_999_999_999).map { value -> GTIN in
        let leading = String(repeating: "0", count: 13 - String(value).count) + String(value)
        return try! GTIN(parsing: leading + String(GTIN.checkDigit(forLeading: leading)))
    }

    static let date = Gen.int(in: 10_957...47_481).map { CalendarDate(daysSinceEpoch: $0)! }  // 2000-01-01 to 2099-12-31

    /// A stamp URL as the issuer builds one, from random parts.
    static let stamp = Generator { random -> StampURL in
        let product: StampURL.ProductKey = Bool.random(using: &random)
            ? .gtin(gtin.run(using: &random))
            : .code(Fuzz.text(length: 1...30).run(using: &random))
        let lot = String((0..<Int.random(in: 1...20, using: &random)).map { _ in cset82.randomElement(using: &random)! })
        var url = StampURL(resolver: resolvers.randomElement(using: &random)!.lowercased(), product: product, lot: lot,
                           serial: Serial.random(using: &random),
                           producedOn: Bool.random(using: &random) ? date.run(using: &random) : nil,
                           expiresOn: Bool.random(using: &random) ? date.run(using: &random) : nil)
        if Bool.random(using: &random) {
            let keyID = String((0..<4).map { _ in Base64URL.character(UInt8.random(in: 0...61, using: &random)) })
            url.signature = EmbeddedSignature(keyID: keyID, signature: (0..<64).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
        return url
    }

    static let urlTokens = ["/01/", "/10/", "/21/", "/22/", "/p/", "/", "//", "?", "&", "=", "?11=", "&17=", "8030=", "#", "%", "%2F", "%2", "%C3",
                            "://", "https://", "01", "00000000000000", "http:/", "%F0%9F%98%80", "0"]

    @Test func stampURLsAreReadOrRefusedAndReadTheSameWhenWrittenAgain() throws {
        let examples = (0..<40).map { index -> String in
            var random = Fuzz.caseRandom(index: index, salt: 1)
            return StampFuzzTests.stamp.run(using: &random).text
        } + ["https://id.ocoptrace.vn/01/08938765000015/10/NC2611A/21/7K3QM9XW2HPT4RVA?11=261120&17=261127",
             "https://id.ocoptrace.vn/p/NC-CHAY/10/Lo-chay-11/21/7K3QM9XW2HPT4RVA?11=261120&17=261125&x=%20"]
        let input = Fuzz.mutated(texts: examples, tokens: StampFuzzTests.urlTokens, hugeUpTo: 3_000)
        Fuzz.run(cases: 5_000, input: input) { text in
            let url: StampURL
            do { url = try StampURL(parsing: text) } catch {
                try Fuzz.expectClearError(error, StampURL.ParseError.self)
                return
            }
            try Fuzz.check(url.lot.utf8.count <= LotNumber.maximumLength && url.lot.unicodeScalars.allSatisfy(LotNumber.isCSET82), "lot \(url.lot)")
            // Written again, percent-encoding can take a URL past the length read (3 bytes for 1).
            guard url.text.utf8.count <= StampURL.maximumLength else { return }
            let again: StampURL
            do { again = try StampURL(parsing: url.text) } catch { throw Fuzz.Failure("\(url.text) does not read back: \(error)") }
            try Fuzz.check(again == url && again.text == url.text, "written as \(url.text), read back as \(again.text)")
        }
    }

    @Test func stampURLsAsIssuedReadBackAsTheSameStamp() throws {
        Fuzz.run(cases: 3_000, input: StampFuzzTests.stamp, describe: { $0.text }) { url in
            let read: StampURL
            do { read = try StampURL(parsing: url.text) } catch { throw Fuzz.Failure("refused: \(error)") }
            try Fuzz.check(read.product == url.product && read.lot == url.lot && read.serial == url.serial, "read as \(read.product) \(read.lot) \(read.serial)")
            try Fuzz.check(read.producedOn == url.producedOn && read.expiresOn == url.expiresOn && read.signature == url.signature, "dates or signature differ")
            try Fuzz.check(read.resolver == url.resolver, "resolver \(read.resolver)")
        }
    }

    @Test func stampIDsReadBackForgivinglyAndCatchEveryTypo() throws {
        let input = zip(Generator { random in Serial.random(using: &random) }, Gen.int(in: 0...16), Gen.int(in: 0...31), Gen.int(in: 0...3))
        Fuzz.run(cases: 3_000, input: input) { serial, position, replacement, style in
            let id = StampID(serial: serial)
            var typed = id.formatted
            switch style {
            case 0: typed = typed.lowercased()
            case 1: typed = typed.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "0", with: "O")
            case 2: typed = typed.replacingOccurrences(of: "1", with: "l").replacingOccurrences(of: "-", with: "")
            default: break
            }
            try Fuzz.check((try? StampID(parsing: typed)) == id, "\(typed) does not read as \(id)")
            // One wrong character, or two neighbours swapped, is always caught.
            var characters = Array(id.serial.text + String(id.checkCharacter))
            let wrong = Character(Unicode.Scalar(Serial.alphabet[replacement]))
            if characters[position] != wrong {
                characters[position] = wrong
                try Fuzz.check((try? StampID(parsing: String(characters))) == nil, "a typo in \(String(characters)) was not caught")
            }
            characters = Array(id.serial.text + String(id.checkCharacter))
            if position < 16, characters[position] != characters[position + 1] {
                characters.swapAt(position, position + 1)
                try Fuzz.check((try? StampID(parsing: String(characters))) == nil, "a swap in \(String(characters)) was not caught")
            }
        }
    }

    @Test func typedStampIDsGTINsAndGLNsAreReadOrRefused() throws {
        let examples = ["7K3Q-M9XW-2HPT-4RVA-C", "7k3q m9xw 2hpt 4rva c", "8938765000015", "08938765000015", "893 8765 00000 8", "12345670", "0000000000000"]
        let input = Fuzz.mutated(texts: examples, tokens: ["-", " ", "\u{A0}", "–", "O", "I", "L", "U", "0", "9"], hugeUpTo: 5_000)
        Fuzz.run(cases: 5_000, input: input) { text in
            do {
                let id = try StampID(parsing: text)
                try Fuzz.check(id.formatted.count == 21, "formatted as \(id.formatted)")
            } catch { try Fuzz.expectClearError(error, StampID.ParseError.self) }
            do {
                let gtin = try GTIN(parsing: text)
                try Fuzz.check(gtin.digits.count == 14 && (try? GTIN(parsing: gtin.digits)) == gtin, "GTIN \(gtin.digits)")
                _ = gtin.restrictedUse
                _ = gtin.shortForm
            } catch { try Fuzz.expectClearError(error, GTIN.ParseError.self) }
            do {
                let gln = try GLN(parsing: text)
                try Fuzz.check(gln.digits.count == 13, "GLN \(gln.digits)")
            } catch { try Fuzz.expectClearError(error, GLN.ParseError.self) }
            do {
                let lot = try LotNumber(transliterating: text)
                try Fuzz.check(lot.code.count <= LotNumber.maximumLength && lot.code.unicodeScalars.allSatisfy(LotNumber.isCSET82), "lot \(lot.code)")
            } catch { try Fuzz.expectClearError(error, LotNumber.ParseError.self) }
        }
    }

    /// Whatever an inspector scans or types gets a verdict's input: a stamp, or a reason in both languages.
    @Test func anythingScannedOrTypedIsReadAsAStampOrAReason() throws {
        let examples = ["https://id.ocoptrace.vn/01/08938765000015/10/NC2611A/21/7K3QM9XW2HPT4RVA?11=261120", "7K3Q-M9XW-2HPT-4RVA-C",
                        "WIFI:S:x;T:WPA;P:y;;", "BEGIN:VCARD\nFN:x\nEND:VCARD", " tel:+84 ", "\u{FEFF}7K3QM9XW2HPT4RVAC\r\n"]
        Fuzz.run(cases: 4_000, input: Fuzz.mutated(texts: examples, tokens: StampFuzzTests.urlTokens, hugeUpTo: 10_000)) { text in
            switch VerificationInput(text) {
            case .url(let url): try Fuzz.check(Serial(exactly: url.serial.text) != nil, "serial \(url.serial)")
            case .stampID(let id): try Fuzz.check(Serial(exactly: id.serial.text) != nil, "serial \(id.serial)")
            case .malformed(let reason):
                for language in [Language.en, .vi] {
                    let said = reason.text(language)
                    try Fuzz.check(!said.isEmpty && said.utf8.count <= Fuzz.maximumMessageBytes, "reason of \(said.utf8.count) bytes")
                }
            }
        }
    }

    @Test func base64URLHasOneSpellingForEachByteString() throws {
        let input = zip(Fuzz.bytes(count: 0...100), Fuzz.mutated(texts: ["AAAA", "_-_-", "Xq3b" + String(repeating: "A", count: 86)], tokens: ["=", "+", "/"]))
        Fuzz.run(cases: 4_000, input: input) { bytes, text in
            try Fuzz.check(Base64URL.decode(Base64URL.encode(bytes)) == bytes, "\(bytes) does not round-trip")
            if let decoded = Base64URL.decode(text) {
                try Fuzz.check(Base64URL.encode(decoded) == text, "\(text) decodes but is not canonical")
            }
            if let signature = EmbeddedSignature(text: text) {
                try Fuzz.check(signature.text == text, "signature \(text) is written as \(signature.text)")
            }
        }
    }
}
