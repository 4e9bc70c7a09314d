import Crypto
import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A PIN's keyed hash as docs/scratch-pin.md gives it, computed here on its own: the hex of
/// HMAC-SHA256 of `ocoptrace-pin 1\n{serial}\n{PIN}`, all 256 bits (registries keep the first 128).
private func documentedHash(_ key: PINKey, _ serial: Serial, _ pin: ScratchPIN) -> String {
    HMAC<SHA256>.authenticationCode(for: Data("ocoptrace-pin 1\n\(serial.text)\n\(pin.text)".utf8), using: key.key)
        .map { String(format: "%02x", $0) }.joined()
}

/// A registry with a product, and a batch of PIN stamps issued into a temporary folder.
private struct PINWorkspace {
    let folder = TemporaryFolder("ocoptrace-pin")
    let registry: TestRegistry
    var store: any RegistryStore { registry.store }
    var keys: URL { folder.url.appendingPathComponent("keys") }

    init(_ engine: RegistryEngine) async throws {
        registry = try await TestRegistry.make(engine, in: folder)
        try await StampFixtures.addProducts([
            .init(code: "MT-200", name: "Mật ong rừng 200 ml", gtin: "8938765000015", producer: "HTX Ong mật Như Xuân", shelfLifeDays: 365),
            .init(code: "NC-CHAY", name: "Nem chay", producer: "HTX Ong mật Như Xuân", priceVND: 45000, shelfLifeDays: 5),
        ], to: registry)
    }

    func issue(_ product: String = "MT-200", lot: String, count: Int, scratchPIN: Bool = true) async throws -> BatchReport {
        try await StampIssuer(store: store, options: IssueOptions(
            resolver: "https://id.ocoptrace.vn", keysFolder: keys, outputFolder: folder.url.appendingPathComponent("output"),
            writePNGs: false, scratchPIN: scratchPIN))
            .issue(productCode: product, lot: lot, count: count, producedOn: CalendarDate(year: 2026, month: 11, day: 20), expiresOn: nil)
    }

    /// `pins.csv` of a batch, read back.
    func pins(_ report: BatchReport) throws -> [PINFile.Row] {
        try PINFile.read(URL(fileURLWithPath: absolutePath(try #require(report.pins))))
    }

    var pinCheck: ScratchPINCheck {
        get throws { ScratchPINCheck(store: store, key: try PINKey.required(folder: keys)) }
    }

    func stamp(_ row: PINFile.Row) async throws -> StoredStamp {
        let serial = try #require(row.serial)
        return try #require(try await store.stamp(serial: serial))
    }

    func check(_ row: PINFile.Row, _ typed: String, network: String = "net-a", at: Date = Date()) async throws -> PINOutcome {
        let stamp = try await stamp(row)
        return try await pinCheck.check(stampID: stamp.id, serial: stamp.serial, typed: typed, network: network, channel: .web, at: at)
    }
}

@Suite struct ScratchPINTests {
    @Test func pinsAreEightCrockfordCharactersAndTypingIsForgiving() throws {
        var generator = SystemRandomNumberGenerator()
        let pins = (0..<2000).map { _ in ScratchPIN.random(using: &generator).text }
        #expect(pins.allSatisfy { $0.count == 8 && $0.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) } })
        #expect(Set(pins).count == pins.count)
        #expect(ScratchPIN.normalised(" 7k3q-m9xw ")?.text == "7K3QM9XW")
        #expect(ScratchPIN.normalised("OIL23456")?.text == "01123456")
        #expect(ScratchPIN.normalised("7K3QM9XU") == nil)  // U is not in the alphabet
        #expect(ScratchPIN.normalised("7K3QM9X") == nil)
        #expect(ScratchPIN.normalised("7K3QM9XW2") == nil)
        #expect(ScratchPIN.normalised("ＡＢＣＤ１２３４") == nil)
        #expect(ScratchPIN.normalised("") == nil)
    }

    @Test func pinsDrawnInABlockAreUniformOverTheAlphabet() {
        let pins = ScratchPIN.random(20_000).map(\.text)
        #expect(pins.count == 20_000)
        #expect(pins.allSatisfy { ScratchPIN.normalised($0)?.text == $0 })
        #expect(Set(pins.prefix(2000)).count == 2000)
        // 160,000 characters: 5,000 of each of the 32 expected, a standard deviation of about 70.
        var counts: [Character: Int] = [:]
        for pin in pins { for character in pin { counts[character, default: 0] += 1 } }
        #expect(counts.count == 32)
        #expect(counts.values.allSatisfy { (4500...5500).contains($0) })
        // Every position too (a fixed character somewhere would not show in the totals).
        for position in 0..<ScratchPIN.length {
            let column = Set(pins.map { Array($0)[position] })
            #expect(column.count == 32)
        }
        #expect(ScratchPIN.random(0).isEmpty)
    }

    @Test func aPINTableInStampOrderChecksEachSerialAndFallsBackToTheSerialIndex() {
        let serials = [Serial.random(), Serial.random()], pins = ScratchPIN.random(2)
        var table = PINTable.inOrder(capacity: 2)
        let appended = table.appendInOrder([(serials[0], pins[0]), (serials[1], pins[1])])
        #expect(appended)
        #expect(table[1, serials[0]] == pins[0].text)
        #expect(table[2, serials[1]] == pins[1].text)
        // Another serial at a position is not its PIN: the serial index answers, here with nothing.
        #expect(table[1, serials[1]] == nil)
        #expect(table[3, serials[0]] == nil)
        table.set(serial: serials[1].text, pin: pins[1].text)
        #expect(table[1, serials[1]] == pins[1].text)
    }

    @Test func aPINsKeyedHashIsTheHMACOfItsDocumentedMessage() throws {
        // Registries hold these hashes: the bytes hashed never change (docs/scratch-pin.md).
        let folder = TemporaryFolder("ocoptrace-pin-hash")
        let key = try PINKey.loadOrCreate(folder: folder.url)
        let serial = Serial.random()
        let pin = ScratchPIN.random(1)[0]
        // The registry keeps its first 128 bits.
        #expect(key.hash(serial: serial, pin: pin) == String(documentedHash(key, serial, pin).prefix(32)))
    }

    @Test(arguments: RegistryEngine.available) func theDrawnFileHoldsEveryStoredStampsPINAtEveryChunk(engine: RegistryEngine) async throws {
        // A run killed right after a chunk is stored must find that chunk's PINs in the drawn file:
        // each time the store reports stamps stored, the drawn file holds at least as many PINs.
        let workspace = try await PINWorkspace(engine)
        let output = workspace.folder.url.appendingPathComponent("output")
        let product = try #require(try await workspace.store.issuableProducts(code: "MT-200").first)
        let drawnPath = output.appendingPathComponent(StampIssuer.batchFolder(producer: product.producer, productCode: product.code, lot: "D1"))
            .appendingPathComponent(PINFile.drawnFileName).path
        let seen = DrawnSteps()
        let count = StampIssuer.storeChunk + 300
        let report = try await StampIssuer(store: workspace.store, options: IssueOptions(
            resolver: "https://id.ocoptrace.vn", keysFolder: workspace.keys, outputFolder: output, writePNGs: false, scratchPIN: true))
            .issue(productCode: "MT-200", lot: "D1", count: count, producedOn: CalendarDate(year: 2026, month: 11, day: 20), expiresOn: nil) {
                progress in
                guard progress.stage == .store else { return }
                let lines = (try? Data(contentsOf: URL(fileURLWithPath: drawnPath)))?.filter { $0 == 0x0A }.count ?? 0
                let mode = (try? FileManager.default.attributesOfItem(atPath: drawnPath)[.posixPermissions] as? NSNumber)?.intValue
                seen.append((stored: progress.done, drawn: lines, mode: mode))
            }
        let steps = seen.steps
        #expect(steps.count == 2)
        #expect(steps.last?.stored == count)
        for step in steps {
            #expect(step.drawn >= step.stored)
            #expect(step.mode == 0o600)
        }
        // Issued: pins.csv holds every PIN, the registry every hash, and the drawn file is gone.
        #expect(try workspace.pins(report).count == count)
        #expect(try await workspace.registry.count("stamps", where: "pin_hash IS NOT NULL") == count)
        #expect(!FileManager.default.fileExists(atPath: drawnPath))
    }

    @Test(arguments: RegistryEngine.available) func issuingWritesPinsCSVAndOnlyKeyedHashesToTheRegistry(engine: RegistryEngine) async throws {
        let workspace = try await PINWorkspace(engine)
        let report = try await workspace.issue(lot: "MT2612", count: 300)
        let pinsPath = absolutePath(try #require(report.pins))
        let text = try String(contentsOfFile: pinsPath, encoding: .utf8)
        #expect(text.hasPrefix("stamp_id,url,pin\n"))
        let rows = try workspace.pins(report)
        #expect(rows.count == 300)
        #expect(Set(rows.map(\.pin)).count == 300)
        #expect(rows.allSatisfy { $0.url.hasPrefix("https://id.ocoptrace.vn/01/08938765000015/10/MT2612/21/") })
        // Mode 0600: pins.csv and the key.
        let mode = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue }
        #expect(try mode(pinsPath) == 0o600)
        #expect(try mode(workspace.keys.appendingPathComponent(PINKey.fileName).path) == 0o600)
        // The drawn file is gone once the batch is issued.
        #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: pinsPath).deletingLastPathComponent()
            .appendingPathComponent(PINFile.drawnFileName).path))
        // The registry: one keyed hash per stamp (128 bits in hex), never a PIN; nothing has
        // happened to a PIN yet; the manifest: no PIN either.
        let hashes = try await workspace.registry.rows("SELECT pin_hash FROM stamps WHERE pin_hash IS NOT NULL").compactMap { $0["pin_hash"] }
        #expect(hashes.count == 300)
        #expect(Set(hashes).count == 300)
        #expect(hashes.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
        #expect(try await workspace.registry.count("stamp_pins") == 0)
        let manifest = try String(contentsOfFile: absolutePath(report.manifest), encoding: .utf8)
        #expect(rows.allSatisfy { !manifest.contains("," + $0.pin.text) })
        if engine == .sqlite, case .sqlite(let path) = workspace.registry.location {
            let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            #expect(rows.prefix(50).allSatisfy { !bytes.contains($0.pin.text) })
        }
        // A batch without PINs has none, and no pins.csv.
        let plain = try await workspace.issue(lot: "MT2613", count: 5, scratchPIN: false)
        #expect(plain.pins == nil)
        #expect(try await workspace.registry.count("stamps", where: "pin_hash IS NOT NULL") == 300)
    }

    @Test(arguments: RegistryEngine.available) func pinsIssuedBeforeTheirHashesMovedIntoTheStampsRowsStillCheck(engine: RegistryEngine) async throws {
        let workspace = try await PINWorkspace(engine)
        let rows = try workspace.pins(try await workspace.issue(lot: "MT2612", count: 3))
        let key = try PINKey.required(folder: workspace.keys)
        func documentedHash(_ row: PINFile.Row) throws -> String { OCOPTraceTests.documentedHash(key, try #require(row.serial), row.pin) }
        var ids: [Int64] = []
        for row in rows {
            let stamp = try await workspace.stamp(row)
            ids.append(stamp.id)
            #expect(try await workspace.registry.value("SELECT pin_hash FROM stamps WHERE id = \(stamp.id)") == String(try documentedHash(row).prefix(32)))
        }
        // Back to the layout of v11-v13: each stamp's full hash in a `stamp_pins` row of its own, the
        // second stamp activated, the third locked.
        let activatedAt = "2026-11-21T08:00:00Z", lockedUntil = Timestamp.string(Date().addingTimeInterval(3600))
        let v14 = try #require(RegistryMigration.names.first { $0.hasPrefix("v14:") })
        var downgrade = ["ALTER TABLE stamp_pins ADD COLUMN pin_hash TEXT"]
        for (row, id) in zip(rows, ids) {
            downgrade.append("INSERT INTO stamp_pins (stamp_id, pin_hash) VALUES (\(id), '\(try documentedHash(row))')")
        }
        downgrade += [
            "UPDATE stamp_pins SET activated_at = '\(activatedAt)', activated_network = 'net-b', activated_province = 'Thanh Hóa' WHERE stamp_id = \(ids[1])",
            "UPDATE stamp_pins SET locked_until = '\(lockedUntil)' WHERE stamp_id = \(ids[2])",
            "ALTER TABLE stamps DROP COLUMN pin_hash",
            engine == .sqlite ? "DELETE FROM grdb_migrations WHERE identifier = '\(v14)'" : "DELETE FROM ocoptrace_migrations WHERE name = '\(v14)'",
        ]
        for statement in downgrade { try await workspace.registry.execute(statement) }

        // Opened again, the registry is migrated: every hash is in its stamp's row, and `stamp_pins`
        // keeps only what happened to a PIN.
        let migrated = try await RegistryStores.open(workspace.registry.location, access: .readWrite)
        for (row, id) in zip(rows, ids) {
            #expect(try await workspace.registry.value("SELECT pin_hash FROM stamps WHERE id = \(id)") == String(try documentedHash(row).prefix(32)))
        }
        #expect(try await workspace.registry.count("stamp_pins") == 2)
        let check = ScratchPINCheck(store: migrated, key: key)
        func state(_ index: Int) async throws -> PINOutcome {
            try await check.check(stampID: ids[index], serial: try #require(rows[index].serial), typed: rows[index].pin.text,
                                  network: "net-a", channel: .web)
        }
        #expect(try await state(0).state == .activated)
        let again = try await state(1)
        #expect(again.state == .alreadyActivated)
        #expect(again.activatedAt == activatedAt)
        #expect(again.province == "Thanh Hóa")
        #expect(try await state(2).state == .tooManyAttempts)
        #expect(try await workspace.registry.count("stamp_pins") == 3)
        await migrated.close()
    }

    @Test(arguments: RegistryEngine.available) func firstRightPINActivatesAndEveryLaterOneSaysWhen(engine: RegistryEngine) async throws {
        let workspace = try await PINWorkspace(engine)
        let rows = try workspace.pins(try await workspace.issue(lot: "MT2612", count: 3))
        let scansBefore = try await workspace.stamp(rows[0]).scans.count
        let first = try await workspace.check(rows[0], rows[0].pin.text.lowercased(), network: "shop")
        #expect(first.state == .activated)
        let activatedAt = try #require(first.activatedAt)
        // The activation is a scan, which the copy rule counts.
        let stamp = try await workspace.stamp(rows[0])
        #expect(stamp.scans.count == scansBefore + 1)
        #expect(stamp.activatedAt == activatedAt)
        let again = try await workspace.check(rows[0], rows[0].pin.text, network: "elsewhere")
        #expect(again.state == .alreadyActivated)
        #expect(again.activatedAt == activatedAt)
        #expect(try await workspace.stamp(rows[0]).scans.count == scansBefore + 1)
        // Wrong PINs, of the right shape or not, are wrong-pin, never an error.
        for typed in ["AAAAAAAA", "", "'; DROP TABLE stamps; --", String(repeating: "9", count: 300), "ＡＢＣＤ"] {
            #expect(try await workspace.check(rows[1], typed).state == .wrongPIN)
        }
        let listings = try await workspace.store.scanListings(lot: nil)
        #expect(listings.first { $0.serial == rows[0].serial?.text }?.activatedAt == activatedAt)
    }

    @Test(arguments: RegistryEngine.available) func fiveWrongGuessesLockAStampForAnHourEvenForTheRightPIN(engine: RegistryEngine) async throws {
        let workspace = try await PINWorkspace(engine)
        let rows = try workspace.pins(try await workspace.issue(lot: "MT2612", count: 2))
        let start = Date()
        for index in 0..<5 {
            // From five networks: the stamp's limit counts all of them together.
            #expect(try await workspace.check(rows[0], "AAAAAAAA", network: "net-\(index)", at: start.addingTimeInterval(Double(index))).state == .wrongPIN)
        }
        let locked = try await workspace.check(rows[0], rows[0].pin.text, network: "buyer", at: start.addingTimeInterval(10))
        #expect(locked.state == .tooManyAttempts)
        let retry = try #require(locked.retryAfter.flatMap(Timestamp.date))
        #expect(retry > start.addingTimeInterval(3000))
        #expect(locked.retryAfterSeconds(from: start.addingTimeInterval(10))! > 3000)
        // Another stamp is not locked; the locked one opens after the hour.
        #expect(try await workspace.check(rows[1], rows[1].pin.text, network: "buyer", at: start.addingTimeInterval(11)).state == .activated)
        let later = try await workspace.check(rows[0], rows[0].pin.text, network: "buyer", at: retry.addingTimeInterval(1))
        #expect(later.state == .activated)
    }

    @Test(arguments: RegistryEngine.available) func aNetworkGuessingAcrossStampsIsStopped(engine: RegistryEngine) async throws {
        let workspace = try await PINWorkspace(engine)
        let rows = try workspace.pins(try await workspace.issue(lot: "MT2612", count: 12))
        let start = Date()
        var answers: [PINState] = []
        for index in 0..<22 {
            answers.append(try await workspace.check(rows[index % 10], "ZZZZZZZZ", network: "guesser", at: start.addingTimeInterval(Double(index))).state)
        }
        #expect(answers.prefix(20).allSatisfy { $0 == .wrongPIN })
        #expect(answers.suffix(2).allSatisfy { $0 == .tooManyAttempts })
        // Even a right PIN from that network waits; another network's is checked.
        #expect(try await workspace.check(rows[10], rows[10].pin.text, network: "guesser", at: start.addingTimeInterval(30)).state == .tooManyAttempts)
        #expect(try await workspace.check(rows[10], rows[10].pin.text, network: "honest", at: start.addingTimeInterval(31)).state == .activated)
    }

    @Test(arguments: RegistryEngine.available) func concurrentGuessesNeverPassTheStampLimit(engine: RegistryEngine) async throws {
        let workspace = try await PINWorkspace(engine)
        let rows = try workspace.pins(try await workspace.issue(lot: "MT2612", count: 1))
        let stamp = try await workspace.stamp(rows[0])
        let check = try workspace.pinCheck
        let states = try await withThrowingTaskGroup(of: PINState.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try await check.check(stampID: stamp.id, serial: stamp.serial, typed: "AAAAAAA\(index % 10)", network: "n\(index)", channel: .web).state
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(states.filter { $0 == .wrongPIN }.count == 5)
        #expect(states.filter { $0 == .tooManyAttempts }.count == 11)
        #expect(try await workspace.registry.count("pin_attempts") == 5)
    }

    @Test(arguments: RegistryEngine.available) func verifyWithAPINAnswersInTheVerdict(engine: RegistryEngine) async throws {
        let workspace = try await PINWorkspace(engine)
        let rows = try workspace.pins(try await workspace.issue(lot: "MT2612", count: 2))
        let plain = try await workspace.issue("NC-CHAY", lot: "NC1", count: 1, scratchPIN: false)
        let verifier = try await RegistryVerifier(store: workspace.store, options: VerifyOptions(inspector: "QLTT", location: "Thanh Hóa"))
        let check = try workspace.pinCheck
        let first = try await verifier.verify(rows[0].url, pin: rows[0].pin.text, check: check)
        #expect(first.status == .genuine)
        #expect(first.pin?.state == .activated)
        #expect(first.jsonLine.contains("\"pin\":{\"state\":\"activated\",\"activated_at\":\""))
        let copy = try await verifier.verify(rows[0].url, pin: rows[0].pin.text, check: check)
        #expect(copy.pin?.state == .alreadyActivated)
        #expect(copy.pin?.province == "Thanh Hóa")
        #expect(copy.suspectedClone)
        let plainURL = try String(contentsOfFile: absolutePath(plain.manifest), encoding: .utf8).split(separator: "\n")[1].split(separator: ",")[3]
        #expect(try await verifier.verify(String(plainURL), pin: "AAAAAAAA", check: check).pin?.state == .noPIN)
        #expect(try await verifier.verify([rows[1].url])[0].jsonLine.contains("\"pin\":null"))
    }

    @Test(arguments: RegistryEngine.available) func aRecalledLotSaysSoApartFromALostRoll(engine: RegistryEngine) async throws {
        let workspace = try await PINWorkspace(engine)
        let recalled = try workspace.pins(try await workspace.issue(lot: "MT2612", count: 2))
        let lost = try workspace.pins(try await workspace.issue(lot: "MT2613", count: 2))
        let revocations = Revocations(store: workspace.store)
        _ = try await revocations.revoke(lot: "MT2612", productCode: nil, reason: "nhiễm khuẩn", recall: true)
        _ = try await revocations.revoke(lot: "MT2613", productCode: nil, reason: "mất cuộn tem")
        let verifier = try await RegistryVerifier(store: workspace.store, options: VerifyOptions(record: false))
        let results = try await verifier.verify([recalled[0].url, lost[0].url])
        #expect(results[0].status == .revoked)
        #expect(results[0].explanation.code == "recalled")
        #expect(results[0].explanation.vietnamese.contains("nhiễm khuẩn"))
        #expect(results[1].explanation.code == "revoked")
    }

    @Test(arguments: RegistryEngine.available) func anInterruptedPINBatchKeepsItsDrawnPINsOrSaysTheyAreLost(engine: RegistryEngine) async throws {
        let workspace = try await PINWorkspace(engine)
        let key = try PINKey.loadOrCreate(folder: workspace.keys)
        let product = try #require(try await workspace.store.issuableProducts(code: "MT-200").first)
        let output = workspace.folder.url.appendingPathComponent("output")
        // What a run killed after storing a chunk leaves: stamps with PIN hashes, and their PINs in the drawn file.
        func interrupted(lot: String, keepDrawn: Bool) async throws -> [String: String] {
            let folder = StampIssuer.batchFolder(producer: product.producer, productCode: product.code, lot: lot)
            guard case .created(let batchID) = try await workspace.store.createBatch(NewStampBatch(
                productID: product.id, orderID: nil, lot: lot, lotLabel: lot, quantity: 6, producedOn: "2026-11-20", expiresOn: "2027-11-20",
                resolver: "https://id.ocoptrace.vn", keyID: nil, folder: folder, createdAt: Timestamp.now(), scratchPIN: true)) else {
                throw TestRegistryError("batch exists")
            }
            var generator = SystemRandomNumberGenerator()
            let drawn = (0..<3).map { _ in (serial: Serial.random(), pin: ScratchPIN.random(using: &generator)) }
            if keepDrawn { try PINFile.appendDrawn(drawn, folder: output.appendingPathComponent(folder)) }
            _ = try await workspace.store.appendStamps(drawn.sorted { $0.serial.text < $1.serial.text }.map {
                DrawnStamp(serial: $0.serial, signature: nil, pinHash: key.hash(serial: $0.serial, pin: $0.pin))
            }, toBatch: batchID)
            return Dictionary(uniqueKeysWithValues: drawn.map { ($0.serial.text, $0.pin.text) })
        }
        let kept = try await interrupted(lot: "K1", keepDrawn: true)
        let report = try await workspace.issue(lot: "K1", count: 6)
        #expect(report.newStamps == 3)
        let rows = try workspace.pins(report)
        #expect(rows.count == 6)
        for (serial, pin) in kept { #expect(rows.contains { $0.serial?.text == serial && $0.pin.text == pin }) }
        #expect(try await workspace.check(rows[0], rows[0].pin.text).state == .activated)

        _ = try await interrupted(lot: "K2", keepDrawn: false)
        await #expect(throws: IssueError.self) { _ = try await workspace.issue(lot: "K2", count: 6) }
    }

    @Test(arguments: RegistryEngine.available) func labelsOfAPINBatchNeedPinsCSV(engine: RegistryEngine) async throws {
        let workspace = try await PINWorkspace(engine)
        let report = try await workspace.issue(lot: "MT2612", count: 3)
        let layout = try #require(LabelLayout.named("a4-3x8"))
        let pdf = workspace.folder.url.appendingPathComponent("labels.pdf")
        await #expect(throws: LabelJob.PINError.self) {
            try await LabelJob(store: workspace.store, layout: layout).write(lot: "MT2612", productCode: nil, to: pdf)
        }
        let pins = URL(fileURLWithPath: absolutePath(try #require(report.pins)))
        for layout in LabelLayout.builtIn {
            let written = try await LabelJob(store: workspace.store, layout: layout, pinsFile: pins).write(lot: "MT2612", productCode: nil, to: pdf)
            #expect(written.labels == 3)
        }
        let plain = try await workspace.issue("NC-CHAY", lot: "NC1", count: 1, scratchPIN: false)
        _ = plain
        await #expect(throws: LabelJob.PINError.self) {
            try await LabelJob(store: workspace.store, layout: layout, pinsFile: pins).write(lot: "NC1", productCode: nil, to: pdf)
        }
    }
}

/// What the drawn file held each time issuing reported stamps stored.
private final class DrawnSteps: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var recorded: [(stored: Int, drawn: Int, mode: Int?)] = []

    func append(_ step: (stored: Int, drawn: Int, mode: Int?)) { lock.withLock { recorded.append(step) } }

    var steps: [(stored: Int, drawn: Int, mode: Int?)] { lock.withLock { recorded } }
}
