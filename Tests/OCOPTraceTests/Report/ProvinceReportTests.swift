import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry of four producers in two provinces, their lots issued in three months, a few stamps
/// revoked, and scans of every verdict, some outside the period, two stamps that the copy rule flags.
struct ReportWorkspace {
    let folder: TemporaryFolder
    let registry: TestRegistry
    static let today = CalendarDate(year: 2026, month: 11, day: 23)!
    static let period = ReportPeriod(since: CalendarDate(year: 2026, month: 11, day: 3), until: CalendarDate(year: 2026, month: 11, day: 18))
    var store: any RegistryStore { registry.store }

    static func make(_ engine: RegistryEngine) async throws -> ReportWorkspace {
        let folder = TemporaryFolder("ocoptrace-report")
        let registry = try await TestRegistry.make(engine, in: folder)
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,producer_type,tax_id,commune,district,province,ocop_group,ocop_stars,ocop_recognized_on,price_vnd,unit,weight_g,shelf_life_days,description,images,package_cm
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,cooperative,2801876543,Xuân Lập,Thọ Xuân,Thanh Hóa,1,4,2024-01-10,85000,hộp 500g,500,7,"Nem chua làm từ thịt lợn nạc tươi, bì lợn, thính gạo và lá ổi, gói lá chuối, lên men tự nhiên ba ngày.",https://images.example.vn/nc-500.jpg,20x15x6
            NC-CHAY,Nem chay,,HTX Nem chua Xuân Lập,cooperative,2801876543,Xuân Lập,Thọ Xuân,Thanh Hóa,1,,,45000,,,5,,,
            MT-200,Mắm tép hũ 200g,8939123400119,Công ty TNHH Mắm tép <Hậu Lộc>,company,2802123456,Hòa Lộc,Hậu Lộc,Thanh Hóa,1,3,2023-01-10,65000,hũ 200g,200,365,"Mắm tép làm từ tép biển tươi, muối hạt và thính; ủ chượp truyền thống sáu tháng.",https://images.example.vn/mt-200.jpg,8x8x10
            MT-THIT,Mắm tép chưng thịt 180g,8939123400126,Công ty TNHH Mắm tép <Hậu Lộc>,company,2802123456,Hòa Lộc,Hậu Lộc,Thanh Hóa,2,5,2025-05-01,79000,hũ 180g,180,180,,,
            GM-30,Giỏ mây tròn 30cm,8935550100011,Tổ hợp tác Mây tre Hoằng Thịnh,cooperative_group,,Hoằng Thịnh,,Thanh Hóa,4,3,2025-05-10,180000,chiếc,450,,"Giỏ mây đan thủ công, quai tre.",https://images.example.vn/gm-30.jpg,32x32x15
            CH-100,Chè Tân Cương 100g,8935550200018,HTX Chè Tân Cương,cooperative,4600123456,Phúc Xuân,,Thái Nguyên,2,5,2024-03-01,120000,gói 100g,100,365,"Chè búp Tân Cương sao tay.",https://images.example.vn/ch-100.jpg,10x6x18

            """)
        let imported = try await CatalogImporter(store: registry.store).importFile(at: catalog)
        #expect(imported.outcome == .succeeded, "\(imported)")
        let keys = folder.url.appendingPathComponent("keys")
        _ = try await KeyStore(store: registry.store, folder: keys).generate()
        // Lots issued in September, October and November (their completion moved there).
        for (product, lot, count, completed) in [("NC-500", "A", 40, "2026-09-15T03:00:00.000Z"), ("MT-200", "B", 20, "2026-10-02T03:00:00.000Z"),
                                                 ("GM-30", "C", 10, "2026-11-05T03:00:00.000Z"), ("CH-100", "D", 30, "2026-11-20T03:00:00.000Z")] {
            _ = try await StampFixtures.issue(store: registry.store, folder: folder, keys: keys, resolver: "https://id.ocoptrace.vn",
                                              product: product, lot: lot, count: count, signed: false, produced: CalendarDate(year: 2026, month: 9, day: 1))
            try await registry.execute("UPDATE stamp_batches SET completed_at = '\(completed)' WHERE lot = '\(lot)'")
        }
        let stamps = try await registry.rows("SELECT s.id, s.serial, b.lot FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id ORDER BY s.id")
        func stamp(_ lot: String, _ index: Int) -> (id: Int64, serial: String) {
            let row = stamps.filter { $0["lot"] == lot }[index]
            return (Int64(row["id"]!)!, row["serial"]!)
        }
        // Five of lot B revoked.
        let revoked = (0..<5).map { stamp("B", $0) }
        _ = try await registry.store.revokeStamps(serials: revoked.map { Serial(unchecked: $0.serial) }, reason: "roll lost")

        var scans: [InspectorScan] = []
        func scan(_ stamp: (id: Int64, serial: String), _ day: Int, _ status: VerificationStatus, at place: String? = "Thanh Hóa", month: Int = 11) {
            let time = "2026-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)T0\(scans.count % 10):15:00.000Z"
            scans.append(InspectorScan(stampID: stamp.id, scannedAt: time, inspector: nil, location: place, status: status))
        }
        for day in [3, 4, 4, 5, 8, 9, 12] { scan(stamp("A", 0), day, .genuine) }          // seven scans: a suspected copy
        scan(stamp("A", 1), 6, .genuine, at: "Hà Nội"); scan(stamp("A", 1), 7, .genuine)   // two places: a suspected copy
        scan(stamp("A", 2), 10, .genuine)
        scan(stamp("A", 3), 1, .genuine)                                                   // before the period
        scan(revoked[0], 11, .revoked); scan(revoked[0], 11, .revoked, at: nil)
        scan(stamp("D", 0), 14, .forged); scan(stamp("D", 1), 15, .unknown, at: nil)
        scan(stamp("C", 0), 18, .genuine); scan(stamp("C", 0), 20, .genuine); scan(stamp("C", 1), 20, .genuine, month: 10)
        try await registry.store.recordScans(scans)
        return ReportWorkspace(folder: folder, registry: registry)
    }

    /// Adds the production chain: a diary for lots A (Xuân Lập) and B (Hậu Lộc) with stages in
    /// October and November (one after the period), lot A packed into four cartons, one carton
    /// shipped and received, and lot B shipped without cartons in October and received in November.
    func addChain() async throws {
        let diary = folder.write("nhat-ky.csv", """
            Mã sản phẩm,Số lô,Công đoạn,Thời gian bắt đầu,Thời gian kết thúc,Địa điểm,Xã,Tỉnh,Tiêu chuẩn áp dụng
            NC-500,A,chăm sóc,10/10/2026 07:00,,Trại lợn,Xuân Lập,Thanh Hóa,VietGAP
            NC-500,A,Sơ chế,04/11/2026 05:00,04/11/2026 06:30,Xưởng HTX,Xuân Lập,Thanh Hóa,
            NC-500,A,Chế biến,05/11/2026 06:30,,Xưởng HTX,Xuân Lập,Thanh Hóa,
            NC-500,A,Kiểm nghiệm,20/11/2026 09:00,,Trung tâm Kiểm nghiệm,Hạc Thành,Thanh Hóa,
            MT-200,B,Lên men,15/10/2026 08:00,,Nhà ủ,Hòa Lộc,Thanh Hóa,
            MT-200,B,Đóng gói,06/11/2026 08:00,,Xưởng,Hòa Lộc,Thanh Hóa,
            """)
        let imported = try await CatalogImporter(store: store).importFile(at: diary, options: ImportOptions(today: Self.today))
        #expect(imported.outcome == .succeeded, "\(imported.problems)")
        let packer = CartonPacker(store: store, outputFolder: folder.url.appendingPathComponent("output"))
        let packed = try await packer.pack(productCode: "NC-500", lot: "A", perCarton: 10, companyPrefix: "8938765",
                                           now: Timestamp.date("2026-11-07T02:00:00.000Z")!)
        let carton = try #require(try await store.carton(sscc: packed.firstCarton!))
        let batchB = Int64(try #require(try await registry.value("SELECT id FROM stamp_batches WHERE lot = 'B'")))!
        let shop = PartyDraft(name: "Cửa hàng Đặc sản Xứ Thanh", province: "Thanh Hóa")
        _ = try await store.recordShipments([
            ShipmentEntry(cartonID: carton.id, batchID: carton.batchID, count: nil, receiver: shop,
                          shippedAt: "2026-11-08T01:00:00.000Z", receivedAt: "2026-11-09T08:00:00.000Z"),
            ShipmentEntry(cartonID: nil, batchID: batchB, count: 5, receiver: PartyDraft(name: "Đại lý Hà Nội", province: "Hà Nội"),
                          shippedAt: "2026-10-28T01:00:00.000Z", receivedAt: "2026-11-04T03:00:00.000Z"),
        ], job: JobStart(kind: "ship"))
    }

    func options(producer: String? = nil, province: String? = nil, period: ReportPeriod = ReportWorkspace.period) -> ReportOptions {
        ReportOptions(producer: producer, province: province, period: period, today: Self.today, resolver: "https://id.ocoptrace.vn",
                      categoryMapping: nil)
    }

    func report(producer: String? = nil, province: String? = nil, period: ReportPeriod = ReportWorkspace.period) async throws -> ProvinceReport {
        try await ReportJob(store: store, options: options(producer: producer, province: province, period: period)).figures()
    }

    func int(_ sql: String) async throws -> Int {
        Int(try await registry.value(sql) ?? "0") ?? 0
    }
}

/// What the figures should be, worked out here from the registry's rows (read by SQL of the test's
/// own, straight from the tables) and the copy rule, not from the report's statements.
struct ExpectedScans {
    var perDay: [String: ProvinceReport.VerdictCounts] = [:]
    var scans = 0
    var stampsScanned = 0
    var suspected: [String: Int] = [:]

    init(_ registry: TestRegistry, producerIDs: Set<String>?, from: String, before: String, threshold: Int = 5) async throws {
        let rows = try await registry.rows("""
            SELECT c.stamp_id, c.scanned_at, c.status, c.location, p.producer_id, s.serial FROM scans c JOIN stamps s ON s.id = c.stamp_id
            JOIN stamp_batches b ON b.id = s.batch_id JOIN products p ON p.id = b.product_id
            """)
        var history: [String: (count: Int, places: Set<String>)] = [:]
        for row in rows {
            history[row["stamp_id"]!, default: (0, [])].count += 1
            if let place = row["location"] { history[row["stamp_id"]!, default: (0, [])].places.insert(place) }
        }
        let rule = CloneRule(threshold: threshold)
        var scanned: Set<String> = []
        for row in rows where producerIDs?.contains(row["producer_id"]!) ?? true {
            let at = row["scanned_at"]!
            guard at >= from, at < before else { continue }
            let stamp = history[row["stamp_id"]!]!
            let flagged = rule.isSuspected(scans: stamp.count, locations: Array(stamp.places))
            let verdict: DailyScans.Verdict = switch row["status"]! {
            case "genuine": flagged ? .suspectedCopy : .genuine
            case "revoked": .revoked
            default: .notOurs
            }
            perDay[String(at.prefix(10)), default: .init()][verdict] += 1
            scans += 1
            scanned.insert(row["stamp_id"]!)
            if flagged { suspected[row["serial"]!] = stamp.count }
        }
        stampsScanned = scanned.count
    }
}

@Suite struct ProvinceReportTests {
    @Test(arguments: RegistryEngine.available)
    func everyFigureAgreesWithTheRegistrysOwnRows(engine: RegistryEngine) async throws {
        let workspace = try await ReportWorkspace.make(engine)
        let registry = workspace.registry
        let report = try await workspace.report()
        let (from, before) = ("2026-11-03", "2026-11-19")

        #expect(report.producers.total == (try await workspace.int("SELECT COUNT(*) FROM producers")))
        for type in ["cooperative", "company", "cooperative_group"] {
            #expect(report.producers.byType[type] == (try await workspace.int("SELECT COUNT(*) FROM producers WHERE type = '\(type)'")))
        }
        #expect(report.products.total == (try await workspace.int("SELECT COUNT(*) FROM products")))
        #expect(report.products.ocop == (try await workspace.int("SELECT COUNT(*) FROM products WHERE ocop_stars IS NOT NULL")))
        for stars in 3...5 {
            #expect(report.products.byStars[String(stars)] == (try await workspace.int("SELECT COUNT(*) FROM products WHERE ocop_stars = \(stars)")))
        }
        for group in 1...6 {
            let count = try await workspace.int("SELECT COUNT(*) FROM products WHERE ocop_stars IS NOT NULL AND ocop_group = \(group)")
            #expect(report.products.byGroup[String(group)] ?? 0 == count)
        }
        // Recognitions last 36 months: NC-500's (2024-01-10) ends 2027-01-09, within 90 days of 2026-11-23;
        // MT-200's (2023-01-10) ended in January.
        let recognitions = try await registry.rows("SELECT ocop_stars, ocop_recognized_on FROM products WHERE ocop_stars IS NOT NULL")
            .map { OCOPRecognition(stars: Int($0["ocop_stars"]!)!, decision: nil, recognizedOn: $0["ocop_recognized_on"].flatMap(CalendarDate.init(parsing:))) }
        #expect(report.products.ocopValid == recognitions.filter { $0.isValid(on: ReportWorkspace.today) }.count)
        #expect(report.products.ocopExpiringWithin90Days == 1)
        #expect(report.products.ocopValid == 4)

        #expect(report.stamps.issued == (try await workspace.int(
            "SELECT COUNT(*) FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id WHERE b.status = 'issued'")))
        #expect(report.stamps.issuedInPeriod == (try await workspace.int("""
            SELECT COUNT(*) FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id
            WHERE b.status = 'issued' AND b.completed_at >= '\(from)' AND b.completed_at < '\(before)'
            """)))
        #expect(report.stamps.issuedInPeriod == 10)
        #expect(report.stamps.revoked == (try await workspace.int("SELECT COUNT(*) FROM revocations")))
        #expect(report.stamps.revoked == 5)

        let expected = try await ExpectedScans(registry, producerIDs: nil, from: from, before: before)
        #expect(report.stamps.scans == expected.scans)
        #expect(report.stamps.scanned == expected.stampsScanned)
        #expect(report.stamps.suspectedCopies == expected.suspected.count)
        #expect(expected.suspected.count == 2)
        #expect(report.scansPerDay.count == 16, "every day of the period, scans or not")
        for day in report.scansPerDay {
            #expect(day.scans == expected.perDay[day.day.iso] ?? .init(), "\(day.day.iso)")
        }
        #expect(report.scans.total == expected.scans)
        #expect(Dictionary(uniqueKeysWithValues: report.suspectedCopies.map { ($0.serial, $0.scans) }) == expected.suspected)
        let first = try #require(report.suspectedCopies.first)
        #expect(first.scans == 7 && first.places == 1 && first.lot == "A" && first.firstAt.hasPrefix("2026-11-03") && first.lastAt.hasPrefix("2026-11-12"))
        #expect(report.suspectedCopies.last?.scans == 2 && report.suspectedCopies.last?.places == 2, "copied at two places")

        // Per producer and per month, against the tables grouped here.
        let perProducer = try await registry.rows("""
            SELECT pr.name, COUNT(s.id) AS stamps FROM producers pr LEFT JOIN products p ON p.producer_id = pr.id
            LEFT JOIN stamp_batches b ON b.product_id = p.id AND b.status = 'issued' LEFT JOIN stamps s ON s.batch_id = b.id GROUP BY pr.name
            """)
        for row in perProducer {
            let mine = try #require(report.perProducer.first { $0.name == row["name"] })
            #expect(mine.stampsIssued == Int(row["stamps"]!)!, "\(row)")
        }
        #expect(report.months == ["2026-11"])
        #expect(report.stampsPerMonth.map(\.stamps) == [10])
        let areas = Dictionary(uniqueKeysWithValues: report.perArea.map { ($0.area, $0) })
        #expect(areas["Thọ Xuân"]?.stampsIssued == 40 && areas["Hậu Lộc"]?.revoked == 5)
        #expect(areas["Hoằng Thịnh"]?.producers == 1, "no district: the commune")
        #expect(report.perArea.map(\.producers).reduce(0, +) == report.producers.total)

        // Traceability and marketplaces: the same rules as products --check-traceability and export.
        let traceability = try await TraceabilityCheck(store: workspace.store).run()
        #expect(report.products.traceabilityComplete == traceability.complete)
        #expect(report.products.lots == (try await workspace.int("SELECT COUNT(*) FROM stamp_batches WHERE status = 'issued'")))
        let exports = try await ListingExporter(store: workspace.store, options: ExportOptions(
            folder: workspace.folder.url.appendingPathComponent("exports"), resolver: "https://id.ocoptrace.vn", categoryMapping: nil,
            today: ReportWorkspace.today)).export(Marketplace.allCases)
        #expect(report.perMarketplace.map(\.platform) == exports.map(\.platform))
        for (mine, theirs) in zip(report.perMarketplace, exports) {
            #expect(mine.listed == theirs.listed && mine.warnings == theirs.warnings && mine.refused == theirs.rejected, "\(mine.platform)")
        }
        #expect(report.perMarketplace.map { $0.listed + $0.refused }.allSatisfy { $0 == report.products.total })
    }

    /// `run` settles the registry before its report, and the report benchmark after its fill: the
    /// figures stay what they were, and on PostgreSQL the tables come out analysed: the planner
    /// knows their rows. (Whether VACUUM could mark every page all-visible depends on the other
    /// transactions the shared test server runs meanwhile, so it is not asserted.)
    @Test(arguments: RegistryEngine.available)
    func settlingAfterBulkWritesChangesNoFigure(engine: RegistryEngine) async throws {
        let workspace = try await ReportWorkspace.make(engine)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let before = try encoder.encode(try await workspace.report())
        try await workspace.store.settleAfterBulkWrites()
        #expect(try encoder.encode(try await workspace.report()) == before)
        guard engine == .postgres else { return }
        for table in ["stamps", "scans"] {
            let row = try #require(try await workspace.registry.rows(
                "SELECT CAST(reltuples AS BIGINT) AS tuples FROM pg_class WHERE relname = '\(table)'").first)
            #expect(Int(row["tuples"] ?? "") == (try await workspace.registry.count(table)), "\(table)")
        }
    }

    @Test(arguments: RegistryEngine.available)
    func aProvinceOrAProducerSeesOnlyItsOwn(engine: RegistryEngine) async throws {
        let workspace = try await ReportWorkspace.make(engine)
        let registry = workspace.registry
        let (from, before) = ("2026-11-03", "2026-11-19")
        // Accents and case ignored, as every command matches them.
        let province = try await workspace.report(province: "thanh hoa")
        #expect(province.producers.total == (try await workspace.int("SELECT COUNT(*) FROM producers WHERE province = 'Thanh Hóa'")))
        #expect(province.products.total == (try await workspace.int(
            "SELECT COUNT(*) FROM products p JOIN producers pr ON pr.id = p.producer_id WHERE pr.province = 'Thanh Hóa'")))
        let ids = Set(try await registry.rows("SELECT id FROM producers WHERE province = 'Thanh Hóa'").map { $0["id"]! })
        let expected = try await ExpectedScans(registry, producerIDs: ids, from: from, before: before)
        #expect(province.stamps.scans == expected.scans)
        for day in province.scansPerDay { #expect(day.scans == expected.perDay[day.day.iso] ?? .init(), "\(day.day.iso)") }
        #expect(!province.scansPerDay.contains { $0.scans.notOurs > 0 }, "the forged and unknown scans were of Thái Nguyên's stamps")
        #expect(province.perMarketplace.allSatisfy { $0.listed + $0.refused == province.products.total })

        let producer = try await workspace.report(producer: "nem chua")
        let nem = try await registry.rows("SELECT id FROM producers WHERE name = 'HTX Nem chua Xuân Lập'").map { $0["id"]! }
        let mine = try await ExpectedScans(registry, producerIDs: Set(nem), from: from, before: before)
        #expect(producer.producers.total == 1 && producer.products.total == 2)
        #expect(producer.stamps.issued == 40 && producer.stamps.scans == mine.scans && producer.stamps.suspectedCopies == 2)
        #expect(producer.suspectedCopies.count == 2)
        #expect(producer.perProducer.count == 1)

        let nobody = try await workspace.report(producer: "no such producer")
        #expect(nobody.producers.total == 0 && nobody.stamps.scans == 0 && nobody.suspectedCopies.isEmpty && nobody.scansPerDay.allSatisfy { $0.scans.total == 0 })

        // All time: the scans outside the period count too.
        let allTime = try await workspace.report(period: ReportPeriod())
        #expect(allTime.stamps.scans == (try await workspace.int("SELECT COUNT(*) FROM scans")))
        #expect(allTime.stamps.issuedInPeriod == allTime.stamps.issued)
        #expect(allTime.months == ["2026-09", "2026-10", "2026-11"])
        #expect(allTime.scansPerDay.first?.day.iso == "2026-10-20" && allTime.scansPerDay.last?.day.iso == "2026-11-20")
    }

    @Test func theJSONCarriesTheFiguresScriptsNeed() async throws {
        let workspace = try await ReportWorkspace.make(.sqlite)
        let report = try await workspace.report()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any])
        let producers = try #require(object["producers"] as? [String: Any])
        let products = try #require(object["products"] as? [String: Any])
        let stamps = try #require(object["stamps"] as? [String: Any])
        #expect(producers["total"] as? Int == 4)
        #expect(products["total"] as? Int == 6 && products["ocop"] as? Int == 5)
        #expect(stamps["issued"] as? Int == 100 && stamps["revoked"] as? Int == 5 && stamps["suspected_copies"] as? Int == 2)
        #expect(stamps["scanned"] as? Int == report.stamps.scanned)
        #expect((object["per_producer"] as? [Any])?.count == 4)
        #expect((object["per_marketplace"] as? [[String: Any]])?.first?["refused"] != nil)
    }

    @Test func thePageDrawsOneBarOrPointPerFigure() async throws {
        let workspace = try await ReportWorkspace.make(.sqlite)
        let report = try await workspace.report(period: ReportPeriod())
        for language in Language.allCases {
            let html = report.document(generated: "2026-11-23 08:00").html(language)
            let svgs = ReportPageTests.svgs(html)
            #expect(svgs.count == 5)
            func count(_ svg: String, _ needle: String) -> Int { svg.components(separatedBy: needle).count - 1 }
            let stamps = try #require(svgs.first { $0.contains("id=\"stamps-per-month") })
            #expect(count(stamps, "<g class=\"stack\">") == report.months.count)
            let scans = try #require(svgs.first { $0.contains("id=\"scans-per-day") })
            #expect(count(scans, "class=\"point\"") == report.scansPerDay.count * 4)
            let platforms = try #require(svgs.first { $0.contains("id=\"marketplaces") })
            #expect(count(platforms, "<g class=\"stack\">") == Marketplace.allCases.count)
            let traceability = try #require(svgs.first { $0.contains("id=\"traceability") })
            #expect(count(traceability, "class=\"bar\"") == report.perProducer.filter { $0.products > 0 }.count)
            let stars = try #require(svgs.first { $0.contains("id=\"ocop-stars") })
            #expect(count(stars, "class=\"bar\"") == 3)
            for svg in svgs { #expect(svg.hasPrefix("<svg ") && svg.contains("role=\"img\"")) }
            #expect(html.contains("Công ty TNHH Mắm tép &lt;Hậu Lộc&gt;") && !html.contains("<Hậu Lộc>"), "names are text")
        }
    }

    /// The chain's figures against the tables counted here, in all, per month and for one producer.
    @Test(arguments: RegistryEngine.available)
    func chainFiguresAgreeWithTheDiaryCartonsAndShipments(engine: RegistryEngine) async throws {
        let workspace = try await ReportWorkspace.make(engine)
        try await workspace.addChain()
        let registry = workspace.registry
        let period = ReportPeriod(since: CalendarDate(year: 2026, month: 10, day: 1), until: CalendarDate(year: 2026, month: 11, day: 18))
        let (from, before) = ("2026-10-01", "2026-11-19")

        struct Expected: Equatable { var stages = 0, cartons = 0, shipments = 0, receipts = 0 }
        /// Each record's time and producer, straight from the tables, counted in Swift.
        func expected(producer: String?) async throws -> [String: Expected] {
            let scope = producer.map { " AND pr.name = '\($0)'" } ?? ""
            let times = [
                ("stage", "SELECT s.started_at AS at FROM production_stages s JOIN products p ON p.id = s.product_id JOIN producers pr ON pr.id = p.producer_id WHERE 1 = 1"),
                ("carton", "SELECT c.packed_at AS at FROM cartons c JOIN stamp_batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id WHERE 1 = 1"),
                ("shipment", "SELECT sh.shipped_at AS at FROM shipments sh JOIN stamp_batches b ON b.id = sh.batch_id JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id WHERE sh.shipped_at IS NOT NULL"),
                ("receipt", "SELECT sh.received_at AS at FROM shipments sh JOIN stamp_batches b ON b.id = sh.batch_id JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id WHERE sh.received_at IS NOT NULL"),
            ]
            var months: [String: Expected] = [:]
            for (kind, sql) in times {
                for row in try await registry.rows(sql + scope) {
                    let at = row["at"]!
                    guard at >= from, at < before else { continue }
                    let month = String(at.prefix(7))
                    switch kind {
                    case "stage": months[month, default: .init()].stages += 1
                    case "carton": months[month, default: .init()].cartons += 1
                    case "shipment": months[month, default: .init()].shipments += 1
                    default: months[month, default: .init()].receipts += 1
                    }
                }
            }
            return months
        }
        func figures(_ chain: ProvinceReport.Chain) -> [String: Expected] {
            Dictionary(uniqueKeysWithValues: chain.byMonth.filter { $0.stages + $0.cartons + $0.shipments + $0.receipts > 0 }.map {
                ($0.month, Expected(stages: $0.stages, cartons: $0.cartons, shipments: $0.shipments, receipts: $0.receipts))
            })
        }

        let report = try await workspace.report(period: period)
        let all = try await expected(producer: nil)
        #expect(figures(report.chain) == all)
        #expect(report.chain.byMonth.map(\.month) == ["2026-10", "2026-11"], "every month of the period")
        #expect(report.chain.stages == all.values.map(\.stages).reduce(0, +) && report.chain.stages == 5, "the stage after the period is left out")
        #expect(report.chain.cartons == 4 && report.chain.shipments == 2 && report.chain.receipts == 2)
        #expect(all["2026-10"] == Expected(stages: 2, cartons: 0, shipments: 1, receipts: 0))

        let nem = try await workspace.report(producer: "nem chua", period: period)
        #expect(figures(nem.chain) == (try await expected(producer: "HTX Nem chua Xuân Lập")))
        #expect(nem.chain.stages == 3 && nem.chain.cartons == 4 && nem.chain.shipments == 1 && nem.chain.receipts == 1)
        let tea = try await workspace.report(province: "Thái Nguyên", period: period)
        #expect(tea.chain.isEmpty && tea.chain.byMonth.isEmpty)

        // The page: one group of four bars per month (stages, cartons, shipments, receipts).
        for language in Language.allCases {
            let html = report.document(generated: "2026-11-23 08:00").html(language)
            let svg = try #require(ReportPageTests.svgs(html).first { $0.contains("id=\"chain-per-month") })
            let document = try #require(SVGDocument(svg))
            #expect(document.count("g", className: "group") == report.chain.byMonth.count)
            #expect(document.count("rect", className: "bar") == report.chain.byMonth.count * 4)
            #expect(document.children.first?.name == "title" && document.children.first?.text.contains("2026") == true, "title first, with the period")
            #expect(html.contains("id=\"chain\""))
            #expect(!ReportPageTests.svgs(tea.document().html(language)).contains { $0.contains("id=\"chain-per-month") })
        }
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        let chain = try #require(object["chain"] as? [String: Any])
        #expect(chain["stages"] as? Int == 5 && chain["cartons"] as? Int == 4 && chain["shipments"] as? Int == 2)
        #expect((chain["by_month"] as? [[String: Any]])?.first?["month"] as? String == "2026-10")
    }

    @Test func theChainSectionIsLeftOutWithoutChainData() async throws {
        let workspace = try await ReportWorkspace.make(.sqlite)
        let report = try await workspace.report(period: ReportPeriod())
        #expect(report.chain.isEmpty && report.chain.byMonth.isEmpty)
        for language in Language.allCases {
            let html = report.document().html(language)
            #expect(!html.contains("id=\"chain\"") && !html.contains("chain-per-month"))
            #expect(!html.contains(ReportText.chainSection.text(language)))
        }
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        #expect((object["chain"] as? [String: Any])?["stages"] as? Int == 0, "scripts always find the key")
    }

    /// The page as a phone (360 px) and a printer (A4) see it; screenshots go to
    /// `$OCOPTRACE_SCREENSHOTS` when set, to look at.
    @Test func chromiumRendersTheRegistrysReportAt360PixelsAndOnA4() async throws {
        let workspace = try await ReportWorkspace.make(.sqlite)
        try await workspace.addChain()
        let report = try await workspace.report(period: ReportPeriod())
        let folder = workspace.folder
        let output = ProcessInfo.processInfo.environment["OCOPTRACE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) } ?? folder.url
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        for language in Language.allCases {
            let html = report.document(generated: "2026-11-23 08:00").html(language)
            let page = output.appendingPathComponent("registry-report.\(language.rawValue).html")
            try html.write(to: page, atomically: true, encoding: .utf8)
            let png = output.appendingPathComponent("registry-report-\(language.rawValue)-360.png").path
            #expect(try HeadlessChromium.screenshot(page.absoluteString, width: 360, height: 5200, to: png, profile: folder.path("chromium-\(language)")) == 360)
            let probe = folder.write("probe-\(language).html", html.replacingOccurrences(
                of: "</body>", with: "<style>html{width:360px}</style><script>document.body.dataset.overflow=[...document.querySelectorAll('main *')]"
                    + ".filter(e=>!e.closest('.table')&&e.getBoundingClientRect().right>360.5).map(e=>e.tagName+'.'+e.getAttribute('class')).join(' ')||'none';"
                    + "document.body.dataset.width=document.body.scrollWidth;"
                    + "document.body.dataset.svgs=document.querySelectorAll('svg[role=img]').length</script></body>"))
            let dom = try ExternalTools.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=360,800",
                                                         "--user-data-dir=" + folder.path("chromium-dom-\(language)"), "--dump-dom", probe.absoluteString])
            #expect(dom.contains("data-overflow=\"none\""), "\(dom.prefix(300))")
            #expect(dom.contains("data-svgs=\"6\"") && dom.contains("data-width=\"360\""), "wide tables scroll in their own box")
            let pdf = output.appendingPathComponent("registry-report-\(language.rawValue)-a4.pdf")
            try ReportPDF.print(page: page, to: pdf)
            if let info = try? ExternalTools.run("pdfinfo", [pdf.path]) {
                #expect(info.contains("(A4)"), "\(info)")
            }
        }
    }
}
