import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry with an unsigned batch, a signed batch and an interrupted (pending) batch, on one engine.
private struct VerifyWorkspace {
    let folder: TemporaryFolder
    let registry: TestRegistry
    let key: PublicStampKey
    let plain: [String]
    let signed: [String]
    let pendingSerial: Serial
    let today = CalendarDate(year: 2026, month: 11, day: 23)!
    var store: any RegistryStore { registry.store }
    var keysFolder: URL { folder.url.appendingPathComponent("keys") }


    static func make(_ engine: RegistryEngine) async throws -> VerifyWorkspace {
        let folder = TemporaryFolder("ocoptrace-verify")
        let registry = try await TestRegistry.make(engine, in: folder)
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days,ocop_stars,ocop_recognized_on
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7,4,2024-06-12
            MT-200,Mắm tép 200g,8939123400119,Công ty Mắm tép,Thanh Hóa,65000,365,3,2023-01-10
            NC-CHAY,Nem chay,,HTX Nem chua Xuân Lập,Thanh Hóa,45000,5,,

            """)
        let imported = try await CatalogImporter(store: registry.store).importFile(at: catalog)
        precondition(imported.outcome == .succeeded)
        let keys = folder.url.appendingPathComponent("keys")
        let key = try await KeyStore(store: registry.store, folder: keys).generate()
        func issue(_ product: String, _ lot: String, _ count: Int, signed: Bool, produced: CalendarDate?) async throws -> [String] {
            try await StampFixtures.issue(store: registry.store, folder: folder, keys: keys, resolver: "https://id.ocoptrace.vn",
                                          product: product, lot: lot, count: count, signed: signed, produced: produced)
        }
        let plain = try await issue("NC-500", "NC2611A", 50, signed: false, produced: CalendarDate(year: 2026, month: 11, day: 20))
        let signed = try await issue("MT-200", "MT-S1", 20, signed: true, produced: CalendarDate(year: 2026, month: 11, day: 2))
        _ = try await issue("NC-CHAY", "OLD", 5, signed: false, produced: CalendarDate(year: 2026, month: 1, day: 2))
        let pending = try await StampFixtures.addPendingStamp(registry: registry, product: "NC-500")
        return VerifyWorkspace(folder: folder, registry: registry, key: key, plain: plain, signed: signed, pendingSerial: pending)
    }

    func verifier(record: Bool = true, location: String? = nil, threshold: Int = 5) async throws -> RegistryVerifier {
        try await RegistryVerifier(store: store, options: VerifyOptions(record: record, location: location, cloneThreshold: threshold, today: today))
    }

    func verify(_ input: String, record: Bool = false, location: String? = nil) async throws -> VerificationResult {
        try await verifier(record: record, location: location).verify([input])[0]
    }

    /// The registry's active signing key (its private half is in the keys folder).
    func signingKey() async throws -> SigningKey {
        try await KeyStore(store: store, folder: keysFolder).activeSigningKey()
    }

    func oldStampURL() async throws -> String {
        let serial = try #require(try await registry.value("SELECT s.serial FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id WHERE b.lot = 'OLD'"))
        return "https://id.ocoptrace.vn/p/NC-CHAY/10/OLD/21/\(serial)?11=260102&17=260107"
    }
}

@Suite struct RegistryVerificationTests {
    @Test(arguments: RegistryEngine.available) func aGenuineStampByURLOrTypedIDWithItsFacts(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let result = try await workspace.verify(workspace.plain[0])
        #expect(result.status == .genuine)
        #expect(result.product == .init(code: "NC-500", name: "Nem chua hộp 500g", gtin: "08938765000015"))
        #expect(result.producer == .init(name: "HTX Nem chua Xuân Lập", province: "Thanh Hóa"))
        #expect(result.lot == "NC2611A")
        #expect(result.producedOn == "2026-11-20")
        #expect(result.expiresOn == "2026-11-27")
        #expect(result.ocop == .init(stars: 4, recognizedOn: "2024-06-12", validUntil: "2027-06-11", valid: true))
        let typed = try #require(result.stampID).lowercased().replacingOccurrences(of: "-", with: " ")
        #expect(try await workspace.verify(typed).status == .genuine)
    }

    @Test(arguments: RegistryEngine.available) func expiredProductsAndRecognitionsAreWarningsNotForgeries(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let old = try await workspace.verify(try await workspace.oldStampURL())
        #expect(old.status == .genuine)
        #expect(old.productExpired)
        #expect(old.warnings.contains { $0.contains("expired") })
        let signed = try await workspace.verify(workspace.signed[0])
        #expect(signed.status == .genuine)
        #expect(signed.signature == .valid)
        #expect(signed.ocop?.valid == false)
        #expect(signed.warnings.contains { $0.contains("OCOP") })
    }

    @Test(arguments: RegistryEngine.available) func fieldsThatDisagreeWithTheRecordAreForgeries(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let url = workspace.plain[1]
        let serial = try StampURL(parsing: url).serial.text
        let forgeries = [
            url.replacingOccurrences(of: "/10/NC2611A/", with: "/10/NC2611B/"),
            url.replacingOccurrences(of: "08938765000015", with: "08939123400119"),
            url.replacingOccurrences(of: "11=261120", with: "11=261121"),
            url.replacingOccurrences(of: "&17=261127", with: ""),
            url.replacingOccurrences(of: "id.ocoptrace.vn", with: "id.ocoptrace.vn.evil.example"),
            "https://id.ocoptrace.vn/p/NC-500/10/NC2611A/21/\(serial)?11=261120&17=261127",
        ]
        for forged in forgeries {
            let result = try await workspace.verify(forged)
            #expect(result.status == .forged, "\(forged): \(result.reason)")
        }
    }

    @Test(arguments: RegistryEngine.available) func signaturesStrippedAlteredOrAddedAreForgeries(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let signed = workspace.signed[0]
        let stripped = String(signed[..<signed.range(of: "&8030=")!.lowerBound])
        #expect(try await workspace.verify(stripped).status == .forged)
        var characters = Array(signed)
        let index = characters.count - 10
        characters[index] = characters[index] == "A" ? "B" : "A"
        let altered = try await workspace.verify(String(characters))
        #expect(altered.status == .forged || altered.status == .malformed)
        let signature = String(signed[signed.range(of: "8030=")!.upperBound...])
        let added = try await workspace.verify(workspace.plain[0] + "&8030=" + signature)
        #expect(added.status == .forged)
    }

    @Test(arguments: RegistryEngine.available) func unknownMalformedAndPendingAreToldApart(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let fabricated = "https://id.ocoptrace.vn/01/08938765000015/10/NC2611A/21/\(Serial.random().text)?11=261120&17=261127"
        #expect(try await workspace.verify(fabricated).status == .unknown)
        #expect(try await workspace.verify(StampID(serial: Serial.random()).formatted).status == .unknown)
        for bad in ["https://id.ocoptrace.vn/01/08938765000014/10/NC2611A/21/7K3QM9XW2HPT4RVA", "7K3Q-M9XW-2HPT-4RVA-0",
                    "WIFI:S:Cafe;T:WPA;P:12345678;;", "BEGIN:VCARD\nFN:Nguyễn Văn A\nEND:VCARD", "hello", ""] {
            let result = try await workspace.verify(bad)
            #expect(result.status == .malformed, "\(bad)")
            #expect(!result.reason.isEmpty)
        }
        let pending = try await workspace.verify(StampID(serial: workspace.pendingSerial).formatted)
        #expect(pending.status == .pending)
    }

    @Test(arguments: RegistryEngine.available) func revokedStampsSayWhy(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let revocations = Revocations(store: workspace.store)
        let id = try #require(try await workspace.verify(workspace.plain[2]).stampID)
        #expect(try await revocations.revoke(stampIDs: [id], reason: "cuộn tem bị mất").revoked == 1)
        let result = try await workspace.verify(workspace.plain[2])
        #expect(result.status == .revoked)
        #expect(result.reason.contains("cuộn tem bị mất"))
        #expect(try await workspace.verify(workspace.plain[3]).status == .genuine)
        let lot = try await revocations.revoke(lot: "MT-S1", productCode: nil, reason: "recall")
        #expect(lot.revoked == 20)
        #expect(try await workspace.verify(workspace.signed[5]).status == .revoked)
        await #expect(throws: Revocations.RevocationError.self) { try await revocations.revoke(stampIDs: [StampID(serial: Serial.random()).formatted], reason: "x") }
        await #expect(throws: Revocations.RevocationError.self) { try await revocations.revoke(stampIDs: [id], reason: "  ") }
    }

    @Test(arguments: RegistryEngine.available) func scansAreRecordedAndCopiesSuspected(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let url = workspace.plain[4]
        let first = try await workspace.verify(url, record: true, location: "Chợ Vườn Hoa")
        #expect(first.scans?.count == 1)
        #expect(!first.suspectedClone)
        let second = try await workspace.verify(url, record: true, location: "Chợ Nam Ngạn")
        #expect(second.scans?.count == 2)
        #expect(second.scans?.locations == ["Chợ Nam Ngạn", "Chợ Vườn Hoa"])
        #expect(second.suspectedClone)
        #expect(second.status == .genuine)
        // Many checks at one place also flag a copy, past the threshold.
        let other = workspace.plain[5]
        let verifier = try await workspace.verifier(record: true, threshold: 3)
        let results = try await verifier.verify(Array(repeating: other, count: 4))
        #expect(results.map(\.suspectedClone) == [false, false, false, true])
        let listing = try await ScanListing.fetch(from: workspace.store, suspectedOnly: true, cloneThreshold: 3)
        #expect(listing.count == 2)
    }

    @Test(arguments: RegistryEngine.available) func noRecordLeavesTheRegistryUntouchedAndReadOnly(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let readOnly = try await RegistryStores.open(workspace.registry.location, access: .readOnly)
        let verifier = try await RegistryVerifier(store: readOnly, options: VerifyOptions(record: false, today: workspace.today))
        let result = try await verifier.verify([workspace.plain[0]])[0]
        await readOnly.close()
        #expect(result.status == .genuine)
        #expect(try await workspace.registry.count("scans") == 0)
    }
}

/// The salt for the verification page's client networks: one per registry, whichever server made it.
@Suite struct ScanSaltTests {
    @Test(arguments: RegistryEngine.available) func serversStartingTogetherShareOneSalt(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-salt")
        let registry = try await TestRegistry.make(engine, in: folder)
        // Two stores, as two `serve` processes would open, each loading the salt several times at once.
        let other = try await RegistryStores.open(registry.location, access: .readWrite)
        let salts = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for index in 0..<8 {
                let store: any RegistryStore = index.isMultiple(of: 2) ? registry.store : other
                group.addTask { try await ScanSalt.load(from: store) }
            }
            return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
        }
        await other.close()
        #expect(salts.count == 8 && Set(salts).count == 1)
        #expect(salts.first?.count == 32)
        #expect(try await registry.count("registry_secrets") == 1)
    }
}

@Suite struct OfflineVerificationTests {
    @Test(arguments: RegistryEngine.available) func aSignedPackDecidesWithoutTheRegistry(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        _ = try await Revocations(store: workspace.store).revoke(stampIDs: [workspace.plain[7]], reason: "lost")
        let file = workspace.folder.url.appendingPathComponent("province.pack")
        let count = try await OfflinePack.write(from: workspace.store, key: try await workspace.signingKey(), to: file)
        #expect(count == 75)  // the pending batch is not in it
        let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as! Int
        #expect(size - 1000 <= 16 * count)
        let pack = try OfflinePack(contentsOf: file, publicKeys: [workspace.key])
        let verifier = OfflineVerifier(pack: pack, publicKeys: [workspace.key], today: workspace.today)
        let typedID = try await workspace.verify(workspace.plain[0]).stampID!
        let results = verifier.verify([
            workspace.plain[0], typedID, workspace.plain[7], workspace.signed[0],
            workspace.plain[1].replacingOccurrences(of: "NC2611A", with: "NC2611B"),
            "https://id.ocoptrace.vn/01/08938765000015/10/NC2611A/21/\(Serial.random().text)",
            "WIFI:S:x;;", StampID(serial: workspace.pendingSerial).formatted,
        ])
        #expect(results.map(\.status) == [.genuine, .genuine, .revoked, .genuine, .forged, .unknown, .malformed, .unknown])
        #expect(results[0].product?.name == "Nem chua hộp 500g")
        #expect(results[0].packCreated == pack.created)
        #expect(results[2].reason.contains("lost"))
        #expect(results[3].signature == .valid)
    }

    @Test(arguments: RegistryEngine.available) func aTamperedOrForeignPackIsRefused(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let file = workspace.folder.url.appendingPathComponent("p.pack")
        try await OfflinePack.write(from: workspace.store, key: try await workspace.signingKey(), to: file)
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0x01
        let tampered = workspace.folder.url.appendingPathComponent("tampered.pack")
        try bytes.write(to: tampered)
        #expect { try OfflinePack(contentsOf: tampered, publicKeys: [workspace.key]) } throws: { error in
            (error as? OfflinePack.PackError)?.reason == .badSignature && (error as? OfflinePack.PackError)?.isRefused == true
        }
        let otherFolder = TemporaryFolder()
        let otherKey = try await KeyStore(store: TestRegistry.make(.sqlite, in: otherFolder, name: "r").store, folder: otherFolder.url).generate()
        #expect { try OfflinePack(contentsOf: file, publicKeys: [otherKey]) } throws: { error in
            (error as? OfflinePack.PackError)?.reason == .unknownKey(String(try! String(contentsOf: file, encoding: .isoLatin1).suffix(68).prefix(4)))
        }
        #expect { try OfflinePack(contentsOf: URL(fileURLWithPath: workspace.folder.path("catalog.csv")), publicKeys: [workspace.key]) } throws: { error in
            (error as? OfflinePack.PackError)?.reason == .notAPack && "\(error)".hasSuffix("catalog.csv: not an ocoptrace offline pack (or a damaged one)")
        }
    }

    @Test(arguments: RegistryEngine.available) func thePublicKeyAloneVouchesForSignedStampsOnly(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let verifier = OfflineVerifier(pack: nil, publicKeys: [workspace.key], today: workspace.today)
        let signed = workspace.signed[3]
        var tampered = signed.replacingOccurrences(of: "/10/MT-S1/", with: "/10/MT-S2/")
        let results = verifier.verify([signed, workspace.plain[0], tampered, String(signed.dropLast(5)) + "AAAAA"])
        #expect(results.map(\.status) == [.genuine, .unknown, .forged, .forged])
        #expect(results[0].lot == "MT-S1")
        tampered = signed.replacingOccurrences(of: "11=261102", with: "11=261103")
        #expect(verifier.verify([tampered])[0].status == .forged)
    }
}

/// No input crashes or hangs the verifier, and nothing but an exact equivalent of a genuine stamp
/// verifies as genuine.
@Suite struct VerificationRobustnessTests {
    /// A small deterministic generator, so that a failure can be replayed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: RegistryEngine.available) func randomAndMutatedInputsNeverCrashOrPassAsGenuine(engine: RegistryEngine) async throws {
        let workspace = try await VerifyWorkspace.make(engine)
        let file = workspace.folder.url.appendingPathComponent("p.pack")
        try await OfflinePack.write(from: workspace.store, key: try await workspace.signingKey(), to: file)
        let offline = OfflineVerifier(pack: try OfflinePack(contentsOf: file, publicKeys: [workspace.key]), publicKeys: [workspace.key],
                                      today: workspace.today)
        let registry = try await workspace.verifier(record: false)
        var random = SplitMix64(state: 20261123)
        let seeds = workspace.plain.prefix(5) + workspace.signed.prefix(5)
        let alphabet = Array("abcXYZ0189/%?&=:-._~#é€ \u{0}\n")
        var inputs: [String] = []
        for iteration in 0..<4000 {
            let seed = seeds[iteration % seeds.count]
            var characters = Array(seed)
            switch iteration % 5 {
            case 0:  // random bytes, valid UTF-8 or not
                let bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                inputs.append(String(decoding: bytes, as: UTF8.self))
                continue
            case 1:
                characters[Int.random(in: 0..<characters.count, using: &random)] = alphabet.randomElement(using: &random)!
            case 2:
                characters.insert(alphabet.randomElement(using: &random)!, at: Int.random(in: 0...characters.count, using: &random))
            case 3:
                characters.remove(at: Int.random(in: 0..<characters.count, using: &random))
            default:
                let a = Int.random(in: 0..<characters.count, using: &random)
                let b = Int.random(in: 0..<characters.count, using: &random)
                characters.swapAt(a, b)
            }
            inputs.append(String(characters))
        }
        inputs.append(String(repeating: "x", count: 10_000_000))
        inputs.append("https://id.ocoptrace.vn/" + Array(repeating: "01", count: 500).joined(separator: "/"))
        inputs.append("https://id.ocoptrace.vn/01/08938765000015" + String(repeating: "/10/A", count: 250))
        inputs.append("https://id.ocoptrace.vn/01/08938765000015/10/A/21/7K3QM9XW2HPT4RVA?" + String(repeating: "a=b&", count: 5000))
        inputs.append(String(repeating: "%", count: 3000))

        let offlineResults = offline.verify(inputs)
        let registryResults = try await registry.verify(inputs)
        let originals = Dictionary(uniqueKeysWithValues: try seeds.map { ($0, try StampURL(parsing: $0)) })
        for (input, results) in zip(inputs, zip(offlineResults, registryResults)) {
            for result in [results.0, results.1] where result.status == .genuine {
                // Genuine only if it reads as exactly one of the issued stamps (case or escapes may differ).
                let parsed = try StampURL(parsing: input.trimmed)
                #expect(originals.values.contains { $0.serial == parsed.serial && $0.product == parsed.product && $0.lot == parsed.lot
                    && $0.producedOn == parsed.producedOn && $0.expiresOn == parsed.expiresOn && $0.signature == parsed.signature },
                        "\(input.prefix(200))")
            }
        }
        #expect(offlineResults.count == inputs.count && registryResults.count == inputs.count)
    }
}
