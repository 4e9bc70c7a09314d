import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry with a product with a GTIN (prefix 8938765) and one without, and an issued lot of each.
private struct CartonWorkspace {
    let folder = TemporaryFolder("ocoptrace-cartons")
    let registry: TestRegistry
    var store: any RegistryStore { registry.store }
    /// The stamp URLs of lot NC2611A of NC-500, in sequence order.
    let urls: [String]

    init(_ engine: RegistryEngine, stamps: Int = 120) async throws {
        registry = try await TestRegistry.make(engine, in: folder)
        try await StampFixtures.addProducts([
            .init(code: "NC-500", name: "Nem chua hộp 500g", gtin: "8938765000015", producer: "HTX Nem chua Xuân Lập"),
            .init(code: "NC-CHAY", name: "Nem chay", producer: "HTX Nem chua Xuân Lập"),
        ], to: registry)
        let keys = folder.url.appendingPathComponent("keys")
        urls = try await StampFixtures.issue(store: registry.store, folder: folder, keys: keys, resolver: "https://id.ocoptrace.vn",
                                             product: "NC-500", lot: "NC2611A", count: stamps, signed: false, produced: nil)
        _ = try await StampFixtures.issue(store: registry.store, folder: folder, keys: keys, resolver: "https://id.ocoptrace.vn",
                                          product: "NC-CHAY", lot: "CH01", count: 7, signed: false, produced: nil)
    }

    var packer: CartonPacker { CartonPacker(store: store, outputFolder: folder.url.appendingPathComponent("output")) }

    func manifest(_ report: CartonPacker.Report) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: absolutePath(report.manifest!), encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.split(separator: ",").map(String.init))) }
    }

    func serial(_ url: String) throws -> String { try StampURL(parsing: url).serial.text }
}

@Suite struct CartonTests {
    @Test func cartonKeysReadEveryForm() throws {
        let sscc = try SSCC(extensionDigit: 0, companyPrefix: "8938765", serialReference: 123)
        #expect(try CartonKey(parsing: "089387650000001234") == .sscc(sscc))
        #expect(try CartonKey(parsing: "(00) 0 89387650000001234") == .sscc(sscc))
        #expect(try CartonKey(parsing: "https://id.ocoptrace.vn/00/089387650000001234?x=1") == .sscc(sscc))
        #expect(try CartonKey(parsing: "https://id.ocoptrace.vn/c/C000000042") == .local(42))
        #expect(CartonKey.local(42).path == "/c/C000000042")
        #expect(throws: CartonKey.ParseError.self) { try CartonKey(parsing: "089387650000001235") }
        #expect(throws: CartonKey.ParseError.self) { try CartonKey(parsing: "https://id.ocoptrace.vn/01/08938765000015") }
        // The counter runs through extension digit 0's serial references, then 1's.
        #expect(try CartonKey(companyPrefix: "893876500001", number: 10_000).text.hasPrefix("1893876500001"))
        #expect(throws: SSCC.BuildError.self) { try CartonKey(companyPrefix: "893876500001", number: 100_000) }
    }

    @Test(arguments: RegistryEngine.available) func packsALotInSequenceOrderWithCheckedSSCCs(engine: RegistryEngine) async throws {
        let workspace = try await CartonWorkspace(engine)
        let report = try await workspace.packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 50, companyPrefix: "8938765")
        #expect(report.cartons == 3)
        #expect(report.stamps == 120)
        let rows = try workspace.manifest(report)
        #expect(rows.map { $0["count"] } == ["50", "50", "20"])
        #expect(rows.map { $0["first_sequence"] } == ["1", "51", "101"])
        #expect(rows.map { $0["last_sequence"] } == ["50", "100", "120"])
        let keys = try rows.map { try CartonKey(parsing: $0["sscc"]!) }
        #expect(keys.map(\.text) == ["089387650000000008", "089387650000000015", "089387650000000022"])
        #expect(rows[0]["url"] == "https://id.ocoptrace.vn/00/089387650000000008")
        #expect(FileManager.default.fileExists(atPath: absolutePath(report.labels!)))
        // The first carton holds the lot's first stamps.
        var inFirst: [String] = []
        let first = try #require(try await workspace.store.carton(sscc: keys[0].text))
        for try await stamp in workspace.store.stamps(ofCarton: first.id, pageSize: 7) { inFirst.append(stamp.serial) }
        #expect(inFirst == (try workspace.urls.prefix(50).map(workspace.serial)))
        #expect(try await workspace.registry.count("carton_stamps") == 120)
        #expect(try await workspace.store.cartonCount() == 3)
        // Listed in packing order, a page at a time, with and without filters.
        var all: [String] = []
        for try await carton in workspace.store.cartons(productCode: nil, lot: nil, pageSize: 2) { all.append(carton.sscc) }
        #expect(all == keys.map(\.text))
        var none: [String] = []
        for try await carton in workspace.store.cartons(productCode: "NC-CHAY", lot: nil, pageSize: 2) { none.append(carton.sscc) }
        #expect(none.isEmpty)
    }

    /// The label PDF as a printer and a phone see it: rasterised by poppler, every QR read by zbar,
    /// each carton's URL once; its text has each SSCC as GS1 prints it, the product and the count.
    @Test func cartonLabelsScanToTheCartonsURLs() async throws {
        let workspace = try await CartonWorkspace(.sqlite, stamps: 120)
        let report = try await workspace.packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 12, companyPrefix: "8938765")
        #expect(report.cartons == 10)
        let pdf = absolutePath(report.labels!)
        let scanned = try LabelCells.decode(URL(fileURLWithPath: pdf), layout: CartonLabels.layout, in: workspace.folder)
        let rows = try workspace.manifest(report)
        #expect(scanned.sorted() == rows.map { $0["url"]! }.sorted())
        for url in scanned {
            let key = try CartonKey(parsing: url)
            guard case .sscc(let sscc) = key else { Issue.record("\(url) is no SSCC"); continue }
            #expect(sscc.digits.hasPrefix("08938765"))
        }
        let text = try ExternalTools.run("pdftotext", ["-layout", pdf, "-"])
        for row in rows { #expect(text.contains(try CartonKey(parsing: row["sscc"]!).humanReadable)) }
        #expect(text.contains("Nem chua hộp 500g"))
        #expect(text.contains("12 tem/thùng"))
    }

    @Test(arguments: RegistryEngine.available) func ssccsAreNeverGivenTwiceAlsoAfterUnpacking(engine: RegistryEngine) async throws {
        let workspace = try await CartonWorkspace(engine)
        let packer = workspace.packer
        let first = try await packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 100, companyPrefix: "8938765")
        #expect(first.cartons == 2)
        await #expect(throws: CartonError.self) {
            try await packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 100, companyPrefix: "8938765")
        }
        let opened = try await packer.unpack("(00) " + first.firstCarton!)
        #expect(opened.unpackedAt != nil)
        // Unpacking twice changes nothing.
        #expect(try await packer.unpack(first.firstCarton!).unpackedAt == opened.unpackedAt)
        let again = try await packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 60, companyPrefix: "8938765")
        #expect(again.cartons == 2)
        #expect(again.stamps == 100)
        let all = try await workspace.registry.rows("SELECT sscc FROM cartons ORDER BY id").map { $0["sscc"]! }
        #expect(all.count == 4)
        #expect(Set(all).count == 4)
        #expect(all[2] == (try CartonKey(companyPrefix: "8938765", number: 2).text))
        // The unpacked carton keeps its stamps on record (its packing happened), but none is in it now.
        #expect(try await workspace.registry.count("carton_stamps", where: "unpacked_at IS NULL") == 120)
        #expect(try await workspace.registry.count("carton_stamps") == 220)
    }

    @Test(arguments: RegistryEngine.available) func theSchemaKeepsAStampInOneCartonAtATime(engine: RegistryEngine) async throws {
        let workspace = try await CartonWorkspace(engine, stamps: 10)
        let report = try await workspace.packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 5)
        #expect(report.companyPrefix == nil)
        #expect(report.firstCarton == "C000000001")
        await #expect(throws: (any Error).self) {
            try await workspace.registry.execute("""
                INSERT INTO carton_stamps (carton_id, stamp_id)
                SELECT (SELECT MAX(id) FROM cartons), stamp_id FROM carton_stamps WHERE carton_id = (SELECT MIN(id) FROM cartons)
                """)
        }
        #expect(try await workspace.registry.count("carton_stamps") == 10)
    }

    @Test(arguments: RegistryEngine.available) func listedStampsArePackedInTheFilesOrderOrRefusedByLine(engine: RegistryEngine) async throws {
        let workspace = try await CartonWorkspace(engine, stamps: 20)
        let stampID = StampID(serial: try StampURL(parsing: workspace.urls[7]).serial).formatted
        let list = workspace.folder.write("scanned.txt", [workspace.urls[9], "", stampID, workspace.urls[3]].joined(separator: "\n"))
        let report = try await workspace.packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 2, stampsFile: list)
        #expect(report.cartons == 2)
        let rows = try workspace.manifest(report)
        #expect(rows.map { $0["first_sequence"] } == ["8", "4"])
        #expect(rows.map { $0["last_sequence"] } == ["10", "4"])
        // A stamp packed already, on line 2: refused, nothing packed.
        let again = workspace.folder.write("again.txt", [workspace.urls[0], workspace.urls[3]].joined(separator: "\n"))
        do {
            _ = try await workspace.packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 2, stampsFile: again)
            Issue.record("packed a stamp twice")
        } catch let error as CartonError {
            #expect(error.description.contains("line 2"))
            #expect(error.description.contains(report.lastCarton!))
        }
        #expect(try await workspace.store.cartonCount() == 2)
        let garbage = workspace.folder.write("garbage.txt", "https://id.ocoptrace.vn/01/08938765000015/10/NC2611A/21/\nhello")
        await #expect(throws: CartonError.self) {
            try await workspace.packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 2, stampsFile: garbage)
        }
    }

    @Test(arguments: RegistryEngine.available) func refusesAPrefixThatIsNotTheGTINs(engine: RegistryEngine) async throws {
        let workspace = try await CartonWorkspace(engine, stamps: 5)
        await #expect(throws: CartonError.self) {
            try await workspace.packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 2, companyPrefix: "8931234")
        }
        await #expect(throws: CartonError.self) {
            try await workspace.packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 2, companyPrefix: "89A")
        }
        await #expect(throws: CartonError.self) {
            try await workspace.packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 0)
        }
        await #expect(throws: IssueError.self) {
            try await workspace.packer.pack(productCode: "NC-500", lot: "NOPE", perCarton: 2)
        }
        #expect(try await workspace.store.cartonCount() == 0)
        #expect(try await workspace.registry.count("carton_counters") == 0)
    }

    @Test(arguments: RegistryEngine.available) func shipmentsAndReceiptsMakeAStampsChainEvents(engine: RegistryEngine) async throws {
        let workspace = try await CartonWorkspace(engine, stamps: 10)
        let report = try await workspace.packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 5, companyPrefix: "8938765",
                                                     now: Timestamp.date("2026-11-20T08:00:00.000Z")!)
        let carton = try #require(try await workspace.store.carton(sscc: report.firstCarton!))
        let shop = PartyDraft(name: "Cửa hàng OCOP Thanh Hóa", province: "Thanh Hóa", gln: try GLN(parsing: "8931234000004"))
        let shipped = ShipmentEntry(cartonID: carton.id, batchID: carton.batchID, count: nil, receiver: shop,
                                    shippedAt: "2026-11-21T07:30:00.000Z", receivedAt: nil)
        var recording = try await workspace.store.recordShipments([shipped], job: JobStart(kind: "ship"))
        #expect(recording.inserted == 1)
        #expect(recording.newParties == 1)
        recording = try await workspace.store.recordShipments([shipped], job: JobStart(kind: "ship"))
        #expect(recording.unchanged == 1)
        // The receipt completes the open shipment; a receiver spelled otherwise is the same party.
        let receipt = ShipmentEntry(cartonID: carton.id, batchID: carton.batchID, count: nil,
                                    receiver: PartyDraft(name: "cua hang ocop thanh hoa", province: "THANH HOA"),
                                    shippedAt: nil, receivedAt: "2026-11-22T01:15:00.000Z")
        recording = try await workspace.store.recordShipments([receipt], job: JobStart(kind: "receive"))
        #expect(recording.received == 1)
        #expect(try await workspace.registry.count("shipments") == 1)
        #expect(try await workspace.registry.count("parties") == 1)
        // A lot shipped without cartons.
        let lot = ShipmentEntry(cartonID: nil, batchID: carton.batchID, count: 3, receiver: PartyDraft(name: "Đại lý Bắc Ninh", province: "Bắc Ninh"),
                                shippedAt: "2026-11-23T02:00:00.000Z", receivedAt: nil)
        _ = try await workspace.store.recordShipments([lot], job: JobStart(kind: "ship"))

        let first = try await workspace.store.chainEvents(serial: try workspace.serial(workspace.urls[0]))
        #expect(first.map(\.kind) == [.packed, .shipped, .received, .shipped])
        #expect(first.map(\.bizStep) == ["packing", "shipping", "receiving", "shipping"])
        #expect(first[1].toName == "Cửa hàng OCOP Thanh Hóa")
        #expect(first[1].toGLN == "8931234000004")
        #expect(first[1].fromName == "HTX Nem chua Xuân Lập")
        #expect(first[3].toProvince == "Bắc Ninh")
        #expect(first[3].sscc == nil)
        // A stamp of the other carton: its packing and the lot's shipment only.
        let sixth = try await workspace.store.chainEvents(serial: try workspace.serial(workspace.urls[5]))
        #expect(sixth.map(\.kind) == [.packed, .shipped])
        #expect(try await workspace.store.chainEvents(serial: "NOSUCHSERIAL0000").isEmpty)

        // The journey a shopper and an inspector see: the carton's packing, its shipment (to the
        // receiver's name and province) and receipt, then the lot's own shipment, oldest first.
        let verifier = try await RegistryVerifier(store: workspace.store, options: VerifyOptions(record: false))
        let verified = try #require(try await verifier.verify([workspace.urls[0]]).first)
        #expect(verified.journey.map(\.stage) == ["packing", "shipping", "receiving", "shipping"])
        #expect(verified.journey[1].to == "Cửa hàng OCOP Thanh Hóa")
        #expect(verified.journey[1].province == "Thanh Hóa")
        #expect(verified.journey[1].from == "HTX Nem chua Xuân Lập")
        #expect(verified.journey[1].at == "2026-11-21T14:30:00+07:00")
        #expect(verified.journey[3].to == "Đại lý Bắc Ninh")
        // A stamp of the other carton: its packing and the lot's shipment.
        let other = try #require(try await verifier.verify([workspace.urls[5]]).first)
        #expect(other.journey.map(\.stage) == ["packing", "shipping"])
    }
}
