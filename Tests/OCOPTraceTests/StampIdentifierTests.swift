import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

@Suite struct SerialAndStampIDTests {
    @Test func serialsAreSixteenCharactersWithoutLookAlikesAndDoNotRepeat() {
        var seen = Set<String>()
        for _ in 0..<20_000 {
            let serial = Serial.random()
            #expect(serial.text.count == 16)
            #expect(serial.text.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
            seen.insert(serial.text)
        }
        #expect(seen.count == 20_000)
        #expect(Serial(exactly: "7K3QM9XW2HPT4RVA") != nil)
        #expect(Serial(exactly: "7K3QM9XW2HPT4RVa") == nil)
        #expect(Serial(exactly: "7K3QM9XW2HPT4RVI") == nil)
        #expect(Serial(exactly: "7K3QM9XW2HPT4RV") == nil)
    }

    @Test func serialsUseEveryCharacterAboutEqually() {
        var counts: [Character: Int] = [:]
        for _ in 0..<4000 { for character in Serial.random().text { counts[character, default: 0] += 1 } }
        #expect(counts.count == 32)
        // 64,000 characters over 32 symbols: 2,000 each; a biased generator would stray far.
        #expect(counts.values.allSatisfy { (1700...2300).contains($0) })
    }

    @Test func aBufferedSecureGeneratorNeverHandsOutAWordTwiceEvenToACopy() {
        let first = BufferedSecureRandom()
        _ = first.next()
        let copy = first
        // Over several blocks of the kernel's bits: a copy goes on from where the original is.
        let words = (0..<1500).flatMap { _ in [first.next(), copy.next()] }
        #expect(Set(words).count == words.count)
        #expect(words.count == 3000)
    }

    @Test func aChunkOfSerialsSharesARandomPrefixAndIsInOrder() {
        // The generator issuing draws with.
        var generator = BufferedSecureRandom()
        var prefixes = Set<Substring>()
        var seen = Set<Serial>()
        for _ in 0..<64 {
            let chunk = Serial.randomChunk(4096, using: &generator)
            #expect(chunk.count == 4096)
            #expect(chunk == chunk.sorted())
            let prefix = chunk[0].text.prefix(Serial.chunkPrefixLength)
            #expect(chunk.allSatisfy { $0.text.hasPrefix(prefix) && Serial(exactly: $0.text) != nil })
            prefixes.insert(prefix)
            seen.formUnion(chunk)
            // What follows the prefix is as random as a serial of its own: every character, each about equally.
            var counts: [Character: Int] = [:]
            for serial in chunk { for character in serial.text.dropFirst(Serial.chunkPrefixLength) { counts[character, default: 0] += 1 } }
            #expect(counts.count == 32)
            // 53,248 characters over 32 symbols: 1,664 each.
            #expect(counts.values.allSatisfy { (1400...1930).contains($0) })
        }
        #expect(seen.count == 64 * 4096)
        // 64 prefixes drawn from 32,768: a repeat is possible but rare; a fixed prefix would give 1.
        #expect(prefixes.count >= 60)
    }

    @Test func stampIDsAreGroupedWithACheckCharacterAndParseForgivingly() throws {
        let serial = Serial(exactly: "7K3QM9XW2HPT4RVA")!
        let id = StampID(serial: serial)
        #expect(id.formatted.count == 21)
        #expect(id.formatted.hasPrefix("7K3Q-M9XW-2HPT-4RVA-"))
        let typed = id.formatted.lowercased().replacingOccurrences(of: "-", with: " ")
        #expect(try StampID(parsing: typed).serial == serial)
        #expect(try StampID(parsing: id.formatted.replacingOccurrences(of: "-", with: "")).serial == serial)
        let withZero = StampID(serial: Serial(exactly: "0000111122223333")!)
        #expect(try StampID(parsing: withZero.formatted.replacingOccurrences(of: "0", with: "O").replacingOccurrences(of: "1", with: "l")).serial.text == "0000111122223333")
        #expect(throws: StampID.ParseError.wrongLength(16)) { try StampID(parsing: "7K3Q-M9XW-2HPT-4RVA") }
        #expect(throws: StampID.ParseError.invalidCharacter("#")) { try StampID(parsing: "7K3Q-M9XW-2HPT-4RV#-A") }
    }

    @Test func theCheckCharacterCatchesEverySingleErrorAndEveryNeighbourSwap() throws {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        for _ in 0..<30 {
            let id = StampID(serial: Serial.random())
            let characters = Array(id.serial.text) + [id.checkCharacter]
            for position in characters.indices {
                for replacement in alphabet where replacement != characters[position] {
                    var typo = characters
                    typo[position] = replacement
                    #expect(throws: StampID.ParseError.checkFailed) { try StampID(parsing: String(typo)) }
                }
                if position + 1 < characters.count, characters[position] != characters[position + 1] {
                    var swapped = characters
                    swapped.swapAt(position, position + 1)
                    #expect(throws: StampID.ParseError.checkFailed) { try StampID(parsing: String(swapped)) }
                }
            }
        }
    }
}

@Suite struct StampURLTests {
    private let serial = Serial(exactly: "7K3QM9XW2HPT4RVA")!

    @Test func buildsGS1DigitalLinkURIsWithDatesAsQueryAttributes() throws {
        let url = StampURL(resolver: "https://id.ocoptrace.vn", product: .gtin(try GTIN(parsing: "8938765000015")), lot: "NC2611A",
                           serial: serial, producedOn: CalendarDate(year: 2026, month: 11, day: 20),
                           expiresOn: CalendarDate(year: 2026, month: 11, day: 27))
        #expect(url.text == "https://id.ocoptrace.vn/01/08938765000015/10/NC2611A/21/7K3QM9XW2HPT4RVA?11=261120&17=261127")
        let elements = try ExternalTools.gs1ElementStrings([url.text])
        #expect(elements == [["01": "08938765000015", "10": "NC2611A", "21": "7K3QM9XW2HPT4RVA", "11": "261120", "17": "261127"]])
    }

    @Test func percentEncodesLotsAndUsesTheProductCodePathWithoutAGTIN() throws {
        let url = StampURL(resolver: "https://id.ocoptrace.vn", product: .code("NC CHAY/1"), lot: "ABC+1/2",
                           serial: serial, producedOn: nil, expiresOn: nil)
        #expect(url.text == "https://id.ocoptrace.vn/p/NC%20CHAY%2F1/10/ABC%2B1%2F2/21/7K3QM9XW2HPT4RVA")
        let parsed = try StampURL(parsing: url.text)
        #expect(parsed.product == .code("NC CHAY/1"))
        #expect(parsed.lot == "ABC+1/2")
    }

    @Test func parsesWhatItBuildsIncludingSignaturesAndPrefixes() throws {
        let signature = EmbeddedSignature(keyID: "Xq3b", signature: Array(0..<64))
        let url = StampURL(resolver: "https://example.vn/tem", product: .gtin(try GTIN(parsing: "8938765000015")), lot: "L-1",
                           serial: serial, producedOn: CalendarDate(year: 2026, month: 1, day: 2), expiresOn: nil, signature: signature)
        let parsed = try StampURL(parsing: url.text)
        #expect(parsed == url)
        #expect(parsed.resolver == "https://example.vn/tem")
        #expect(parsed.signature == signature)
        #expect(url.text.contains("8030=Xq3b"))
        #expect(try ExternalTools.gs1ElementStrings([url.text]).first?["8030"]?.count == 90)
    }

    @Test func rejectsWhatGS1DigitalLinkForbids() throws {
        let base = "https://id.ocoptrace.vn/01/08938765000015/10/NC2611A/21/7K3QM9XW2HPT4RVA"
        for bad in [
            "https://id.ocoptrace.vn/01/08938765000014/10/NC2611A/21/7K3QM9XW2HPT4RVA",  // check digit
            "https://id.ocoptrace.vn/01/8938765000015/10/NC2611A/21/7K3QM9XW2HPT4RVA",   // 13 digits
            "https://id.ocoptrace.vn/01/08938765000015/21/7K3QM9XW2HPT4RVA/10/NC2611A",  // order
            "https://id.ocoptrace.vn/01/08938765000015/10/",                              // empty value
            "https://id.ocoptrace.vn/01/08938765000015/99/ABC/21/7K3QM9XW2HPT4RVA",     // unknown AI
            base + "?11=261331",                                                          // no such date
            base + "?8030=short",                                                         // signature
            "ftp://id.ocoptrace.vn/01/08938765000015/10/A/21/7K3QM9XW2HPT4RVA",
            "WIFI:S:cafe;T:WPA;P:secret;;",
            String(repeating: "a", count: 10_000),
        ] {
            #expect(throws: StampURL.ParseError.self, "\(bad.prefix(80))") { try StampURL(parsing: bad) }
        }
        #expect(throws: StampURL.ParseError.self) { try StampURL.normalisedResolver("id.ocoptrace.vn") }
        #expect(try StampURL.normalisedResolver("HTTPS://ID.Example.VN/") == "https://id.example.vn")
    }
}

@Suite struct SigningKeyTests {
    @Test(arguments: RegistryEngine.available) func keysAreFilesWithSafeModesAndARegistryRecord(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let registry = try await TestRegistry.make(engine, in: folder)
        let store = KeyStore(store: registry.store, folder: folder.url.appendingPathComponent("keys"))
        let key = try await store.generate()
        let privatePath = folder.path("keys/\(key.keyID).key")
        let mode = try FileManager.default.attributesOfItem(atPath: privatePath)[.posixPermissions] as! Int
        #expect(mode & 0o777 == 0o600)
        let publicText = try String(contentsOfFile: folder.path("keys/\(key.keyID).pub"), encoding: .utf8)
        #expect(try PublicStampKey(fileText: publicText) == key)
        #expect(!publicText.contains("private"))
        #expect(try await store.records().map(\.keyID) == [key.keyID])
        #expect(try await store.activeSigningKey().keyID == key.keyID)
    }

    @Test(arguments: RegistryEngine.available) func aSignatureCoversEveryIdentifyingField(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let store = KeyStore(store: try await TestRegistry.make(engine, in: folder).store, folder: folder.url.appendingPathComponent("keys"))
        _ = try await store.generate()
        let key = try await store.activeSigningKey()
        let fields = SignedStampFields(product: .gtin(try GTIN(parsing: "8938765000015")), lot: "NC2611A", serial: Serial.random(),
                                       producedOn: CalendarDate(year: 2026, month: 11, day: 20), expiresOn: CalendarDate(year: 2026, month: 11, day: 27))
        let signature = try key.sign(fields)
        #expect(key.publicKey.isValid(signature, for: fields))
        var changes: [SignedStampFields] = []
        var other = fields; other.product = .gtin(try GTIN(parsing: "8938765000022")); changes.append(other)
        other = fields; other.product = .code("NC-500"); changes.append(other)
        other = fields; other.lot = "NC2611B"; changes.append(other)
        other = fields; other.serial = Serial.random(); changes.append(other)
        other = fields; other.producedOn = CalendarDate(year: 2026, month: 11, day: 21); changes.append(other)
        other = fields; other.expiresOn = nil; changes.append(other)
        for changed in changes { #expect(!key.publicKey.isValid(signature, for: changed)) }
        var flipped = signature
        flipped.signature[10] ^= 1
        #expect(!key.publicKey.isValid(flipped, for: fields))
        var otherKeyID = signature
        otherKeyID.keyID = "AAAA"
        #expect(!key.publicKey.isValid(otherKeyID, for: fields))
    }

    @Test(arguments: RegistryEngine.available) func aRetiredKeySignsNothingNewButStillVerifies(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let store = KeyStore(store: try await TestRegistry.make(engine, in: folder).store, folder: folder.url.appendingPathComponent("keys"))
        let old = try await store.generate()
        let fields = SignedStampFields(product: .code("A"), lot: "L", serial: Serial.random(), producedOn: nil, expiresOn: nil)
        let signature = try await store.activeSigningKey().sign(fields)
        try await store.retire(old.keyID)
        await #expect(throws: KeyError.self) { try await store.activeSigningKey() }
        let new = try await store.generate()
        #expect(try await store.activeSigningKey().keyID == new.keyID)
        let verifier = try #require(try await store.publicKeys().first { $0.keyID == old.keyID })
        #expect(verifier.isValid(signature, for: fields))
        await #expect(throws: KeyError.self) { try await store.retire("nope") }
    }
}
