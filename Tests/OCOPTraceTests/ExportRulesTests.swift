import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

@Suite struct ProductKindTests {
    @Test(arguments: [
        ("Nem chua Thanh Hóa hộp 500g", "cured-meat"),
        ("Nem chay thính gạo 250g", "cured-meat"),  // "nem" comes before "gạo"
        ("Chả tôm Thanh Hóa hộp 250g", "cured-meat"),
        ("Mắm tép chưng thịt ba chỉ 180g", "fermented-seafood"),
        ("Nước mắm cá cơm 40 độ đạm chai 500ml", "fish-sauce"),  // the longer keyword at the same word
        ("Ruốc tôm biển 100g", "dried-meat-and-seafood"),
        ("Trà giảo cổ lam Bá Thước hộp 100g", "tea"),
        ("Cao lá xông người Dao 250ml", "herbal-medicine"),
        ("Rượu men lá Lũng Cao chai 500ml", "liquor"),  // not "cao" from the place name
        ("Mật ong rừng Pù Luông 500ml", "honey"),
        ("Bánh gai Tứ Trụ hộp quà 20 chiếc", "cakes-and-sweets"),
        ("Giỏ mây tròn đan tay đường kính 30cm", "bamboo-and-rattan"),
        ("Đèn ngủ tre đan họa tiết trống đồng", "bamboo-and-rattan"),
        ("CÀ PHÊ Robusta rang mộc 500g", "coffee"),
        ("Bánh đa nem Thanh Hóa", "noodles"),
        ("Khăn lụa tơ tằm", "textiles"),
    ])
    func namesAreRecognised(_ name: String, _ kind: String) {
        #expect(ProductKinds.shipped.kind(ofProductNamed: name)?.kind == kind)
    }

    @Test func decomposedTextIsRecognisedAndUnknownNamesHaveNoKind() {
        #expect(ProductKinds.shipped.kind(ofProductNamed: "Mật ong hoa nhãn".decomposedStringWithCanonicalMapping)?.kind == "honey")
        #expect(ProductKinds.shipped.kind(ofProductNamed: "Sản phẩm XYZ 100") == nil)
        // Whole words only: "tram" is not "trà", "caorau" is not "cao".
        #expect(ProductKinds.shipped.kind(ofProductNamed: "Caorau tram") == nil)
    }

    @Test func everyShippedKindHasAGoogleCategory() throws {
        let mapping = try CategoryMapping.load(shopFile: nil)
        for kind in ProductKinds.shipped.kinds {
            #expect(mapping.category(platform: .google, productCode: "X", kind: kind, group: nil) != nil, "\(kind.kind)")
        }
    }
}

@Suite struct MarketplaceRulesTests {
    @Test func everyLimitSaysItsSourceAndTheReferenceLimitsAreApplied() throws {
        for platform in ["shopee", "lazada", "tiki", "tiktok"] {
            let rules = try MarketplaceRules.shipped(platform)
            #expect(rules.title.source != nil && rules.description.source != nil && rules.images.source != nil && rules.price.source != nil, "\(platform)")
            #expect(!rules.unconfirmed.isEmpty)
        }
        let tiktok = try MarketplaceRules.shipped("tiktok")
        #expect(tiktok.title.min == 25 && tiktok.title.max == 255)
        let tiki = try MarketplaceRules.shipped("tiki")
        #expect(tiki.title.min == 3 && tiki.title.max == 255 && tiki.images.minSidePx == 500)
        let lazada = try MarketplaceRules.shipped("lazada")
        #expect(lazada.images.max == 8 && lazada.images.minSidePx == 330 && lazada.images.maxSidePx == 5000 && lazada.images.maxBytes == 3 * 1_048_576)
    }
}

@Suite struct CategoryMappingTests {
    @Test func theShopFileWinsKeyByKeyThenProductKindGroup() throws {
        let folder = TemporaryFolder("ocoptrace-categories")
        let file = folder.write("mapping.json", """
            {"_comment": "x", "shopee": {"group:1": "G1", "kind:honey": "HONEY", "product:NC-500": "NC"},
             "google": {"group:1": "999"}}
            """)
        let mapping = try CategoryMapping.load(shopFile: file)
        let honey = ProductKinds.shipped.kinds.first { $0.kind == "honey" }
        #expect(mapping.category(platform: .shopee, productCode: "NC-500", kind: honey, group: .food)?.id == "NC")
        #expect(mapping.category(platform: .shopee, productCode: "MO", kind: honey, group: .food)?.id == "HONEY")
        #expect(mapping.category(platform: .shopee, productCode: "MO", kind: nil, group: .food)?.key == "group:1")
        #expect(mapping.category(platform: .shopee, productCode: "MO", kind: honey, group: .food)?.confidence == .shop)
        #expect(mapping.category(platform: .shopee, productCode: "MO", kind: nil, group: .tourism) == nil)
        // The shipped mapping fills the shop's gaps, with its confidence.
        let shipped = mapping.category(platform: .tiki, productCode: "MO", kind: honey, group: .food)
        #expect(shipped?.id == "11883" && shipped?.confidence == .medium && shipped?.key == "kind:honey")
        // The shop's group key wins over the shipped kind key, and the shipped file fills the gaps.
        #expect(mapping.category(platform: .google, productCode: "MO", kind: honey, group: .food)?.id == "999")
        #expect(mapping.category(platform: .google, productCode: "MO", kind: nil, group: .drinks)?.id == "413")
    }

    @Test func aMappingFileWithAnUnknownKeyOrPlatformIsRefusedWithItsName() throws {
        let folder = TemporaryFolder("ocoptrace-categories")
        let badKey = folder.write("bad-key.json", #"{"shopee": {"honey": "1"}}"#)
        #expect { try CategoryMapping.load(shopFile: badKey) } throws: { "\($0)".contains("bad-key.json") && "\($0)".contains("\"honey\"") }
        let badPlatform = folder.write("bad-platform.json", #"{"sendo": {"group:1": "1"}}"#)
        #expect { try CategoryMapping.load(shopFile: badPlatform) } throws: { "\($0)".contains("\"sendo\" is not a marketplace") }
    }
}

@Suite struct PackageSizeTests {
    @Test func sizesAreReadInCentimetresOrMillimetres() throws {
        #expect(try FieldParsers.packageSize("20x15x10") == PackageSize(lengthCm: 20, widthCm: 15, heightCm: 10))
        #expect(try FieldParsers.packageSize("20,5 × 15 × 10 cm") == PackageSize(lengthCm: 20.5, widthCm: 15, heightCm: 10))
        #expect(try FieldParsers.packageSize("250*250*350 mm") == PackageSize(lengthCm: 25, widthCm: 25, heightCm: 35))
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.packageSize("20x15") }
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.packageSize("20x0x10") }
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.packageSize("to lắm") }
    }

    @Test func aBadSizeNamesFileRowAndColumn() async throws {
        let folder = TemporaryFolder("ocoptrace-size")
        let catalog = folder.write("catalog.csv", """
            product_code,name,producer,province,price_vnd,Kích thước đóng gói (cm)
            A,Mật ong,HTX A,Thanh Hóa,100000,20x15

            """)
        let report = try await CatalogImporter(store: TestRegistry.make(.sqlite, in: folder).store).importFile(at: catalog)
        #expect(report.outcome == .rejected)
        #expect(report.problems.first?.description.contains("catalog.csv:2:Kích thước đóng gói (cm): \"20x15\" is not a package size") == true)
    }
}

/// A registry on `engine` holding `catalog` (its import must succeed): the one place this file
/// seeds registries.
private func seededRegistry(_ engine: RegistryEngine, in folder: TemporaryFolder, catalog: URL) async throws -> TestRegistry {
    let test = try await TestRegistry.make(engine, in: folder)
    let imported = try await CatalogImporter(store: test.store).importFile(at: catalog)
    precondition(imported.outcome == .succeeded, "\(imported.problems)")
    return test
}

@Suite struct ExportImageTests {
    private func export(_ engine: RegistryEngine, _ folder: TemporaryFolder, rows: String, to marketplaces: [Marketplace],
                        imageBaseURL: String? = nil) async throws -> (reports: [ExportReport], findings: [ExportFinding], registry: TestRegistry) {
        let catalog = folder.write("catalog.csv", "product_code,name,producer,province,price_vnd,weight_g,package_cm,ocop_group,images,description\n" + rows)
        let registry = try await seededRegistry(engine, in: folder, catalog: catalog)
        let mapping = folder.write("categories.json", #"{"lazada": {"group:1": "14749"}, "tiktok": {"group:1": "920328"}, "shopee": {"group:1": "100819"}}"#)
        let findings = Findings()
        let reports = try await ListingExporter(store: registry.store, options: ExportOptions(
            folder: folder.url.appendingPathComponent("exports"), resolver: "https://id.ocoptrace.vn", categoryMapping: mapping,
            imageBaseURL: imageBaseURL, today: CalendarDate(year: 2026, month: 11, day: 23)!)).export(marketplaces, onFinding: findings.add)
        return (reports, findings.all, registry)
    }

    @Test(arguments: RegistryEngine.available)
    func lazadaLeavesOutImagesTooSmallTooLargeOrNotImagesAndSaysWhy(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-images")
        try FileManager.default.createDirectory(atPath: folder.path("img"), withIntermediateDirectories: true)
        try ImageFixture.png(folder.path("img/small.png"), width: 200, height: 200)
        try ImageFixture.png(folder.path("img/wide.png"), width: 6000, height: 400)
        try ImageFixture.png(folder.path("img/heavy.png"), width: 1100, height: 1000, noise: true)
        folder.write("img/fake.jpg", "not a picture")
        try ImageFixture.jpeg(folder.path("img/good.jpg"), width: 800, height: 800)
        let (reports, findings, _) = try await export(engine, folder, rows: """
            BAD,Mật ong,HTX A,Thanh Hóa,100000,500,10x10x10,1,img/small.png|img/wide.png|img/heavy.png|img/fake.jpg
            GOOD,Mật ong rừng,HTX A,Thanh Hóa,100000,500,10x10x10,1,img/small.png|img/good.jpg

            """, to: [.lazada], imageBaseURL: "https://cdn.example.vn/ocop/")
        let bad = try #require(findings.first { $0.product == "BAD" })
        #expect(bad.status == .rejected)
        #expect(bad.reasons.contains { $0.contains("small.png is 200×200 px; Lazada needs at least 330 px a side; left out") })
        #expect(bad.reasons.contains { $0.contains("wide.png is 6000×400 px; Lazada takes at most 5000 px a side") })
        #expect(bad.reasons.contains { $0.contains("heavy.png is 3.1 MB; Lazada takes at most 3 MB") })
        #expect(bad.reasons.contains { $0.contains("fake.jpg is not a JPEG or PNG file") })
        #expect(bad.reasons.contains { $0 == "no usable image: Lazada needs at least 1" })
        let good = try #require(findings.first { $0.product == "GOOD" })
        #expect(good.status == .warning)
        #expect(reports[0].listed == 1)
        let script = "import openpyxl,sys; s=openpyxl.load_workbook(sys.argv[1]).active; h=[c.value for c in s[1]]; print(s.cell(row=4, column=h.index('Hình ảnh 1')+1).value)"
        let cell = try ExternalTools.run("python3", ["-c", script, folder.path("exports/lazada/lazada-upload.xlsx")])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(cell.hasPrefix("https://cdn.example.vn/ocop/") && cell.hasSuffix("-good.jpg"))
        let copied = String(cell.dropFirst("https://cdn.example.vn/ocop/".count))
        #expect(FileManager.default.contentsEqual(atPath: folder.path("exports/lazada/images/" + copied), andPath: folder.path("img/good.jpg")))
    }

    @Test(arguments: RegistryEngine.available)
    func withoutABaseURLSellerCentresLeaveLocalImagesOutAndSameNamedFilesStayApart(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-images")
        for name in ["a", "b"] { try FileManager.default.createDirectory(atPath: folder.path(name), withIntermediateDirectories: true) }
        try ImageFixture.jpeg(folder.path("a/1.jpg"), width: 600, height: 600)
        try ImageFixture.png(folder.path("b/1.jpg"), width: 700, height: 700)  // a PNG named .jpg: the header decides
        let (_, findings, _) = try await export(engine, folder, rows: """
            A,Mật ong,HTX A,Thanh Hóa,100000,500,10x10x10,1,a/1.jpg
            B,Mật ong rừng,HTX A,Thanh Hóa,100000,500,10x10x10,1,b/1.jpg

            """, to: [.shopee, .jsonld])
        #expect(findings.filter { $0.platform == "shopee" }.allSatisfy {
            $0.status == .rejected && $0.reasons.contains { $0.contains("is a local file and Shopee takes image URLs") }
        })
        let lines = try String(contentsOfFile: folder.path("exports/jsonld/products.jsonl"), encoding: .utf8).split(separator: "\n")
        let images = try lines.map { try #require((JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["image"] as? [String]) }
        #expect(Set(images.map { $0[0] }).count == 2)
        for image in images { #expect(FileManager.default.fileExists(atPath: folder.path("exports/jsonld/" + image[0]))) }
    }

    @Test(arguments: RegistryEngine.available)
    func tiktokTriesTheNextImageWhenTheCoverIsTooWideAndWarnsUnder800Pixels(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-images")
        try FileManager.default.createDirectory(atPath: folder.path("img"), withIntermediateDirectories: true)
        try ImageFixture.jpeg(folder.path("img/banner.jpg"), width: 1200, height: 600)
        try ImageFixture.jpeg(folder.path("img/square.jpg"), width: 600, height: 600)
        let words = Array(repeating: "mật ong rừng nguyên chất", count: 10).joined(separator: " ")
        let (_, findings, _) = try await export(engine, folder, rows: """
            MO,Mật ong rừng Pù Luông chai 500ml,HTX A,Thanh Hóa,250000,700,9x9x22,1,img/banner.jpg|img/square.jpg,\(words)

            """, to: [.tiktok], imageBaseURL: "https://cdn.example.vn/")
        let finding = try #require(findings.first)
        #expect(finding.status == .warning)
        #expect(finding.reasons.contains { $0.contains("banner.jpg is 1200×600 px: TikTok Shop needs a cover no wider than 4:3; left out as the cover") })
        #expect(finding.reasons.contains { $0.contains("square.jpg is 600×600 px; TikTok Shop recommends at least 800×800") })
    }

    @Test(arguments: RegistryEngine.available)
    func tiktokGetsOneWorkbookPerThousandProductsAndAReExportLeavesNoStaleFile(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-split")
        let rows = (1...1_001).map { "P\($0),Mật ong rừng số \($0),HTX A,Thanh Hóa,100000,500,10x10x10,1,https://img.vn/\($0).jpg," }
        let (reports, _, registry) = try await export(engine, folder, rows: rows.joined(separator: "\n") + "\n", to: [.tiktok])
        #expect(reports[0].listed == 1_001)
        #expect(reports[0].files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["tiktok-upload-1.xlsx", "tiktok-upload-2.xlsx"])
        let script = "import openpyxl,sys; print(*[openpyxl.load_workbook(p).active.max_row - 3 for p in sys.argv[1:]])"
        let counts = try ExternalTools.run("python3", ["-c", script] + reports[0].files.map(absolutePath))
        #expect(counts.trimmingCharacters(in: .whitespacesAndNewlines) == "1000 1")

        let again = try await ListingExporter(store: registry.store, options: ExportOptions(
            folder: folder.url.appendingPathComponent("exports"), producer: "nobody", resolver: "https://id.ocoptrace.vn",
            categoryMapping: URL(fileURLWithPath: folder.path("categories.json")))).export([.tiktok])
        #expect(again[0].files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["tiktok-upload.xlsx"])
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path("exports/tiktok")).filter { $0.hasSuffix(".xlsx") }
        #expect(left == ["tiktok-upload.xlsx"])
    }
}

@Suite struct ListingRuleTests {
    private func gtin(_ body: String) -> String { body + String(GTIN.checkDigit(forLeading: body)) }

    @Test func restrictedCirculationAndCouponNumbersAreKnown() throws {
        #expect(try GTIN(parsing: gtin("893876500001")).restrictedUse == nil)
        #expect(try GTIN(parsing: gtin("200123456789")).restrictedUse?.description == "a restricted-circulation number (GS1 prefix 200)")
        #expect(try GTIN(parsing: gtin("21234567890")).restrictedUse == .restrictedCirculation(prefix: "021"))  // a UPC starting 2
        #expect(try GTIN(parsing: gtin("981234567890")).restrictedUse == .coupon(prefix: "981"))
        #expect(try GTIN(parsing: gtin("2123456")).restrictedUse == .restrictedGTIN8(first: "2"))
        #expect(try GTIN(parsing: gtin("9123456")).restrictedUse == nil)
    }

    @Test(arguments: RegistryEngine.available)
    func googleListsAnInStoreNumberWithoutItsGTINAndShopeeRefusesPromotionInNames(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-rules")
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,weight_g,ocop_group,images,stock
            CAN,Mật ong cân ký,\(gtin("200123456789")),HTX A,Thanh Hóa,300000,1000,1,https://img.vn/a.jpg,5
            SALE,Mật ong rừng FREESHIP toàn quốc,,HTX A,Thanh Hóa,300000,500,1,https://img.vn/b.jpg,5
            TIKI,Mật ong rừng chính hãng như trên Tiki,,HTX A,Thanh Hóa,300000,500,1,https://img.vn/c.jpg,

            """)
        let registry = try await seededRegistry(engine, in: folder, catalog: catalog)
        let mapping = folder.write("categories.json", #"{"shopee": {"group:1": "100819"}}"#)
        let findings = Findings()
        _ = try await ListingExporter(store: registry.store, options: ExportOptions(
            folder: folder.url.appendingPathComponent("exports"), resolver: "https://id.ocoptrace.vn", categoryMapping: mapping))
            .export([.google, .shopee], onFinding: findings.add)
        let weighed = try #require(findings.all.first { $0.platform == "google" && $0.product == "CAN" })
        #expect(weighed.status == .warning)
        #expect(weighed.reasons.contains { $0.hasPrefix("GTIN 2001234567893 is a restricted-circulation number (GS1 prefix 200)") })
        let feed = try String(contentsOfFile: folder.path("exports/google/products.tsv"), encoding: .utf8)
        let row = try #require(feed.split(separator: "\n").first { $0.hasPrefix("CAN\t") }).split(separator: "\t", omittingEmptySubsequences: false)
        #expect(row[9] == "" && row[10] == "no")
        let shopee = findings.all.filter { $0.platform == "shopee" }
        #expect(shopee.first { $0.product == "CAN" }?.status == .ok)
        #expect(shopee.first { $0.product == "SALE" }?.reasons == ["title carries \"freeship\": Shopee does not allow promotion text or another platform's name in names"])
        #expect(shopee.first { $0.product == "TIKI" }?.status == .rejected)
        #expect(shopee.first { $0.product == "TIKI" }?.codes == ["title-forbidden-word", "no-stock"])
    }
}

@Suite struct VietnameseReportTests {
    @Test(arguments: RegistryEngine.available)
    func reportsSayWhyInVietnameseWithTheSameCodes(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-vi")
        let catalog = folder.write("catalog.csv", """
            product_code,name,producer,province,price_vnd,ocop_group,ocop_stars,ocop_recognized_on
            NM,Nước mắm cá cơm,HTX A,Thanh Hóa,300000,1,4,2020-01-01

            """)
        let registry = try await seededRegistry(engine, in: folder, catalog: catalog)
        let findings = Findings()
        _ = try await ListingExporter(store: registry.store, options: ExportOptions(
            folder: folder.url.appendingPathComponent("exports"), resolver: "https://id.ocoptrace.vn", categoryMapping: nil, language: .vi,
            today: CalendarDate(year: 2026, month: 11, day: 23)!)).export([.lazada], onFinding: findings.add)
        let finding = try #require(findings.all.first)
        #expect(finding.codes == ["no-image", "no-weight", "no-package-size", "ocop-not-valid", "no-category", "no-stock"])
        #expect(finding.reasons[0] == "không có ảnh: Lazada yêu cầu tối thiểu 1 ảnh")
        #expect(finding.reasons[3] == "chứng nhận OCOP không còn hiệu lực ngày 23/11/2026: không ghi hạng sao")
        // Lazada has no known fish-sauce leaf: the reason names the parent and the command that finds candidates.
        #expect(finding.reasons[4] == "chưa có ngành hàng Lazada cho loại \"Nước mắm\", nhóm OCOP 1 Thực phẩm: chưa biết ngành hàng cấp cuối; nó nằm trong "
                + "10003057 (Siêu Thị Tạp Hóa > Nguyên liệu nấu ăn & làm bánh > Sốt nấu ăn và phụ gia): tìm ngành hàng cấp cuối bằng "
                + "`ocoptrace categories --marketplace lazada --search \"Sốt nấu ăn và phụ gia\"` rồi thêm mã với khóa \"kind:fish-sauce\" vào tệp ngành hàng (catalogs/category-mapping.json)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("exports/lazada/report.csv")))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))  // for Excel
        let report = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(report.hasPrefix("sàn,mã sản phẩm,chủ thể,kết quả,ngành hàng,lý do\n"))
        #expect(report.contains("lazada,NM,HTX A,bị loại,,"))
    }
}
