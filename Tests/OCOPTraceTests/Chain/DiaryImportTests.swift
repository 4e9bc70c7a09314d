import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry (on one engine) with the nem chua catalog imported, and diaries written beside it.
private struct DiaryWorkspace {
    let folder = TemporaryFolder()
    let registry: TestRegistry
    let importer: CatalogImporter
    let today = CalendarDate(year: 2026, month: 11, day: 23)!

    init(_ engine: RegistryEngine) async throws {
        registry = try await TestRegistry.make(engine, in: folder)
        importer = CatalogImporter(store: registry.store)
        let catalog = try await importFile("nem.csv", """
            product_code,name,gtin,producer,commune,province,price_vnd,shelf_life_days
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Xuân Lập,Thanh Hóa,85000,7
            NC-CHAY,Nem chay,,HTX Nem chua Xuân Lập,Xuân Lập,Thanh Hóa,45000,5
            """)
        #expect(catalog.outcome == .succeeded, "\(catalog.problems)")
    }

    func importFile(_ name: String, _ text: String, skipInvalid: Bool = false, dryRun: Bool = false) async throws -> FileImportReport {
        let file = folder.write(name, text)
        return try await importer.importFile(at: file, options: ImportOptions(skipInvalid: skipInvalid, dryRun: dryRun, today: today))
    }

    func stages() async throws -> [[String: String]] {
        try await registry.rows("SELECT * FROM production_stages ORDER BY id")
    }
}

private let diary = """
    Mã sản phẩm,Số lô,Công đoạn,Thời gian bắt đầu,Thời gian kết thúc,Địa điểm,Mã địa điểm (GLN),Xã,Tỉnh,Người/đơn vị thực hiện,Tiêu chuẩn áp dụng,Số chứng nhận / phiếu kiểm nghiệm,Ghi chú
    NC-500,Lô 11/2026,Chế biến,18/11/2026 06:30,18/11/2026 11:00,Xưởng chế biến HTX,,Xuân Lập,Thanh Hóa,Tổ chế biến,TCVN 7049:2009,,
    NC-500,Lô 11/2026,thu hoach,2026-11-10,,,8938765000008,,,,VietGAP,VG-2026-118,mẻ thịt đầu
    NC-500,Lô 11/2026,Kiểm nghiệm,20/11/2026 09:00,,Trung tâm Kiểm nghiệm Thanh Hóa,,Đông Vệ,Thanh Hóa,,,PKN-2026-0412,
    NC-CHAY,NC-CHAY-01,Đóng gói,2026-11-21T08:00+07:00,,Xưởng đóng gói,,,Thanh Hóa,,,,
    """

@Suite struct DiaryImportTests {
    @Test(arguments: RegistryEngine.available) func importsADiaryWithVietnameseHeadersAndEveryField(engine: RegistryEngine) async throws {
        let workspace = try await DiaryWorkspace(engine)
        let report = try await workspace.importFile("nhat-ky.csv", diary)
        #expect(report.kind == .diary)
        #expect(report.outcome == .succeeded, "\(report.problems)")
        #expect(report.inserted == 4)
        let stages = try await workspace.stages()
        #expect(stages.count == 4)
        #expect(stages[0]["stage"] == "processing")
        #expect(stages[0]["biz_step"] == "commissioning")
        #expect(stages[0]["lot"] == "Lo-11/2026")
        #expect(stages[0]["lot_label"] == "Lô 11/2026")
        #expect(stages[0]["started_at"] == "2026-11-17T23:30:00.000Z")
        #expect(stages[0]["started_offset"] == "420")
        #expect(stages[0]["finished_at"] == "2026-11-18T04:00:00.000Z")
        #expect(stages[0]["standard"] == "TCVN 7049:2009")
        #expect(stages[1]["stage"] == "harvesting")
        #expect(stages[1]["stage_word"] == "thu hoach")
        #expect(stages[1]["place_gln"] == "8938765000008")
        #expect(stages[1]["started_has_time"] == "0")
        #expect(stages[1]["province"] == nil)
        #expect(stages[1]["certificate"] == "VG-2026-118")
        #expect(stages[1]["note"] == "mẻ thịt đầu")
        #expect(stages[2]["biz_step"] == "inspecting")
        #expect(stages[3]["stage"] == "packing")
        // Each row's eventID is the CBV 2.0 hash of the event `epcis` writes for it.
        var stored: [StoredProductionStage] = []
        for try await stage in workspace.registry.store.productionStages(pageSize: 3) { stored.append(stage) }
        #expect(stored.count == 4)
        for stage in stored {
            let event = try #require(ProductionStageEvent(stage))
            #expect(stage.eventID == event.event.hashID)
            #expect(stage.eventID.hasPrefix("ni:///sha-256;"))
        }
        #expect(stored[0].gtin == "08938765000015")
        #expect(ProductionStageEvent(stored[3])?.epcClass == "https://id.ocoptrace.vn/p/NC-CHAY/10/NC-CHAY-01")
        #expect(ProductionStageEvent(stored[0])?.epcClass == "https://id.gs1.org/01/08938765000015/10/Lo-11%2F2026")
    }

    @Test(arguments: RegistryEngine.available) func reimportChangesNothingAndAChangedRowUpdatesItsEvent(engine: RegistryEngine) async throws {
        let workspace = try await DiaryWorkspace(engine)
        _ = try await workspace.importFile("nhat-ky.csv", diary)
        let before = try await workspace.stages()
        let again = try await workspace.importFile("nhat-ky.csv", diary)
        #expect(again.outcome == .succeeded)
        #expect(again.unchanged == 4 && again.inserted == 0 && again.updated == 0)
        #expect(try await workspace.stages() == before)

        // Same lot, stage and start, another place: the row's stage (and its event) is updated in place.
        let changed = diary.replacingOccurrences(of: "Xưởng chế biến HTX", with: "Xưởng chế biến số 2")
        let report = try await workspace.importFile("nhat-ky.csv", changed)
        #expect(report.updated == 1 && report.unchanged == 3)
        let after = try await workspace.stages()
        #expect(after.count == 4)
        #expect(after[0]["id"] == before[0]["id"])
        #expect(after[0]["place"] == "Xưởng chế biến số 2")
        #expect(after[0]["event_id"] != before[0]["event_id"])
        #expect(after[1] == before[1])
    }

    /// Unchanged rows are known by their fingerprint before their events are built; what an event
    /// is made of beyond the row (the product's GTIN) is in the fingerprint too, and each written
    /// event ID is the hash of the event the stored row makes.
    @Test(arguments: RegistryEngine.available) func aProductGainingAGTINUpdatesItsStagesEvents(engine: RegistryEngine) async throws {
        let workspace = try await DiaryWorkspace(engine)
        _ = try await workspace.importFile("nhat-ky.csv", diary)
        let before = try await workspace.stages()
        let catalog = try await workspace.importFile("nem.csv", """
            product_code,name,gtin,producer,commune,province,price_vnd,shelf_life_days
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Xuân Lập,Thanh Hóa,85000,7
            NC-CHAY,Nem chay,8938765000022,HTX Nem chua Xuân Lập,Xuân Lập,Thanh Hóa,45000,5
            """)
        #expect(catalog.outcome == .succeeded, "\(catalog.problems)")
        let again = try await workspace.importFile("nhat-ky.csv", diary)
        #expect(again.updated == 1 && again.unchanged == 3, "only NC-CHAY's stage names another product key now")
        let after = try await workspace.stages()
        #expect(after[3]["event_id"] != before[3]["event_id"] && Array(after.prefix(3)) == Array(before.prefix(3)))
        for try await stored in workspace.registry.store.productionStages(pageSize: 10) {
            let event = try #require(ProductionStageEvent(stored))
            #expect(stored.eventID == event.event.hashID, "\(stored.lot) \(stored.stage)")
        }
    }

    @Test(arguments: RegistryEngine.available) func reportsEveryBadRowAtOnceAndWritesNothing(engine: RegistryEngine) async throws {
        let workspace = try await DiaryWorkspace(engine)
        let report = try await workspace.importFile("nhat-ky.csv", """
            product_code,lot,stage,started_at,finished_at,place,place_gln,province
            NC-500,L1,thu hoạch,10/11/2026,,Ruộng,,Thanh Hóa
            NC-500,L1,hái sao,10/11/2026,,Ruộng,,Thanh Hóa
            NOPE,L1,Chế biến,10/11/2026,,Xưởng,,Thanh Hóa
            NC-500,L1,Chế biến,31/02/2026,,Xưởng,,Thanh Hóa
            NC-500,L1,Chế biến,12/11/2026 14:00,12/11/2026 08:00,Xưởng,,Thanh Hóa
            NC-500,L1,Đóng gói,12/11/2026,,Xưởng,8938765000009,
            NC-500,L1,Bảo quản,12/11/2026,,Kho,,
            NC-500,L1,Thu hoạch,10/11/2026,,Ruộng,,Thanh Hóa
            NC-500,L1,Bảo quản,12/12/2026,,Kho,,Thanh Hóa
            """)
        #expect(report.outcome == .rejected)
        #expect(report.problems.map(\.row) == [3, 4, 5, 6, 7, 8, 9, 10])
        let text = report.problems.map(\.description)
        #expect(text[0].contains("nhat-ky.csv:3") && text[0].contains("stage") && text[0].contains("thu hoạch (harvest)"))
        #expect(text[1].contains("no product \"NOPE\""))
        #expect(text[2].contains("started_at"))
        #expect(text[3].contains("finished_at") && text[3].contains("before it starts"))
        #expect(text[4].contains("place_gln") && text[4].contains("check digit"))
        #expect(text[5].contains("province") && text[5].contains("GLN"))
        #expect(text[6].contains("already appears on row 2"))
        #expect(text[7].contains("after today"))
        #expect(try await workspace.registry.count("production_stages") == 0)
    }

    /// Two rows naming one product in two ways (with its producer, and without) share the stage's
    /// key: the store answered both "not stored" before either was written, and the later row
    /// still meets the earlier row's write (one stage, updated by the later row), as it would in
    /// another chunk.
    @Test(arguments: RegistryEngine.available) func aKeyRepeatedWithinOneChunkMeetsTheEarlierRowsWrite(engine: RegistryEngine) async throws {
        let workspace = try await DiaryWorkspace(engine)
        let report = try await workspace.importFile("nhat-ky.csv", """
            product_code,producer,lot,stage,started_at,place,province,note
            NC-500,HTX Nem chua Xuân Lập,L1,Chế biến,12/11/2026 08:00,Xưởng,Thanh Hóa,mẻ đầu
            NC-500,,L1,Chế biến,12/11/2026 08:00,Xưởng,Thanh Hóa,mẻ sau
            """)
        #expect(report.outcome == .succeeded, "\(report.problems)")
        #expect(report.inserted == 1 && report.updated == 1)
        let stages = try await workspace.stages()
        #expect(stages.count == 1)
        #expect(stages.first?["note"] == "mẻ sau")
        for try await stored in workspace.registry.store.productionStages(pageSize: 10) {
            #expect(stored.eventID == ProductionStageEvent(stored)?.event.hashID)
        }
    }

    /// Rows are fingerprinted and their events hashed on every core, a chunk at a time: problems
    /// still come in row order across chunks, and every stored event ID is its event's hash.
    @Test(arguments: RegistryEngine.available) func problemsStayInRowOrderAcrossChunks(engine: RegistryEngine) async throws {
        let workspace = try await DiaryWorkspace(engine)
        var text = "product_code,lot,stage,started_at,place,province\n"
        var expected: [Int] = []
        let rows = ParsedRowStream.batchSize * 3 + 17
        for index in 0..<rows {
            let line = index + 2
            switch index % 97 {
            case 5: text += "NOPE,L\(index),Chế biến,12/11/2026 08:00,Xưởng,Thanh Hóa\n"; expected.append(line)
            case 50: text += "NC-500,L\(index),hái sao,12/11/2026 08:00,Xưởng,Thanh Hóa\n"; expected.append(line)
            default: text += "\(index % 2 == 0 ? "NC-500" : "NC-CHAY"),L\(index),Chế biến,12/11/2026 08:00,Xưởng \(index),Thanh Hóa\n"
            }
        }
        let rejected = try await workspace.importFile("nhat-ky.csv", text)
        #expect(rejected.outcome == .rejected)
        #expect(rejected.problems.map(\.row) == expected)
        #expect(try await workspace.registry.count("production_stages") == 0)

        let partial = try await workspace.importFile("nhat-ky.csv", text, skipInvalid: true)
        #expect(partial.problems.map(\.row) == expected)
        #expect(partial.inserted == rows - expected.count)
        var stored = 0
        for try await stage in workspace.registry.store.productionStages(pageSize: 500) {
            #expect(stage.eventID == ProductionStageEvent(stage)?.event.hashID, "\(stage.lot)")
            stored += 1
        }
        #expect(stored == rows - expected.count)
    }

    @Test(arguments: RegistryEngine.available) func dryRunWritesNothingAndALotNeedsNoStamps(engine: RegistryEngine) async throws {
        let workspace = try await DiaryWorkspace(engine)
        let dry = try await workspace.importFile("nhat-ky.csv", diary, dryRun: true)
        #expect(dry.outcome == .validated && dry.problems.isEmpty)
        #expect(try await workspace.registry.count("production_stages") == 0)
        // No stamp order names these lots: the stages are kept, and wait for their stamps.
        #expect(try await workspace.registry.count("stamp_orders") == 0)
        let report = try await workspace.importFile("nhat-ky.csv", diary)
        #expect(report.outcome == .succeeded)
        let lots = try await workspace.registry.store.lotStageSummaries()
        #expect(lots.map(\.lot) == ["Lo-11/2026", "NC-CHAY-01"])
        #expect(lots[0].stages == 3 && lots[0].locatedStages == 3 && lots[0].standard == "TCVN 7049:2009")
        let journey = try await workspace.registry.store.journey(productID: lots[0].productID, lot: "Lo-11/2026", serial: nil)
        #expect(journey.map(\.stage) == ["harvesting", "processing", "testing"])
        #expect(journey[0].gln == "8938765000008")
    }
}
