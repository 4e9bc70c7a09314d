import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry with two products (one with a GTIN, one without) and a keys folder.
private struct IssueWorkspace {
    let folder = TemporaryFolder("ocoptrace-issue")
    let registry: TestRegistry
    var store: any RegistryStore { registry.store }

    init(_ engine: RegistryEngine) async throws {
        registry = try await TestRegistry.make(engine, in: folder)
        try await StampFixtures.addProducts([
            .init(code: "NC-500", name: "Nem chua hộp 500g", gtin: "8938765000015", producer: "HTX Nem chua Xuân Lập", shelfLifeDays: 7),
            .init(code: "NC-CHAY", name: "Nem chay", producer: "HTX Nem chua Xuân Lập", priceVND: 45000, shelfLifeDays: 5),
        ], to: registry)
    }

    func issuer(signed: Bool = false, render: RenderOptions = RenderOptions()) -> StampIssuer {
        StampIssuer(store: store, options: IssueOptions(
            resolver: "https://id.ocoptrace.vn", embedSignature: signed, keysFolder: folder.url.appendingPathComponent("keys"),
            outputFolder: folder.url.appendingPathComponent("output"), render: render))
    }

    var importer: CatalogImporter { CatalogImporter(store: store) }

    var keys: KeyStore { KeyStore(store: store, folder: folder.url.appendingPathComponent("keys")) }

    /// The manifest's rows as dictionaries, header names as keys.
    func manifest(_ report: BatchReport) throws -> [[String: String]] {
        let path = absolutePath(report.manifest)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }

    func manifestFolder(_ report: BatchReport) -> URL {
        URL(fileURLWithPath: report.manifest).deletingLastPathComponent()
    }

    func count(_ sql: String) async throws -> Int {
        Int(try await registry.value(sql) ?? "") ?? -1
    }
}

@Suite struct IssuanceTests {
    @Test(arguments: RegistryEngine.available) func everyStampPNGDecodesToExactlyItsURL(engine: RegistryEngine) async throws {
        let workspace = try await IssueWorkspace(engine)
        let report = try await workspace.issuer().issue(productCode: "NC-500", lot: "Lô 11/2026", count: 1200,
                                                  producedOn: CalendarDate(year: 2026, month: 11, day: 20), expiresOn: nil)
        #expect(report.quantity == 1200)
        #expect(report.newStamps == 1200)
        let rows = try workspace.manifest(report)
        #expect(rows.count == 1200)
        #expect(Set(rows.map { $0["serial"]! }).count == 1200)
        let folder = workspace.manifestFolder(report)
        let paths = rows.map { folder.appendingPathComponent($0["png"]!).path }
        let decoded = try ExternalTools.decodeQR(paths)
        for (row, path) in zip(rows, paths) {
            #expect(decoded[path] == [row["url"]!], "\(path)")
        }
        // A thousand to a folder.
        #expect(Set(rows.map { $0["png"]!.split(separator: "/")[0] }) == ["0001", "0002"])
        let first = try #require(rows.first)
        #expect(first["url"] == "https://id.ocoptrace.vn/01/08938765000015/10/Lo-11%2F2026/21/\(first["serial"]!)?11=261120&17=261127")
        #expect(first["stamp_id"] == StampID(serial: Serial(exactly: first["serial"]!)!).formatted)
        #expect(report.render?.versions.keys.max() ?? 99 <= 5)
        #expect(try await workspace.count("SELECT COUNT(*) FROM stamp_batches WHERE status = 'issued'") == 1)
    }

    @Test(arguments: RegistryEngine.available) func urlsWithAGTINAreGS1DigitalLinksAndOthersUseTheProductCodePath(engine: RegistryEngine) async throws {
        let workspace = try await IssueWorkspace(engine)
        let withGTIN = try await workspace.issuer().issue(productCode: "NC-500", lot: "A1", count: 20, producedOn: nil, expiresOn: nil)
        let urls = try workspace.manifest(withGTIN).map { $0["url"]! }
        let elements = try ExternalTools.gs1ElementStrings(urls)
        #expect(elements.count == 20)
        #expect(elements.allSatisfy { $0["01"] == "08938765000015" && $0["10"] == "A1" && $0["21"]?.count == 16 })

        let withoutGTIN = try await workspace.issuer().issue(productCode: "NC-CHAY", lot: "C1", count: 5,
                                                       producedOn: CalendarDate(year: 2026, month: 11, day: 1), expiresOn: nil)
        let row = try #require(try workspace.manifest(withoutGTIN).first)
        #expect(row["url"]!.hasPrefix("https://id.ocoptrace.vn/p/NC-CHAY/10/C1/21/"))
        #expect(row["url"]!.hasSuffix("?11=261101&17=261106"))
        #expect(try StampURL(parsing: row["url"]!).product == .code("NC-CHAY"))
    }

    @Test(arguments: RegistryEngine.available) func signedStampsCarryAnEd25519SignatureThatVerifiesOffline(engine: RegistryEngine) async throws {
        let workspace = try await IssueWorkspace(engine)
        let key = try await workspace.keys.generate()
        let report = try await workspace.issuer(signed: true).issue(productCode: "NC-500", lot: "S1", count: 60,
                                                              producedOn: CalendarDate(year: 2026, month: 11, day: 20), expiresOn: nil)
        #expect(report.signed)
        #expect(report.keyID == key.keyID)
        let rows = try workspace.manifest(report)
        let publicKey = try PublicStampKey(fileText: String(contentsOfFile: workspace.folder.path("keys/\(key.keyID).pub"), encoding: .utf8))
        for row in rows {
            let url = try StampURL(parsing: row["url"]!)
            let signature = try #require(url.signature)
            #expect(publicKey.isValid(signature, for: SignedStampFields(url)))
            var tampered = SignedStampFields(url)
            tampered.lot = "S2"
            #expect(!publicKey.isValid(signature, for: tampered))
        }
        let folder = workspace.manifestFolder(report)
        let decoded = try ExternalTools.decodeQR(rows.prefix(10).map { folder.appendingPathComponent($0["png"]!).path })
        #expect(decoded.values.allSatisfy { $0.count == 1 && $0[0].contains("8030=\(key.keyID)") })
    }

    @Test(arguments: RegistryEngine.available) func aProductCanAskForSignedStampsByDefault(engine: RegistryEngine) async throws {
        let workspace = try await IssueWorkspace(engine)
        let catalog = workspace.folder.write("signed.csv", """
            Mã sản phẩm,Tên sản phẩm,Chủ thể,Tỉnh,Giá bán,Ký số trên tem
            TGCL,Trà giảo cổ lam,HTX Dược liệu,Thanh Hóa,120000,có

            """)
        #expect(try await workspace.importer.importFile(at: catalog).outcome == .succeeded)
        _ = try await workspace.keys.generate()
        let signed = try await workspace.issuer().issue(productCode: "TGCL", lot: "D1", count: 3, producedOn: nil, expiresOn: nil)
        #expect(signed.signed)
        #expect(try workspace.manifest(signed).allSatisfy { $0["url"]!.contains("8030=") })
        let unsigned = try await workspace.issuer().issue(productCode: "NC-CHAY", lot: "D1", count: 3, producedOn: nil, expiresOn: nil)
        #expect(!unsigned.signed)
    }

    @Test(arguments: RegistryEngine.available) func signingWithoutAKeySaysHowToMakeOne(engine: RegistryEngine) async throws {
        let workspace = try await IssueWorkspace(engine)
        await #expect(throws: KeyError.self) {
            try await workspace.issuer(signed: true).issue(productCode: "NC-500", lot: "S1", count: 5, producedOn: nil, expiresOn: nil)
        }
        #expect(try await workspace.count("SELECT COUNT(*) FROM stamp_batches") == 0)
    }

    @Test(arguments: RegistryEngine.available) func rerunningAnIssuedBatchIssuesNothingNew(engine: RegistryEngine) async throws {
        let workspace = try await IssueWorkspace(engine)
        let first = try await workspace.issuer().issue(productCode: "NC-500", lot: "R1", count: 30, producedOn: nil, expiresOn: nil)
        let manifest = try workspace.manifest(first)
        let again = try await workspace.issuer().issue(productCode: "NC-500", lot: "R1", count: 30, producedOn: nil, expiresOn: nil)
        #expect(again.alreadyIssued)
        #expect(again.newStamps == 0)
        #expect(try workspace.manifest(again) == manifest)
        #expect(try await workspace.count("SELECT COUNT(*) FROM stamps") == 30)
        await #expect(throws: IssueError.self) {
            try await workspace.issuer().issue(productCode: "NC-500", lot: "R1", count: 31, producedOn: nil, expiresOn: nil)
        }
    }

    @Test(arguments: RegistryEngine.available) func anInterruptedBatchIsPendingAndARerunCompletesItExactly(engine: RegistryEngine) async throws {
        let workspace = try await IssueWorkspace(engine)
        // What a crash after the first transactions of a batch leaves: a batch still issuing, some stamps, no manifest.
        try await workspace.registry.execute("""
            INSERT INTO stamp_batches (product_id, lot, lot_label, quantity, resolver, status, folder, created_at)
            SELECT id, 'K1', 'K1', 5000, 'https://id.ocoptrace.vn', 'issuing', 'stamps/x/NC-500/K1', '2026-11-23T00:00:00Z'
            FROM products WHERE code = 'NC-500'
            """)
        let batchID = try #require(try await workspace.registry.value("SELECT id FROM stamp_batches WHERE lot = 'K1'"))
        let stamps = (1...1234).map { "(\(batchID), \($0), '\(Serial.random().text)')" }.joined(separator: ", ")
        try await workspace.registry.execute("INSERT INTO stamps (batch_id, sequence, serial) VALUES \(stamps)")
        #expect(try await workspace.count("SELECT COUNT(*) FROM stamp_batches WHERE status = 'issuing'") == 1)
        let report = try await workspace.issuer().issue(productCode: "NC-500", lot: "K1", count: 5000, producedOn: nil, expiresOn: nil)
        #expect(report.newStamps == 5000 - 1234)
        #expect(try await workspace.count("SELECT COUNT(*) FROM stamps") == 5000)
        #expect(try await workspace.count("SELECT COUNT(DISTINCT serial) FROM stamps") == 5000)
        #expect(try await workspace.count("SELECT MAX(sequence) FROM stamps") == 5000)
        #expect(try workspace.manifest(report).count == 5000)
        #expect(try await workspace.count("SELECT COUNT(*) FROM stamp_batches WHERE status = 'issued'") == 1)
    }

    @Test(arguments: RegistryEngine.available) func ordersAreIssuedOnceAndMarkedIssued(engine: RegistryEngine) async throws {
        let workspace = try await IssueWorkspace(engine)
        let orders = workspace.folder.write("orders.csv", """
            product_code,lot,quantity,produced_on
            NC-500,O1,40,2026-11-20
            NC-CHAY,O2,15,2026-11-21

            """)
        let orderIDs = try await workspace.importer.importFile(at: orders).stampOrderIDs
        #expect(orderIDs.count == 2)
        let batches = try await workspace.issuer().issue(orderIDs: orderIDs)
        #expect(batches.map(\.newStamps) == [40, 15])
        #expect(try await workspace.count("SELECT COUNT(*) FROM stamp_orders WHERE status = 'issued'") == 2)
        let again = try await workspace.importer.importFile(at: orders)
        #expect(again.unchanged == 2)
        let againIDs = again.stampOrderIDs
        let rerun = try await workspace.issuer().issue(orderIDs: againIDs)
        #expect(rerun.allSatisfy { $0.alreadyIssued && $0.newStamps == 0 })
        #expect(try await workspace.count("SELECT COUNT(*) FROM stamps") == 55)
        let jobs = try await workspace.store.jobs(limit: 50)
        #expect(jobs.filter { $0.kind == "issue" }.count == 2)
    }

    @Test(arguments: RegistryEngine.available) func renderRedrawsAnIssuedBatchWithoutIssuing(engine: RegistryEngine) async throws {
        let workspace = try await IssueWorkspace(engine)
        let issued = try await workspace.issuer().issue(productCode: "NC-500", lot: "P1", count: 12, producedOn: nil, expiresOn: nil)
        let before = try workspace.manifest(issued)
        let big = try await workspace.issuer(render: RenderOptions(moduleSize: 8, correction: .high)).rerender(lot: "P1", productCode: nil)
        #expect(try workspace.manifest(big).map { $0["url"] } == before.map { $0["url"] })
        #expect(try await workspace.count("SELECT COUNT(*) FROM stamps") == 12)
        let path = workspace.manifestFolder(big).appendingPathComponent(before[0]["png"]!).path
        let png = try Data(contentsOf: URL(fileURLWithPath: path))
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width % 8 == 0 && width >= (33 + 8) * 8)
        #expect(try ExternalTools.decodeQR([path])[path] == [before[0]["url"]!])
        await #expect(throws: IssueError.self) { try await workspace.issuer().rerender(lot: "NOPE", productCode: nil) }
    }

    @Test(arguments: RegistryEngine.available) func lotsOutsideTheGS1CharacterSetAreRejectedClearly(engine: RegistryEngine) async throws {
        let workspace = try await IssueWorkspace(engine)
        await #expect {
            try await workspace.issuer().issue(productCode: "NC-500", lot: "LOT#1", count: 1, producedOn: nil, expiresOn: nil)
        } throws: { error in
            "\(error)".contains("\"#\"")
        }
        await #expect(throws: IssueError.self) {
            try await workspace.issuer().issue(productCode: "NOPE", lot: "L", count: 1, producedOn: nil, expiresOn: nil)
        }
    }
}
