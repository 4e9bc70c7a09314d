import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry with lot NC2611A of NC-500 issued and its diary imported, and lot MT-S1 of MT-200
/// issued with no diary.
private struct JourneyWorkspace {
    let folder = TemporaryFolder("ocoptrace-journey")
    let registry: TestRegistry
    let key: PublicStampKey
    let nem: [String]
    let mam: [String]
    let today = CalendarDate(year: 2026, month: 11, day: 23)!
    var keys: URL { folder.url.appendingPathComponent("keys") }

    init(_ engine: RegistryEngine) async throws {
        registry = try await TestRegistry.make(engine, in: folder)
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days,gln
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7,8938765000008
            MT-200,Mắm tép 200g,8939123400119,Công ty Mắm tép,Thanh Hóa,65000,365,
            NC-CHAY,Nem chay,,HTX Nem chua Xuân Lập,Thanh Hóa,45000,5,8938765000008
            """)
        let importer = CatalogImporter(store: registry.store)
        let catalogReport = try await importer.importFile(at: catalog)
        precondition(catalogReport.outcome == .succeeded)
        key = try await KeyStore(store: registry.store, folder: folder.url.appendingPathComponent("keys")).generate()
        let (registry, folder, keys) = (registry, folder, folder.url.appendingPathComponent("keys"))
        func issue(_ product: String, _ lot: String) async throws -> [String] {
            try await StampFixtures.issue(store: registry.store, folder: folder, keys: keys, resolver: "https://id.ocoptrace.vn",
                                          product: product, lot: lot, count: 10, signed: false, produced: CalendarDate(year: 2026, month: 11, day: 20))
        }
        nem = try await issue("NC-500", "NC2611A")
        mam = try await issue("MT-200", "MT-S1")
        let diary = folder.write("nhat-ky.csv", """
            Mã sản phẩm,Số lô,Công đoạn,Thời gian bắt đầu,Thời gian kết thúc,Địa điểm,Mã địa điểm (GLN),Xã,Tỉnh,Người/đơn vị thực hiện,Tiêu chuẩn áp dụng,Số chứng nhận / phiếu kiểm nghiệm
            NC-500,NC2611A,Kiểm nghiệm,20/11/2026 09:00,,Trung tâm Kiểm nghiệm,,Hạc Thành,Thanh Hóa,,QCVN 8-3:2012/BYT,PKN-0412
            NC-500,NC2611A,Chế biến,19/11/2026 06:30,19/11/2026 11:30,Xưởng HTX,8938765000008,,,Tổ chế biến,TCCS 01:2024/NCXL,
            NC-500,NC2611A,chăm sóc,01/11/2026,,Trại lợn,,Xuân Lập,Thanh Hóa,,VietGAP,
            NC-CHAY,Lô chay 1,Đóng gói,21/11/2026 08:00,,Xưởng,,,Thanh Hóa,,,
            """)
        let report = try await importer.importFile(at: diary, options: ImportOptions(today: today))
        precondition(report.outcome == .succeeded, "\(report.problems)")
    }
}

@Suite struct JourneyTests {
    @Test(arguments: RegistryEngine.available) func verifyGivesTheLotsJourneyOldestFirst(engine: RegistryEngine) async throws {
        let workspace = try await JourneyWorkspace(engine)
        let verifier = try await RegistryVerifier(store: workspace.registry.store, options: VerifyOptions(record: false, today: workspace.today))
        let results = try await verifier.verify([workspace.nem[0], workspace.nem[1], workspace.mam[0]])
        #expect(results.map(\.status) == [.genuine, .genuine, .genuine])
        let journey = results[0].journey
        #expect(journey.map(\.stage) == ["tending", "processing", "testing"])
        #expect(journey.map(\.bizStep) == ["https://ocoptrace.vn/ns/epcis#BizStep-growing", "commissioning", "inspecting"])
        #expect(journey[0].at == "2026-11-01")
        #expect(journey[1].at == "2026-11-19T06:30:00+07:00")
        #expect(journey[1].gln == "8938765000008" && journey[1].actor == "Tổ chế biến")
        #expect(journey[2].place == "Trung tâm Kiểm nghiệm" && journey[2].province == "Thanh Hóa" && journey[2].certificate == "PKN-0412")
        #expect(journey[0].stageName(in: .vi) == "Chăm sóc" && journey[0].stageName(in: .en) == "Tending")
        #expect(results[1].journey == journey)
        #expect(results[2].journey.isEmpty)
        // `verify --json` writes the same journey, every field present (null when absent).
        let line = try #require(try JSONSerialization.jsonObject(with: Data(results[0].jsonLine.utf8)) as? [String: Any])
        let entries = try #require(line["journey"] as? [[String: Any]])
        #expect(entries.count == 3)
        for field in ["stage", "biz_step", "place", "province", "gln", "from", "to", "at"] {
            #expect(entries.allSatisfy { $0.keys.contains(field) }, "\(field)")
        }
        #expect(entries[1]["gln"] as? String == "8938765000008")
        #expect(entries[1]["from"] is NSNull)
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(results[0])) as? [String: Any]
        #expect((encoded?["journey"] as? [[String: Any]])?.count == 3)
    }

    @Test(arguments: RegistryEngine.available) func offlinePacksCarryEachLotsJourney(engine: RegistryEngine) async throws {
        let workspace = try await JourneyWorkspace(engine)
        let file = workspace.folder.url.appendingPathComponent("province.pack")
        let signing = try await KeyStore(store: workspace.registry.store, folder: workspace.keys).activeSigningKey()
        try await OfflinePack.write(from: workspace.registry.store, key: signing, to: file)
        let pack = try OfflinePack(contentsOf: file, publicKeys: [workspace.key])
        let offline = OfflineVerifier(pack: pack, publicKeys: [workspace.key], today: workspace.today).verify([workspace.nem[3], workspace.mam[0]])
        let online = try await RegistryVerifier(store: workspace.registry.store, options: VerifyOptions(record: false, today: workspace.today))
            .verify([workspace.nem[3]])
        #expect(offline[0].status == .genuine)
        #expect(offline[0].journey == online[0].journey)
        #expect(offline[0].journey.count == 3)
        #expect(offline[1].journey.isEmpty)
    }

    @Test(arguments: RegistryEngine.available) func epcisWritesOneClassLevelEventPerDiaryRow(engine: RegistryEngine) async throws {
        let workspace = try await JourneyWorkspace(engine)
        let url = workspace.folder.url.appendingPathComponent("epcis.jsonld")
        let summary = try await EPCISExport(store: workspace.registry.store).write(to: url)
        #expect(summary.stageEvents == 4)
        #expect(summary.commissioningEvents == 2)
        let schema = repositoryRoot.appendingPathComponent("../shared/reference/schemas/EPCIS-JSON-Schema.json").standardized.path
        _ = try ExternalTools.run("python3", [repositoryRoot.appendingPathComponent("Tests/Tools/validate_epcis.py").path, schema, url.path])
        let data = try Data(contentsOf: url)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require((document["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]])
        let stages = list.filter { $0["quantityList"] != nil }
        #expect(stages.count == 4)
        let processing = try #require(stages.first { $0["ocoptrace:stage"] as? String == "processing" })
        #expect(processing["action"] as? String == "ADD")
        #expect(processing["bizStep"] as? String == "commissioning")
        #expect(processing["eventTime"] as? String == "2026-11-19T06:30:00+07:00")
        #expect((processing["quantityList"] as? [[String: Any]])?.first?["epcClass"] as? String == "https://id.gs1.org/01/08938765000015/10/NC2611A")
        #expect((processing["readPoint"] as? [String: String])?["id"] == "https://id.gs1.org/414/8938765000008")
        #expect((processing["ilmd"] as? [String: String])?["cbvmda:lotNumber"] == "NC2611A")
        #expect(processing["ocoptrace:standard"] as? String == "TCCS 01:2024/NCXL")
        let tending = try #require(stages.first { $0["ocoptrace:stage"] as? String == "tending" })
        #expect(tending["action"] as? String == "OBSERVE" && tending["ilmd"] == nil)
        #expect(tending["bizStep"] as? String == "https://ocoptrace.vn/ns/epcis#BizStep-growing")
        let chay = try #require(stages.first { $0["ocoptrace:stage"] as? String == "packing" })
        #expect((chay["quantityList"] as? [[String: Any]])?.first?["epcClass"] as? String == "https://id.ocoptrace.vn/p/NC-CHAY/10/Lo-chay-1")
        // Each eventID is the CBV 2.0 hash of the event as written, and the one the registry keeps.
        let read = try EPCISEvent.events(inDocument: data).filter { !$0.quantityList.isEmpty }
        #expect(stages.map { $0["eventID"] as? String } == read.map(\.hashID))
        let stored = try await workspace.registry.rows("SELECT event_id FROM production_stages").compactMap { $0["event_id"] }
        #expect(Set(stored) == Set(read.map(\.hashID)))
        // Filters select stages too.
        let lot = try await EPCISExport(store: workspace.registry.store).write(EPCISExport.Filter(lot: "NC2611A"), to: url)
        #expect(lot.stageEvents == 3)
    }

    @Test(arguments: RegistryEngine.available) func theTraceabilityCheckLooksAtEveryLot(engine: RegistryEngine) async throws {
        let workspace = try await JourneyWorkspace(engine)
        var findings: [TraceabilityCheck.Finding] = []
        let summary = try await TraceabilityCheck(store: workspace.registry.store).run(language: .en) { findings.append($0) }
        #expect(summary.products == 3 && summary.lots == 3 && summary.findings == 3)
        let nem = try #require(findings.first { $0.lot == "NC2611A" })
        #expect(nem.stages == 3 && nem.standard == "QCVN 8-3:2012/BYT")
        #expect(!nem.missing.contains("no-stages") && !nem.missing.contains("no-standard"))
        let mam = try #require(findings.first { $0.lot == "MT-S1" })
        #expect(mam.missing.contains("no-stages") && mam.missing.contains("no-standard"))
        #expect(mam.reasons.contains { $0.contains("import its production diary") })
        let chay = try #require(findings.first { $0.lot == "Lo-chay-1" })
        #expect(chay.stages == 1 && chay.missing.contains("no-standard") && !chay.missing.contains("no-stages"))
        #expect(summary.missing["no-stages"] == 1 && summary.missing["no-standard"] == 2)
    }
}
