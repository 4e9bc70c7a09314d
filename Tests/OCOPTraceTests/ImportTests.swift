import Foundation
import GRDB
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry (on one engine) with catalogs written in a temporary folder beside it.
private struct Workspace {
    let folder = TemporaryFolder()
    let registry: TestRegistry
    let importer: CatalogImporter
    let today = CalendarDate(year: 2026, month: 11, day: 23)!

    init(_ engine: RegistryEngine) async throws {
        registry = try await TestRegistry.make(engine, in: folder)
        importer = CatalogImporter(store: registry.store)
    }

    func importFile(_ name: String, _ text: String, byteOrderMark: Bool = false, skipInvalid: Bool = false,
                    dryRun: Bool = false) async throws -> FileImportReport {
        let file = folder.write(name, text, byteOrderMark: byteOrderMark)
        return try await importer.importFile(at: file, options: ImportOptions(skipInvalid: skipInvalid, dryRun: dryRun, today: today))
    }

    func count(_ table: String) async throws -> Int {
        try await registry.count(table)
    }

    /// Every product, producer and order row, for comparing the registry before and after.
    func snapshot() async throws -> [[String: String]] {
        try await registry.rows("SELECT * FROM products ORDER BY id")
            + registry.rows("SELECT * FROM producers ORDER BY id")
            + registry.rows("SELECT * FROM stamp_orders ORDER BY id")
    }

    /// The product's columns as text (NULLs left out).
    func product(_ code: String) async throws -> [String: String]? {
        try await registry.rows("SELECT * FROM products WHERE code = '\(code)'").first
    }

    func jobs() async throws -> [JobEntry] {
        try await registry.store.jobs(limit: 50)
    }
}

private let goodCatalog = """
    product_code,name,gtin,producer,producer_type,tax_id,commune,district,province,ocop_group,ocop_stars,ocop_decision,ocop_recognized_on,price_vnd,unit,weight_g,shelf_life_days,description,images,stock
    NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,HTX,2801876543,Xuân Lập,Thọ Xuân,Thanh Hóa,1,4 sao,1234/QĐ-UBND,12/06/2024,85.000 ₫,hộp 500g,500,7,"Nem chua; ngon, ""đặc sản""
    dòng hai",https://img.vn/a.jpg|https://img.vn/b.jpg,320
    NC-CHAY,Nem chay,,HTX Nem chua Xuân Lập,,,,,Thanh Hóa,Thực phẩm,,,,45000,túi,250,5,,,150

    """

@Suite struct ImportTests {
    @Test(arguments: RegistryEngine.available) func importsACatalogWithEveryField(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        let report = try await workspace.importFile("nem.csv", goodCatalog)
        #expect(report.outcome == .succeeded)
        #expect(report.kind == .catalog)
        #expect((report.rows, report.inserted, report.invalidRows) == (2, 2, 0))
        let product = try #require(try await workspace.product("NC-500"))
        #expect(product["gtin"] == "08938765000015")
        #expect(product["price_vnd"] == "85000")
        #expect(product["ocop_stars"] == "4")
        #expect(product["ocop_recognized_on"] == "2024-06-12")
        #expect(product["description"] == "Nem chua; ngon, \"đặc sản\"\ndòng hai")
        #expect(product["images"] == #"["https://img.vn/a.jpg","https://img.vn/b.jpg"]"#)
        let producer = try #require(try await workspace.registry.rows("SELECT * FROM producers").first)
        #expect(producer["type"] == "cooperative")
        #expect(producer["tax_id"] == "2801876543")
        #expect(try await workspace.count("producers") == 1)
    }

    @Test(arguments: RegistryEngine.available) func rejectsAFileWithBadRowsListingEveryOneAndChangingNothing(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        _ = try await workspace.importFile("nem.csv", goodCatalog)
        let before = try await workspace.snapshot()
        let bad = """
            Mã sản phẩm;Tên sản phẩm;Mã vạch (GTIN);Chủ thể;Loại hình;Mã số thuế;Tỉnh;Nhóm sản phẩm;Hạng sao;Ngày công nhận;Giá bán;Khối lượng (g);Hạn sử dụng (ngày);Tồn kho;Hình ảnh
            OK-1;Sản phẩm tốt;;HTX Mới;HTX;;Thanh Hóa;1;;;50000;;;;
            ;Thiếu mã;;HTX Mới;;;Thanh Hóa;;;;50000;;;;
            B-2;Sai GTIN;8938765000014;HTX Mới;;;Thanh Hóa;;;;50000;;;;
            B-3;Sai giá;;HTX Mới;;;Thanh Hóa;;;;85.5;;;;
            B-4;Sai sao;;HTX Mới;;;Thanh Hóa;;2;;50000;;;;
            B-5;Sai ngày;;HTX Mới;;;Thanh Hóa;;4;02/30/2024;50000;;;;
            B-6;Sai loại;;HTX Mới;Hội;;Thanh Hóa;9;;;50000;;;;
            B-7;Sai số;;HTX Mới;;12345;Thanh Hóa;;;;50000;nặng;mãi;-3;ftp://x/y.jpg
            OK-1;Trùng mã;;HTX Mới;;;Thanh Hóa;;;;50000;;;;
            B-8;Trùng GTIN;8938765000015;HTX Mới;;;Thanh Hóa;;;;50000;;;;
            B-9;;;;;;;;;;;;;;
            """
        let report = try await workspace.importFile("bad.csv", bad)
        #expect(report.outcome == .rejected)
        #expect(report.rows == 11)
        #expect(report.invalidRows == 10)
        let lines = report.problems.map { $0.description.replacingOccurrences(of: workspace.folder.url.path + "/", with: "") }
        for expected in [
            "bad.csv:3:Mã sản phẩm: product_code (Mã sản phẩm) is required",
            "bad.csv:4:Mã vạch (GTIN): \"8938765000014\": wrong check digit 4",
            "bad.csv:5:Giá bán: \"85.5\" is not a price in VND",
            "bad.csv:6:Hạng sao: 2 stars is not an OCOP rating",
            "bad.csv:7:Ngày công nhận: \"02/30/2024\" is not a date",
            "bad.csv:8:Loại hình: \"Hội\" is not a producer type",
            "bad.csv:8:Nhóm sản phẩm: \"9\" is not an OCOP group",
            "bad.csv:9:Mã số thuế:", "bad.csv:9:Khối lượng (g):", "bad.csv:9:Hạn sử dụng (ngày):",
            "bad.csv:9:Tồn kho:", "bad.csv:9:Hình ảnh:",
            "bad.csv:10:Mã sản phẩm: product code \"OK-1\" already appears on row 2",
            "bad.csv:11:Mã vạch (GTIN): GTIN 08938765000015 already belongs to product \"NC-500\"",
            "bad.csv:12:Tên sản phẩm: name (Tên sản phẩm) is required",
            "bad.csv:12:Chủ thể: producer (Chủ thể) is required",
            "bad.csv:12:Giá bán: price_vnd (Giá bán) is required",
        ] {
            #expect(lines.contains { $0.hasPrefix(expected) }, "missing: \(expected)\nin:\n\(lines.joined(separator: "\n"))")
        }
        #expect(try await workspace.snapshot() == before)
        let job = try #require(try await workspace.jobs().first)
        #expect(job.outcome == .rejected)
        #expect(job.invalid == 10)
        #expect(job.file?.hasSuffix("bad.csv") == true)
    }

    @Test(arguments: RegistryEngine.available) func reportsEveryRepeatedCodeGTINAndLotEvenWhenTheFirstRowIsInvalid(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        let catalog = try await workspace.importFile("repeats.csv", """
            product_code,name,gtin,producer,province,price_vnd
            A,Một,8938765000015,HTX A,Thanh Hóa,mười nghìn
            A,Một lần nữa,,htx a,THANH HOA,10000
            B,Hai,8938765000015,HTX A,Thanh Hóa,20000
            A,Của HTX khác,,HTX B,Thanh Hóa,10000
            A,Lần thứ ba,,HTX A,Thanh Hóa,giá
            """)
        #expect(catalog.outcome == .rejected)
        let problems = catalog.problems.map { "\($0.row):\($0.column ?? ""): \($0.message)" }
        #expect(problems.contains("3:product_code: product code \"A\" already appears on row 2 for htx a"), "\(problems)")
        #expect(problems.contains("4:gtin: GTIN 08938765000015 is already used on row 2: each product needs its own GTIN"), "\(problems)")
        #expect(problems.contains("6:product_code: product code \"A\" already appears on row 2 for HTX A"), "\(problems)")
        #expect(problems.contains { $0.hasPrefix("6:price_vnd:") }, "the repeat is reported beside the row's own problems")
        #expect(!problems.contains { $0.hasPrefix("5:") }, "another producer may use the same code")
        #expect(catalog.invalidRows == 4)

        _ = try await workspace.importFile("ok.csv", "product_code,name,producer,province,price_vnd\nA,Một,HTX A,Thanh Hóa,10000\n")
        let orders = try await workspace.importFile("orders.csv", """
            product_code,lot,quantity,produced_on
            A,L1,ten,2026-11-01
            A,L1,10,2026-11-01
            A,L2,10,2026-11-01
            """)
        #expect(orders.outcome == .rejected)
        #expect(orders.problems.contains { $0.row == 3 && $0.message == "lot \"L1\" of product A already appears on row 2" },
                "\(orders.problems)")
        #expect(orders.invalidRows == 2)
    }

    @Test(arguments: RegistryEngine.available) func skipInvalidImportsTheGoodRowsOnly(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        let text = """
            product_code,name,producer,province,price_vnd
            A,Một,HTX A,Thanh Hóa,10000
            B,Hai,HTX A,Thanh Hóa,mười nghìn
            C,Ba,HTX A,Thanh Hóa,30.000
            """
        let report = try await workspace.importFile("a.csv", text, skipInvalid: true)
        #expect(report.outcome == .partial)
        #expect((report.inserted, report.invalidRows) == (2, 1))
        #expect(report.problems.map(\.row) == [3])
        #expect(try await workspace.count("products") == 2)
    }

    @Test(arguments: RegistryEngine.available) func dryRunValidatesAndWritesNothing(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        let report = try await workspace.importFile("nem.csv", goodCatalog, dryRun: true)
        #expect(report.outcome == .validated)
        #expect(report.inserted == 2)
        #expect(try await workspace.count("products") == 0)
        #expect(try await workspace.count("jobs") == 0)
    }

    @Test(arguments: RegistryEngine.available) func reimportChangesNothingAndAChangedRowUpdatesItsProduct(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        _ = try await workspace.importFile("nem.csv", goodCatalog)
        let before = try await workspace.snapshot()
        let again = try await workspace.importFile("nem.csv", goodCatalog)
        #expect((again.inserted, again.updated, again.unchanged) == (0, 0, 2))
        #expect(try await workspace.snapshot() == before)

        let changed = try await workspace.importFile("nem.csv", goodCatalog.replacingOccurrences(of: "45000", with: "47.000"))
        #expect((changed.inserted, changed.updated, changed.unchanged) == (0, 1, 1))
        #expect(try await workspace.product("NC-CHAY")?["price_vnd"] == "47000")
        #expect(try await workspace.count("products") == 2)
        let jobs = try await workspace.jobs()
        #expect(jobs.map(\.outcome) == [.succeeded, .succeeded, .succeeded])
        #expect(jobs[0].checksum != jobs[1].checksum)
        #expect(jobs[1].checksum == jobs[2].checksum)
    }

    @Test(arguments: RegistryEngine.available) func storesNFDCatalogsAsNFCAndMatchesTheirHeaders(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        let nfd = goodCatalog.replacingOccurrences(of: "product_code,name", with: "Mã sản phẩm,Tên sản phẩm")
            .decomposedStringWithCanonicalMapping
        let report = try await workspace.importFile("nfd.csv", nfd)
        #expect(report.outcome == .succeeded, "\(report.problems)")
        let name: String = try #require(try await workspace.product("NC-500")?["name"])
        #expect(name.unicodeScalars.elementsEqual("Nem chua hộp 500g".precomposedStringWithCanonicalMapping.unicodeScalars))
        // The same catalog in NFC is the same data: nothing changes.
        let nfc = try await workspace.importFile("nfd.csv", nfd.precomposedStringWithCanonicalMapping)
        #expect(nfc.unchanged == 2)
    }

    @Test(arguments: RegistryEngine.available) func readsSemicolonCRLFCatalogsWithAByteOrderMark(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        let text = "Mã sản phẩm;Tên sản phẩm;Chủ thể;Tỉnh;Giá bán;Mô tả\r\nMT-1;Mắm tép;Công ty Mắm;Thanh Hóa;65.000 ₫;\"Dòng 1;\r\nDòng 2\"\r\nMT-2;Ruốc;Công ty Mắm;Thanh Hóa;48,000;\r\n"
        let report = try await workspace.importFile("mam.csv", text, byteOrderMark: true)
        #expect(report.outcome == .succeeded, "\(report.problems)")
        #expect(report.inserted == 2)
        #expect(try await workspace.product("MT-1")?["description"] == "Dòng 1;\nDòng 2")
        #expect(try await workspace.product("MT-2")?["price_vnd"] == "48000")
    }

    @Test(arguments: RegistryEngine.available) func importsAnXLSXCatalog(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        let file = workspace.folder.url.appendingPathComponent("book.xlsx")
        try XLSXFixture(rows: [
            ["Mã sản phẩm", "Tên sản phẩm", "Mã vạch (GTIN)", "Chủ thể", "Tỉnh", "Giá bán", "Hạng sao", "Ngày công nhận"].map { .shared($0) },
            [.shared("TGCL"), .shared("Trà giảo cổ lam"), .number("8938007700017"), .shared("HTX Dược liệu"),
             .inline("Thanh Hóa"), .number("120000"), .number("4"), .date(45265)],
        ]).write(to: file)
        let report = try await workspace.importer.importFile(at: file, options: ImportOptions(today: workspace.today))
        #expect(report.outcome == .succeeded, "\(report.problems)")
        let product = try #require(try await workspace.product("TGCL"))
        #expect(product["gtin"] == "08938007700017")
        #expect(product["ocop_recognized_on"] == "2023-12-05")
    }

    @Test(arguments: RegistryEngine.available) func aProducerDescribedTwoWaysInOneFileIsAnError(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        let text = """
            product_code,name,producer,tax_id,province,price_vnd
            A,Một,HTX A,2801876543,Thanh Hóa,10000
            B,Hai,HTX A,2801999888,Thanh Hóa,20000
            """
        let report = try await workspace.importFile("a.csv", text)
        #expect(report.outcome == .rejected)
        let problem = try #require(report.problems.first)
        #expect(problem.file.hasSuffix("a.csv"))
        #expect((problem.row, problem.column) == (3, "tax_id"))
        #expect(problem.message.hasPrefix("HTX A has tax_id \"2801876543\" on row 2"))
    }

    @Test(arguments: RegistryEngine.available)
    func twoImportsAtOnceNamingANewProducerCreateItOnce(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        let files = (1...4).map { index in
            workspace.folder.write("part\(index).csv", "product_code,name,producer,tax_id,province,price_vnd\n"
                + (1...600).map { "P\(index)-\($0),Sản phẩm \($0),HTX Mới,2801876543,Thanh Hóa,10000" }.joined(separator: "\n") + "\n")
        }
        let outcomes = try await withThrowingTaskGroup(of: FileImportReport.Outcome.self) { group in
            for file in files {
                group.addTask { try await workspace.importer.importFile(at: file, options: ImportOptions(today: workspace.today)).outcome }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: .succeeded, count: 4))
        #expect(try await workspace.count("producers") == 1)
        #expect(try await workspace.count("products") == 2400)
    }

    @Test(arguments: RegistryEngine.available) func recognitionWithoutStarsOrInTheFutureIsAnError(engine: RegistryEngine) async throws {
        let workspace = try await Workspace(engine)
        let text = """
            product_code,name,producer,province,price_vnd,ocop_stars,ocop_recognized_on
            A,Một,HTX A,Thanh Hóa,10000,,2024-01-01
            B,Hai,HTX A,Thanh Hóa,10000,4,2027-01-01
            """
        let report = try await workspace.importFile("a.csv", text)
        #expect(report.problems.map(\.row) == [2, 3])
    }
}

@Suite struct StampOrderImportTests {
    private func workspaceWithCatalog(_ engine: RegistryEngine) async throws -> Workspace {
        let workspace = try await Workspace(engine)
        _ = try await workspace.importFile("nem.csv", goodCatalog)
        return workspace
    }

    @Test(arguments: RegistryEngine.available) func importsOrdersAndDerivesExpiryFromShelfLife(engine: RegistryEngine) async throws {
        let workspace = try await workspaceWithCatalog(engine)
        let report = try await workspace.importFile("orders.csv", """
            Mã sản phẩm,Số lô,Số lượng tem,Ngày sản xuất,Hạn dùng
            NC-500,Lô 11/2026,300,20/11/2026,
            NC-CHAY,NC-CHAY-01,1.000,2026-11-20,2026-11-30
            """)
        #expect(report.kind == .stampOrders)
        #expect(report.outcome == .succeeded, "\(report.problems)")
        let orders = try await workspace.registry.rows(
            "SELECT lot, lot_label, quantity, produced_on, expires_on, status FROM stamp_orders ORDER BY id")
        #expect(orders[0]["lot"] == "Lo-11/2026")
        #expect(orders[0]["lot_label"] == "Lô 11/2026")
        #expect(orders[0]["expires_on"] == "2026-11-27")
        #expect(orders[1]["quantity"] == "1000")
        #expect(orders[1]["expires_on"] == "2026-11-30")
        #expect(orders[1]["status"] == "pending")
        let again = try await workspace.importFile("orders.csv", """
            Mã sản phẩm,Số lô,Số lượng tem,Ngày sản xuất,Hạn dùng
            NC-500,Lô 11/2026,300,20/11/2026,
            NC-CHAY,NC-CHAY-01,1.000,2026-11-20,2026-11-30
            """)
        #expect(again.unchanged == 2)
    }

    @Test(arguments: RegistryEngine.available) func rejectsOrdersForUnknownProductsAndBadLots(engine: RegistryEngine) async throws {
        let workspace = try await workspaceWithCatalog(engine)
        let report = try await workspace.importFile("orders.csv", """
            product_code,lot,quantity,produced_on,expires_on
            NOPE,L1,10,2026-11-20,
            NC-500,LOT#1,10,2026-11-20,
            NC-500,L2,0,2026-11-20,
            NC-500,L3,10,2026-11-20,2026-11-01
            NC-500,L4,10,20/11/2026,
            NC-500,L4,10,20/11/2026,
            """)
        #expect(report.outcome == .rejected)
        #expect(report.problems.map(\.row) == [2, 3, 4, 5, 7])
        #expect(report.problems[0].description.contains("no product \"NOPE\""))
        #expect(report.problems[1].description.contains("\"#\""))
        #expect(try await workspace.count("stamp_orders") == 0)
    }

    @Test(arguments: RegistryEngine.available) func anAmbiguousProductCodeNeedsAProducerColumn(engine: RegistryEngine) async throws {
        let workspace = try await workspaceWithCatalog(engine)
        _ = try await workspace.importFile("other.csv", """
            product_code,name,producer,province,price_vnd
            NC-500,Nem khác,HTX Khác,Nghệ An,70000
            """)
        let ambiguous = try await workspace.importFile("orders.csv", "product_code,lot,quantity,produced_on\nNC-500,L1,10,2026-11-20\n")
        #expect(ambiguous.problems.first?.message.contains("several producers") == true)
        let named = try await workspace.importFile("orders.csv", "product_code,producer,lot,quantity,produced_on\nNC-500,HTX Khác,L1,10,2026-11-20\n")
        #expect(named.outcome == .succeeded, "\(named.problems)")
    }

    @Test(arguments: RegistryEngine.available) func anIssuedLotCannotBeChangedByANewOrder(engine: RegistryEngine) async throws {
        let workspace = try await workspaceWithCatalog(engine)
        _ = try await workspace.importFile("orders.csv", "product_code,lot,quantity,produced_on\nNC-500,L1,10,2026-11-20\n")
        try await workspace.registry.execute("UPDATE stamp_orders SET status = 'issued'")
        let unchanged = try await workspace.importFile("orders.csv", "product_code,lot,quantity,produced_on\nNC-500,L1,10,2026-11-20\n")
        #expect(unchanged.unchanged == 1)
        let changed = try await workspace.importFile("orders.csv", "product_code,lot,quantity,produced_on\nNC-500,L1,20,2026-11-20\n")
        #expect(changed.outcome == .rejected)
        #expect(changed.problems.first?.message.contains("already issued") == true)
    }
}

@Suite struct ShippedCatalogTests {
    @Test(arguments: RegistryEngine.available)
    func theShippedCatalogsImportCleanlyCatalogsBeforeOrders(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let registry = try await TestRegistry.make(engine, in: folder)
        let reports = try await CatalogImporter(store: registry.store).importPaths([repositoryRoot.appendingPathComponent("catalogs")])
        // The shipments file names cartons that `run` packs once it has issued the orders: imported
        // on its own it comes last, and is refused while its cartons are not packed. Before it,
        // catalogs, then stamp orders, then production diaries (each names the products before
        // it), all clean.
        #expect(reports.last?.kind == .shipments)
        #expect(reports.last?.outcome == .rejected)
        let beforeShipments = reports.filter { $0.kind != .shipments }
        #expect(beforeShipments.allSatisfy { $0.outcome == .succeeded }, "\(beforeShipments.flatMap(\.problems))")
        let kinds = beforeShipments.compactMap(\.kind)
        #expect(kinds.last == .diary)
        #expect(kinds.lastIndex(of: .catalog)! < kinds.firstIndex(of: .stampOrders)!)
        #expect(kinds.lastIndex(of: .stampOrders)! < kinds.firstIndex(of: .diary)!)
        #expect(reports.contains { $0.file.hasSuffix(".xlsx") })
        let store = registry.store
        let counts = try await store.registryCounts()
        #expect(counts.producers >= 4)
        #expect(counts.products >= 15)
        #expect(counts.stampOrders >= 5)
        #expect(counts.productionStages == 28)
        let products = try await StoredProduct.list(in: store)
        #expect(Set(products.compactMap(\.ocopGroup)).count >= 3)
        #expect(Set(products.compactMap(\.ocopStars)) == [3, 4, 5])
        #expect(products.contains { $0.gtin == nil })
        #expect(products.allSatisfy { $0.gtin.map { $0.digits.hasPrefix("0893") } ?? true })
        #expect(products.allSatisfy { $0.province == "Thanh Hóa" })
    }
}

@Suite struct RegistryTests {
    @Test func usesWALAndForeignKeysAndHonoursTheEnvironment() throws {
        let folder = TemporaryFolder()
        let registry = try Registry(path: folder.path("nested/dir/registry.sqlite"))
        let (mode, foreignKeys) = try registry.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode")!, try Int.fetchOne(db, sql: "PRAGMA foreign_keys")!)
        }
        #expect(mode == "wal")
        #expect(foreignKeys == 1)
        #expect(try RegistryLocation.resolve(nil, environment: ["OCOPTRACE_DB": "/x.sqlite"]) == .sqlite(path: "/x.sqlite"))
        #expect(try RegistryLocation.resolve("/y.sqlite", environment: ["OCOPTRACE_DB": "/x.sqlite"]) == .sqlite(path: "/y.sqlite"))
        #expect(try RegistryLocation.resolve(nil, environment: [:]) == .sqlite(path: "output/registry.sqlite"))
        #expect(throws: RegistryError.self) { try Registry(readOnlyPath: folder.path("missing.sqlite")) }
    }
}
