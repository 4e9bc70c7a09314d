import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry with a producer that has a GLN (a product with a GTIN and one without) and one that has none.
private struct EPCISWorkspace {
    let folder = TemporaryFolder("ocoptrace-epcis")
    let test: TestRegistry

    init(_ engine: RegistryEngine) async throws {
        test = try await TestRegistry.make(engine, in: folder)
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days,gln
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7,8938765000008
            NC-CHAY,Nem chay,,HTX Nem chua Xuân Lập,Thanh Hóa,45000,5,8938765000008
            MT-200,Mắm tép 200g,8939123400119,Công ty Mắm tép Hậu Lộc,Thanh Hóa,65000,365,

            """)
        let report = try await CatalogImporter(store: test.store).importFile(at: catalog)
        precondition(report.outcome == .succeeded, "\(report.problems)")
    }

    @discardableResult
    func issue(_ product: String, lot: String, count: Int, expires: Bool = true) async throws -> BatchReport {
        let issuer = StampIssuer(store: test.store, options: IssueOptions(
            resolver: "https://id.ocoptrace.vn", keysFolder: folder.url.appendingPathComponent("keys"),
            outputFolder: folder.url.appendingPathComponent("output"), writePNGs: false))
        let produced = CalendarDate(year: 2026, month: 11, day: 20)!
        return try await issuer.issue(productCode: product, lot: lot, count: count, producedOn: produced,
                                expiresOn: expires ? produced.adding(days: 7) : nil)
    }

    /// Stamp IDs, as people give them to `revoke`.
    func stampIDs(_ serials: some Sequence<String>) -> [String] {
        serials.map { StampID(serial: Serial(unchecked: $0)).formatted }
    }

    func serials(lot: String) async throws -> [String] {
        precondition(lot.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" })
        return try await test.rows("SELECT s.serial FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id WHERE b.lot = '\(lot)' ORDER BY s.sequence")
            .compactMap { $0["serial"] }
    }

    /// The registry's store.
    func store() async throws -> any RegistryStore {
        test.store
    }

    /// Writes the document, checks it against GS1's schema with Python jsonschema, and returns it parsed.
    func export(_ filter: EPCISExport.Filter = EPCISExport.Filter(), name: String = "epcis.jsonld")
        async throws -> (summary: EPCISExport.Summary, document: [String: Any]) {
        let url = folder.url.appendingPathComponent(name)
        let summary = try await EPCISExport(store: store()).write(filter, to: url)
        try EPCISSchema.validate(url.path)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (summary, document)
    }
}

enum EPCISSchema {
    static let schema = repositoryRoot.appendingPathComponent("../shared/reference/schemas/EPCIS-JSON-Schema.json").standardized.path

    /// Fails unless every document validates (Draft7Validator with the format checker, URIs included).
    static func validate(_ paths: String...) throws {
        let script = repositoryRoot.appendingPathComponent("Tests/Tools/validate_epcis.py").path
        _ = try ExternalTools.run("python3", [script, schema] + paths)
    }
}

private func events(_ document: [String: Any]) -> [[String: Any]] {
    ((document["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]]) ?? []
}

@Suite struct EPCISTests {
    @Test(arguments: RegistryEngine.available)
    func commissioningEventsNameEveryStampWithItsDatesAndLocation(engine: RegistryEngine) async throws {
        let workspace = try await EPCISWorkspace(engine)
        try await workspace.issue("NC-500", lot: "NC2611A", count: 30)
        try await workspace.issue("MT-200", lot: "MT2611", count: 5, expires: false)
        let (summary, document) = try await workspace.export()
        #expect(document["type"] as? String == "EPCISDocument")
        #expect(document["schemaVersion"] as? String == "2.0")
        #expect((document["creationDate"] as? String)?.hasSuffix("+07:00") == true)
        #expect(summary.commissioningEvents == 2)
        #expect(summary.commissionedStamps == 35)
        #expect(summary.batchesWithoutGLN == 1)
        let list = events(document)
        #expect(list.count == 2)
        let nem = try #require(list.first { ($0["ilmd"] as? [String: Any])?["cbvmda:lotNumber"] as? String == "NC2611A" })
        #expect(nem["action"] as? String == "ADD")
        #expect(nem["bizStep"] as? String == "commissioning")
        #expect(nem["disposition"] as? String == "active")
        #expect(nem["eventTimeZoneOffset"] as? String == "+07:00")
        #expect((nem["eventTime"] as? String)?.hasSuffix("+07:00") == true)
        #expect(nem["eventID"] == nil, "no event hash unless it is computed exactly")
        let epcs = try #require(nem["epcList"] as? [String])
        #expect(epcs == (try await workspace.serials(lot: "NC2611A")).map { "https://id.gs1.org/01/08938765000015/21/" + $0 })
        #expect((nem["readPoint"] as? [String: String])?["id"] == "https://id.gs1.org/414/8938765000008")
        #expect((nem["bizLocation"] as? [String: String])?["id"] == "https://id.gs1.org/414/8938765000008")
        let ilmd = try #require(nem["ilmd"] as? [String: String])
        #expect(ilmd["cbvmda:productionDate"] == "2026-11-20")
        #expect(ilmd["cbvmda:itemExpirationDate"] == "2026-11-27")
        // A producer without a GLN gets no made-up location; an order without expiry has the one the shelf life gives.
        let tep = try #require(list.first { ($0["ilmd"] as? [String: Any])?["cbvmda:lotNumber"] as? String == "MT2611" })
        #expect(tep["readPoint"] == nil && tep["bizLocation"] == nil)
        #expect((tep["ilmd"] as? [String: String])?["cbvmda:itemExpirationDate"] == "2027-11-20")
        // The canonical URIs are GS1 Digital Link URIs an independent parser reads back.
        let elements = try ExternalTools.gs1ElementStrings(Array(epcs.prefix(3)))
        #expect(elements.map { $0["01"] } == Array(repeating: "08938765000015", count: 3))
    }

    @Test(arguments: RegistryEngine.available)
    func stampsWithoutAGTINKeepTheirResolverURI(engine: RegistryEngine) async throws {
        let workspace = try await EPCISWorkspace(engine)
        try await workspace.issue("NC-CHAY", lot: "Lô chay 11", count: 4)
        let (_, document) = try await workspace.export()
        let epcs = try #require(events(document).first?["epcList"] as? [String])
        #expect(epcs == (try await workspace.serials(lot: "Lo-chay-11")).map { "https://id.ocoptrace.vn/p/NC-CHAY/10/Lo-chay-11/21/" + $0 })
    }

    @Test(arguments: RegistryEngine.available)
    func aRevocationIsADecommissioningEventWithItsReason(engine: RegistryEngine) async throws {
        let workspace = try await EPCISWorkspace(engine)
        try await workspace.issue("NC-500", lot: "NC2611A", count: 10)
        let serials = try await workspace.serials(lot: "NC2611A")
        let reason = "Mất cuộn tem \"số 2\" <kho>"
        _ = try await Revocations(store: workspace.test.store).revoke(stampIDs: workspace.stampIDs(serials.prefix(3)), reason: reason)
        _ = try await Revocations(store: workspace.test.store).revoke(stampIDs: workspace.stampIDs([serials[5]]), reason: "Hỏng khi dán")
        let (summary, document) = try await workspace.export()
        #expect(summary.decommissioningEvents == 2)
        #expect(summary.decommissionedStamps == 4)
        #expect((document["@context"] as? [Any])?.count == 2)
        let deletes = events(document).filter { $0["action"] as? String == "DELETE" }
        #expect(deletes.count == 2)
        let lost = try #require(deletes.first { $0["ocoptrace:revocationReason"] as? String == reason })
        #expect(lost["bizStep"] as? String == "decommissioning")
        #expect(lost["disposition"] as? String == "inactive")
        #expect(lost["epcList"] as? [String] == serials.prefix(3).map { "https://id.gs1.org/01/08938765000015/21/" + $0 })
        #expect(deletes.contains { $0["epcList"] as? [String] == ["https://id.gs1.org/01/08938765000015/21/" + serials[5]] })
    }

    @Test(arguments: RegistryEngine.available)
    func filtersSelectLotProducerAndDate(engine: RegistryEngine) async throws {
        let workspace = try await EPCISWorkspace(engine)
        try await workspace.issue("NC-500", lot: "Lô 1", count: 3)
        try await workspace.issue("MT-200", lot: "MT2611", count: 2)
        let byLot = try await workspace.export(EPCISExport.Filter(lot: "Lô 1"), name: "lot.jsonld")
        #expect(byLot.summary.commissioningEvents == 1)
        #expect((events(byLot.document).first?["ilmd"] as? [String: String])?["cbvmda:lotNumber"] == "Lo-1")
        let byProducer = try await workspace.export(EPCISExport.Filter(producer: "mam tep"), name: "producer.jsonld")
        #expect(byProducer.summary.commissionedStamps == 2)
        let future = try await workspace.export(EPCISExport.Filter(since: Date().addingTimeInterval(3600)), name: "future.jsonld")
        #expect(future.summary.commissioningEvents == 0)
        #expect(events(future.document).isEmpty, "an empty event list is still a valid document")
        let past = try await workspace.export(EPCISExport.Filter(since: EPCISExport.Filter.since(parsing: "2020-01-01")), name: "past.jsonld")
        #expect(past.summary.commissioningEvents == 2)
        // A revocation after the date of a batch issued before it is written on its own.
        let before = Date()
        _ = try await Revocations(store: workspace.test.store).revoke(lot: "MT2611", productCode: nil, reason: "Thu hồi")
        let recent = try await workspace.export(EPCISExport.Filter(since: before), name: "recent.jsonld")
        #expect(recent.summary.commissioningEvents == 0)
        #expect(recent.summary.decommissionedStamps == 2)
        let store = try await workspace.store()
        await #expect(throws: EPCISExport.ExportError.self) { try await EPCISExport(store: store).write(EPCISExport.Filter(lot: "NOPE"), to: nil) }
        await #expect(throws: EPCISExport.ExportError.self) {
            try await EPCISExport(store: store).write(EPCISExport.Filter(producer: "no such"), to: nil)
        }
    }

    @Test func sinceTakesAVietnameseDayFromMidnightInVietNam() throws {
        let midnight = try #require(EPCISExport.Filter.since(parsing: "20/11/2026"))
        #expect(Timestamp.string(midnight) == "2026-11-19T17:00:00.000Z")
        #expect(Timestamp.inVietnam(midnight) == "2026-11-20T00:00:00.000+07:00", "RFC 3339: the offset has its colon")
        #expect(EPCISExport.Filter.since(parsing: "2026-11-20T08:00:00+07:00").map(Timestamp.string) == "2026-11-20T01:00:00.000Z")
        #expect(EPCISExport.Filter.since(parsing: "last week") == nil)
    }

    @Test(arguments: RegistryEngine.available)
    func aLargeBatchIsStreamedIntoASchemaValidDocument(engine: RegistryEngine) async throws {
        let workspace = try await EPCISWorkspace(engine)
        try await workspace.issue("NC-500", lot: "BIG", count: 20_000)
        let serials = try await workspace.serials(lot: "BIG")
        _ = try await Revocations(store: workspace.test.store).revoke(stampIDs: workspace.stampIDs(serials.suffix(100)), reason: "lost roll")
        let (summary, document) = try await workspace.export()
        #expect(summary.commissionedStamps == 20_000)
        #expect(summary.decommissionedStamps == 100)
        let epcs = try #require(events(document).first?["epcList"] as? [String])
        #expect(Set(epcs).count == 20_000)
    }
}

@Suite struct GLNTests {
    @Test func acceptsValidGLNsAndRejectsWrongCheckDigits() throws {
        #expect(try GLN(parsing: "8938765000008").digits == "8938765000008")
        #expect(try GLN(parsing: "893 8765 00000 8").digitalLink == "https://id.gs1.org/414/8938765000008")
        #expect(throws: GLN.ParseError.wrongCheckDigit(expected: "8", found: "7")) { try GLN(parsing: "8938765000007") }
        #expect(throws: GLN.ParseError.wrongLength(14)) { try GLN(parsing: "08938765000008") }
        #expect(throws: GLN.ParseError.notDigits) { try GLN(parsing: "893876500000A") }
        #expect(throws: GLN.ParseError.allZero) { try GLN(parsing: "0000000000000") }
    }

    @Test func aCatalogWithAWrongGLNIsRejectedNamingRowAndColumn() async throws {
        let folder = TemporaryFolder("ocoptrace-gln")
        let test = try await TestRegistry.make(.sqlite, in: folder)
        let catalog = folder.write("catalog.csv", """
            Mã sản phẩm,Tên sản phẩm,Chủ thể,Tỉnh,Giá bán,Mã địa điểm toàn cầu (GLN)
            NC-500,Nem chua hộp 500g,HTX Nem chua Xuân Lập,Thanh Hóa,85000,8938765000008
            MT-200,Mắm tép 200g,Công ty Mắm tép,Thanh Hóa,65000,8938765000007

            """)
        let report = try await CatalogImporter(store: test.store).importFile(at: catalog)
        #expect(report.outcome == .rejected)
        let problems = report.problems.map { "\($0.row):\($0.column ?? ""): \($0.message)" }
        #expect(problems == ["3:Mã địa điểm toàn cầu (GLN): \"8938765000007\": wrong check digit 7: the digits before it need 8"], "\(problems)")
        #expect(try await test.count("producers") == 0)
    }

    @Test func theGLNIsStoredWithTheProducerAndKeptWhenARowLeavesItOut() async throws {
        let folder = TemporaryFolder("ocoptrace-gln")
        let test = try await TestRegistry.make(.sqlite, in: folder)
        let first = folder.write("a.csv", """
            product_code,name,producer,province,price_vnd,gln
            NC-500,Nem chua hộp 500g,HTX Nem chua Xuân Lập,Thanh Hóa,85000,8938765000008

            """)
        #expect(try await CatalogImporter(store: test.store).importFile(at: first).outcome == .succeeded)
        let second = folder.write("b.csv", """
            product_code,name,producer,province,price_vnd
            NC-300,Nem chua 300g,HTX Nem chua Xuân Lập,Thanh Hóa,52000

            """)
        #expect(try await CatalogImporter(store: test.store).importFile(at: second).outcome == .succeeded)
        let products = try await StoredProduct.list(in: test.store)
        #expect(products.map(\.gln?.digits) == ["8938765000008", "8938765000008"])
    }
}
