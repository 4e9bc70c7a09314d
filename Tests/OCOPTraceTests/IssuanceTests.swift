import Foundation
import GRDB
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry with two products (one with a GTIN, one without) and a keys folder.
private struct IssueWorkspace {
    let folder = TemporaryFolder("ocoptrace-issue")
    let registry: Registry

    init() async throws {
        registry = try Registry(path: folder.path("registry.sqlite"))
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7
            NC-CHAY,Nem chay,,HTX Nem chua Xuân Lập,Thanh Hóa,45000,5

            """)
        let report = try await CatalogImporter(registry: registry).importFile(at: catalog)
        precondition(report.outcome == .succeeded)
    }

    func issuer(signed: Bool = false, render: RenderOptions = RenderOptions()) -> StampIssuer {
        StampIssuer(registry: registry, options: IssueOptions(
            resolver: "https://id.ocoptrace.vn", embedSignature: signed, keysFolder: folder.url.appendingPathComponent("keys"),
            outputFolder: folder.url.appendingPathComponent("output"), render: render))
    }

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

    func count(_ sql: String) throws -> Int {
        try registry.read { try Int.fetchOne($0, sql: sql)! }
    }
}

@Suite struct IssuanceTests {
    @Test func everyStampPNGDecodesToExactlyItsURL() async throws {
        let workspace = try await IssueWorkspace()
        let report = try workspace.issuer().issue(productCode: "NC-500", lot: "Lô 11/2026", count: 1200,
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
        #expect(try workspace.count("SELECT COUNT(*) FROM stamp_batches WHERE status = 'issued'") == 1)
    }

    @Test func urlsWithAGTINAreGS1DigitalLinksAndOthersUseTheProductCodePath() async throws {
        let workspace = try await IssueWorkspace()
        let withGTIN = try workspace.issuer().issue(productCode: "NC-500", lot: "A1", count: 20, producedOn: nil, expiresOn: nil)
        let urls = try workspace.manifest(withGTIN).map { $0["url"]! }
        let elements = try ExternalTools.gs1ElementStrings(urls)
        #expect(elements.count == 20)
        #expect(elements.allSatisfy { $0["01"] == "08938765000015" && $0["10"] == "A1" && $0["21"]?.count == 16 })

        let withoutGTIN = try workspace.issuer().issue(productCode: "NC-CHAY", lot: "C1", count: 5,
                                                       producedOn: CalendarDate(year: 2026, month: 11, day: 1), expiresOn: nil)
        let row = try #require(try workspace.manifest(withoutGTIN).first)
        #expect(row["url"]!.hasPrefix("https://id.ocoptrace.vn/p/NC-CHAY/10/C1/21/"))
        #expect(row["url"]!.hasSuffix("?11=261101&17=261106"))
        #expect(try StampURL(parsing: row["url"]!).product == .code("NC-CHAY"))
    }

    @Test func signedStampsCarryAnEd25519SignatureThatVerifiesOffline() async throws {
        let workspace = try await IssueWorkspace()
        let store = KeyStore(registry: workspace.registry, folder: workspace.folder.url.appendingPathComponent("keys"))
        let key = try store.generate()
        let report = try workspace.issuer(signed: true).issue(productCode: "NC-500", lot: "S1", count: 60,
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

    @Test func aProductCanAskForSignedStampsByDefault() async throws {
        let workspace = try await IssueWorkspace()
        let catalog = workspace.folder.write("signed.csv", """
            Mã sản phẩm,Tên sản phẩm,Chủ thể,Tỉnh,Giá bán,Ký số trên tem
            TGCL,Trà giảo cổ lam,HTX Dược liệu,Thanh Hóa,120000,có

            """)
        #expect(try await CatalogImporter(registry: workspace.registry).importFile(at: catalog).outcome == .succeeded)
        _ = try KeyStore(registry: workspace.registry, folder: workspace.folder.url.appendingPathComponent("keys")).generate()
        let signed = try workspace.issuer().issue(productCode: "TGCL", lot: "D1", count: 3, producedOn: nil, expiresOn: nil)
        #expect(signed.signed)
        #expect(try workspace.manifest(signed).allSatisfy { $0["url"]!.contains("8030=") })
        let unsigned = try workspace.issuer().issue(productCode: "NC-CHAY", lot: "D1", count: 3, producedOn: nil, expiresOn: nil)
        #expect(!unsigned.signed)
    }

    @Test func signingWithoutAKeySaysHowToMakeOne() async throws {
        let workspace = try await IssueWorkspace()
        #expect(throws: KeyError.self) {
            try workspace.issuer(signed: true).issue(productCode: "NC-500", lot: "S1", count: 5, producedOn: nil, expiresOn: nil)
        }
        #expect(try workspace.count("SELECT COUNT(*) FROM stamp_batches") == 0)
    }

    @Test func rerunningAnIssuedBatchIssuesNothingNew() async throws {
        let workspace = try await IssueWorkspace()
        let first = try workspace.issuer().issue(productCode: "NC-500", lot: "R1", count: 30, producedOn: nil, expiresOn: nil)
        let manifest = try workspace.manifest(first)
        let again = try workspace.issuer().issue(productCode: "NC-500", lot: "R1", count: 30, producedOn: nil, expiresOn: nil)
        #expect(again.alreadyIssued)
        #expect(again.newStamps == 0)
        #expect(try workspace.manifest(again) == manifest)
        #expect(try workspace.count("SELECT COUNT(*) FROM stamps") == 30)
        #expect(throws: IssueError.self) {
            try workspace.issuer().issue(productCode: "NC-500", lot: "R1", count: 31, producedOn: nil, expiresOn: nil)
        }
    }

    @Test func anInterruptedBatchIsPendingAndARerunCompletesItExactly() async throws {
        let workspace = try await IssueWorkspace()
        // What a crash after the first transactions of a batch leaves: a batch still issuing, some stamps, no manifest.
        try workspace.registry.write { db in
            let productID = try Int64.fetchOne(db, sql: "SELECT id FROM products WHERE code = 'NC-500'")!
            try db.execute(sql: """
                INSERT INTO stamp_batches (product_id, lot, lot_label, quantity, resolver, status, folder, created_at)
                VALUES (?, 'K1', 'K1', 5000, 'https://id.ocoptrace.vn', 'issuing', 'stamps/x/NC-500/K1', '2026-11-23T00:00:00Z')
                """, arguments: [productID])
            let batchID = db.lastInsertedRowID
            for sequence in 1...1234 {
                try db.execute(sql: "INSERT INTO stamps (batch_id, sequence, serial) VALUES (?, ?, ?)",
                               arguments: [batchID, sequence, Serial.random().text])
            }
        }
        #expect(try workspace.count("SELECT COUNT(*) FROM stamp_batches WHERE status = 'issuing'") == 1)
        let report = try workspace.issuer().issue(productCode: "NC-500", lot: "K1", count: 5000, producedOn: nil, expiresOn: nil)
        #expect(report.newStamps == 5000 - 1234)
        #expect(try workspace.count("SELECT COUNT(*) FROM stamps") == 5000)
        #expect(try workspace.count("SELECT COUNT(DISTINCT serial) FROM stamps") == 5000)
        #expect(try workspace.count("SELECT MAX(sequence) FROM stamps") == 5000)
        #expect(try workspace.manifest(report).count == 5000)
        #expect(try workspace.count("SELECT COUNT(*) FROM stamp_batches WHERE status = 'issued'") == 1)
    }

    @Test func ordersAreIssuedOnceAndMarkedIssued() async throws {
        let workspace = try await IssueWorkspace()
        let orders = workspace.folder.write("orders.csv", """
            product_code,lot,quantity,produced_on
            NC-500,O1,40,2026-11-20
            NC-CHAY,O2,15,2026-11-21

            """)
        let imported = try await CatalogImporter(registry: workspace.registry).importFile(at: orders)
        #expect(imported.stampOrderIDs.count == 2)
        let batches = try workspace.issuer().issue(orderIDs: imported.stampOrderIDs)
        #expect(batches.map(\.newStamps) == [40, 15])
        #expect(try workspace.count("SELECT COUNT(*) FROM stamp_orders WHERE status = 'issued'") == 2)
        let again = try await CatalogImporter(registry: workspace.registry).importFile(at: orders)
        #expect(again.unchanged == 2)
        let rerun = try workspace.issuer().issue(orderIDs: again.stampOrderIDs)
        #expect(rerun.allSatisfy { $0.alreadyIssued && $0.newStamps == 0 })
        #expect(try workspace.count("SELECT COUNT(*) FROM stamps") == 55)
        let jobs = try JobLog.entries(in: workspace.registry)
        #expect(jobs.filter { $0.kind == "issue" }.count == 2)
    }

    @Test func renderRedrawsAnIssuedBatchWithoutIssuing() async throws {
        let workspace = try await IssueWorkspace()
        let issued = try workspace.issuer().issue(productCode: "NC-500", lot: "P1", count: 12, producedOn: nil, expiresOn: nil)
        let before = try workspace.manifest(issued)
        let big = try workspace.issuer(render: RenderOptions(moduleSize: 8, correction: .high)).rerender(lot: "P1", productCode: nil)
        #expect(try workspace.manifest(big).map { $0["url"] } == before.map { $0["url"] })
        #expect(try workspace.count("SELECT COUNT(*) FROM stamps") == 12)
        let path = workspace.manifestFolder(big).appendingPathComponent(before[0]["png"]!).path
        let png = try Data(contentsOf: URL(fileURLWithPath: path))
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width % 8 == 0 && width >= (33 + 8) * 8)
        #expect(try ExternalTools.decodeQR([path])[path] == [before[0]["url"]!])
        #expect(throws: IssueError.self) { try workspace.issuer().rerender(lot: "NOPE", productCode: nil) }
    }

    @Test func lotsOutsideTheGS1CharacterSetAreRejectedClearly() async throws {
        let workspace = try await IssueWorkspace()
        #expect {
            try workspace.issuer().issue(productCode: "NC-500", lot: "LOT#1", count: 1, producedOn: nil, expiresOn: nil)
        } throws: { error in
            "\(error)".contains("\"#\"")
        }
        #expect(throws: IssueError.self) {
            try workspace.issuer().issue(productCode: "NOPE", lot: "L", count: 1, producedOn: nil, expiresOn: nil)
        }
    }
}
