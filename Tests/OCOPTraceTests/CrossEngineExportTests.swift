import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry on `engine` holding the catalog, with stamps issued and some revoked: the one place
/// this file seeds registries.
private func seededRegistry(_ engine: RegistryEngine, in folder: TemporaryFolder) async throws -> TestRegistry {
    let catalog = folder.write("catalog.csv", """
        product_code,name,gtin,producer,tax_id,commune,province,price_vnd,weight_g,package_cm,ocop_group,ocop_stars,ocop_decision,ocop_recognized_on,shelf_life_days,images,stock,gln
        NC-500,Nem chua Thanh Hóa hộp 500g,8938765000015,HTX Nem chua Xuân Lập,2801876543,Xuân Lập,Thanh Hóa,85000,500,20x15x6,1,4,1234/QĐ-UBND,2025-06-12,7,https://img.vn/a.jpg|https://img.vn/b.jpg,12,8938765000008
        NC-CHAY,Nem chay,,HTX Nem chua Xuân Lập,2801876543,Xuân Lập,Thanh Hóa,45000,300,,1,,,,5,https://img.vn/c.jpg,3,8938765000008
        MO,Mật ong rừng Pù Luông,,Hộ ông Ba,,,Thanh Hóa,250000,700,9x9x22,1,3,55/QĐ-UBND,2021-01-01,720,https://img.vn/mo.jpg,5,
        GIO,Giỏ mây,8935550100011,Tổ hợp tác Mây tre,,Hoằng Thịnh,Thanh Hóa,180000,450,32x32x15,4,,,,,https://img.vn/g.jpg,2,
        AL-1,Ăn liền Ấm áp,,Ăn Uống Việt,,,Nghệ An,99000,200,,1,,,,30,https://img.vn/x.jpg,1,

        """)
    let test = try await TestRegistry.make(engine, in: folder)
    let imported = try await CatalogImporter(store: test.store).importFile(at: catalog)
    precondition(imported.outcome == .succeeded, "\(imported.problems)")
    let issuer = StampIssuer(store: test.store, options: IssueOptions(
        resolver: "https://id.ocoptrace.vn", keysFolder: folder.url.appendingPathComponent("keys"),
        outputFolder: folder.url.appendingPathComponent("output"), writePNGs: false))
    let produced = CalendarDate(year: 2026, month: 11, day: 20)
    _ = try await issuer.issue(productCode: "NC-500", lot: "NC2611A", count: 25, producedOn: produced, expiresOn: produced?.adding(days: 7))
    _ = try await issuer.issue(productCode: "NC-CHAY", lot: "Lô chay 11", count: 4, producedOn: produced, expiresOn: nil)
    _ = try await Revocations(store: test.store).revoke(lot: "Lo-chay-11", productCode: nil, reason: "Thu hồi \"lô\" <chay>")
    return test
}

@Suite struct CrossEngineExportTests {
    /// Offline packs and exports read the same data whichever engine holds it: the same catalog,
    /// imported into each, exports to the same bytes (but for times and the random serials).
    @Test(.enabled(if: RegistryEngine.available.contains(.postgres)))
    func bothEnginesExportTheSameListingsAndEvents() async throws {
        var outputs: [[String: String]] = []
        for engine in [RegistryEngine.sqlite, .postgres] {
            let folder = TemporaryFolder("ocoptrace-engines")
            let registry = try await seededRegistry(engine, in: folder)
            let exports = folder.url.appendingPathComponent("exports")
            _ = try await ListingExporter(store: registry.store, options: ExportOptions(
                folder: exports, stockFromStamps: false, resolver: "https://id.ocoptrace.vn", categoryMapping: nil,
                today: CalendarDate(year: 2026, month: 11, day: 23)!)).export(Marketplace.allCases)
            _ = try await ListingExporter(store: registry.store, options: ExportOptions(
                folder: folder.url.appendingPathComponent("stock"), stockFromStamps: true, resolver: "https://id.ocoptrace.vn",
                googleXML: true, categoryMapping: nil, today: CalendarDate(year: 2026, month: 11, day: 23)!)).export([.google, .tiki])
            let document = folder.url.appendingPathComponent("epcis.jsonld")
            _ = try await EPCISExport(store: registry.store).write(to: document)
            var files = try Self.contents(of: folder.url, under: ["exports", "stock"])
            files["epcis.jsonld"] = try Self.withoutTimesAndSerials(String(contentsOf: document, encoding: .utf8))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            files["products"] = try await String(decoding: encoder.encode(StoredProduct.list(in: registry.store)), as: UTF8.self)
            files["traceability"] = try await "\(TraceabilityCheck(store: registry.store).run().missing.sorted { $0.key < $1.key })"
            let counts = try await registry.store.registryCounts()
            #expect(counts.producers == 4 && counts.products == 5 && counts.issuedStamps == 29 && counts.pendingStampOrders == 0)
            files["counts"] = "\(counts)"
            outputs.append(files)
            await registry.store.close()
        }
        #expect(outputs[0].keys.sorted() == outputs[1].keys.sorted())
        #expect(outputs[0].count > 15)
        for (name, sqlite) in outputs[0].sorted(by: { $0.key < $1.key }) {
            #expect(sqlite == outputs[1][name], "\(name) differs between SQLite and PostgreSQL")
        }
        #expect(outputs[0]["epcis.jsonld"]?.contains("decommissioning") == true)
    }

    /// Every file under the folders, as text (a workbook as its entries but the creation time).
    private static func contents(of root: URL, under folders: [String]) throws -> [String: String] {
        var files: [String: String] = [:]
        for folder in folders {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where !url.hasDirectoryPath {
                let name = folder + url.path.dropFirst(base.path.count)
                if url.pathExtension == "xlsx" {
                    let script = """
                        import hashlib, json, sys, zipfile
                        z = zipfile.ZipFile(sys.argv[1])
                        print(json.dumps({n: hashlib.sha256(z.read(n)).hexdigest() for n in sorted(z.namelist()) if n != 'docProps/core.xml'}))
                        """
                    files[name] = try ExternalTools.run("python3", ["-c", script, url.path])
                } else {
                    files[name] = try String(contentsOf: url, encoding: .utf8)
                }
            }
        }
        return files
    }

    /// The document with its creation and event times and the stamps' random serials taken out.
    private static func withoutTimesAndSerials(_ text: String) throws -> String {
        let times = try Regex(#""(creationDate|eventTime)":"[^"]*""#)
        let serials = try Regex(#"/21/[0-9A-Z]+""#)
        return text.replacing(times, with: "\"time\":\"-\"").replacing(serials, with: "/21/serial\"")
    }
}
