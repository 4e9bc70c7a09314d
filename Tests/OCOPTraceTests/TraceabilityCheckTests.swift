import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry on `engine` holding `catalog`, with the import's report: the one place this file seeds registries.
private func seededRegistry(_ engine: RegistryEngine, in folder: TemporaryFolder, catalog: URL) async throws -> (TestRegistry, FileImportReport) {
    let test = try await TestRegistry.make(engine, in: folder)
    let imported = try await CatalogImporter(store: test.store).importFile(at: catalog)
    return (test, imported)
}

@Suite struct TraceabilityCheckTests {
    @Test(arguments: RegistryEngine.available)
    func listsEveryMissingFieldWithStableCodesInBothLanguages(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-traceability")
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,tax_id,commune,province,ocop_group,price_vnd,shelf_life_days,images,gln
            FULL,Nem chua hộp 500g,8938765000015,HTX Nem chua,2801876543,Xuân Lập,Thanh Hóa,1,85000,7,https://img.example.vn/a.jpg,8938765000008
            BARE,Mật ong,,Hộ ông Ba,,,Thanh Hóa,,120000,,,
            GIO,Giỏ mây,8935550100011,Tổ hợp tác Mây tre,,Hoằng Thịnh,Thanh Hóa,4,180000,,https://img.example.vn/g.jpg,

            """)
        let (registry, imported) = try await seededRegistry(engine, in: folder, catalog: catalog)
        #expect(imported.outcome == .succeeded)
        var findings: [String: TraceabilityCheck.Finding] = [:]
        let summary = try await TraceabilityCheck(store: registry.store).run(language: .vi) { findings[$0.code] = $0 }
        #expect(summary.products == 3)
        #expect(summary.complete == 1)
        #expect(findings["FULL"]?.complete == true)
        #expect(findings["FULL"]?.missing == [])
        #expect(findings["BARE"]?.missing == ["no-image", "no-producer-address", "no-producer-id", "no-shelf-life", "no-gtin", "no-location-code"])
        #expect(findings["BARE"]?.reasons.first == "chưa có hình ảnh sản phẩm (Thông tư 02/2024 yêu cầu)")
        // Handicrafts have no shelf life to give.
        #expect(findings["GIO"]?.missing == ["no-producer-id", "no-location-code"])
        #expect(summary.missing == ["no-image": 1, "no-producer-address": 1, "no-producer-id": 2, "no-shelf-life": 1, "no-gtin": 1,
                                    "no-location-code": 2])
        var english: [String] = []
        _ = try await TraceabilityCheck(store: registry.store).run(producer: "ong ba", language: .en) { english += $0.reasons }
        #expect(english.contains("no GTIN (the digital product passport asks for one)"))
    }
}
