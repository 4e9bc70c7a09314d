import Foundation
import OCOPTrace
import Testing
import TestSupport

/// Production diaries through `import` and `run`, on the shipped catalogs, and the lots'
/// traceability check.
@Suite struct DiaryCLITests {
    @Test(arguments: RegistryEngine.available) func importTakesADiaryAndDryRunWritesNothing(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-cli-diary")
        let registry = try await TestRegistry.make(engine, in: folder)
        await registry.store.close()
        let db = ["--db", registry.argument]
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("catalogs"), to: folder.url.appendingPathComponent("catalogs"))
        // The shipments file names cartons only `run` packs: imported alone it is refused (exit 1).
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("catalogs/van-chuyen-2026-11.csv"))
        let catalogs = try OCOPTraceBinary.run(["import", "catalogs"] + db, in: folder.url)
        #expect(catalogs.status == 0, "\(catalogs.stderr)")
        #expect(catalogs.stdout.contains("imported production diary catalogs/nhat-ky-san-xuat-2026-11.csv (28 rows: 28 new"), "\(catalogs.stdout)")
        let again = try OCOPTraceBinary.run(["import", "catalogs/nhat-ky-san-xuat-2026-11.csv"] + db, in: folder.url)
        #expect(again.stdout.contains("(28 rows: 0 new, 0 updated, 28 unchanged)"), "\(again.stdout)")

        folder.write("bad.csv", """
            Mã sản phẩm,Số lô,Công đoạn,Thời gian bắt đầu,Địa điểm,Tỉnh
            NC-500,NC2611A,Thu hoạch,10/11/2026,Ruộng,Thanh Hóa
            NC-500,NC2611A,nhảy múa,10/11/2026,Ruộng,Thanh Hóa
            NC-500,NC2611A,Đóng gói,10/13/2026,Xưởng,Thanh Hóa
            """)
        let bad = try OCOPTraceBinary.run(["import", "bad.csv"] + db, in: folder.url)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.csv:3:Công đoạn: \"nhảy múa\" is not a production stage"), "\(bad.stderr)")
        #expect(bad.stderr.contains("gieo trồng (planting)"))
        #expect(bad.stderr.contains("bad.csv:4:Thời gian bắt đầu:"), "\(bad.stderr)")
        let dry = try OCOPTraceBinary.run(["import", "--dry-run", "bad.csv"] + db, in: folder.url)
        #expect(dry.status == 1)
        folder.write("good.csv", "Mã sản phẩm,Số lô,Công đoạn,Thời gian bắt đầu,Mã địa điểm (GLN)\nNC-500,NC2612B,Bảo quản,01/12/2026 08:00,8938765000008\n")
        let validated = try OCOPTraceBinary.run(["import", "--dry-run", "good.csv"] + db, in: folder.url)
        #expect(validated.status == 0, "\(validated.stderr)")
        #expect(validated.stdout.contains("valid production diary good.csv (1 rows; dry run, nothing written)"), "\(validated.stdout)")
        let reopened = try await RegistryStores.open(registry.location, access: .readOnly)
        #expect(try await reopened.registryCounts().productionStages == 28)
        await reopened.close()
    }

    @Test func runCountsStagesAndTheCheckReportsEachLot() throws {
        let folder = TemporaryFolder("ocoptrace-cli-diary-run")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("catalogs"), to: folder.url.appendingPathComponent("catalogs"))
        let run = try OCOPTraceBinary.run(["run", "catalogs"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("imported production diary catalogs/nhat-ky-san-xuat-2026-11.csv"), "\(run.stdout)")
        #expect(run.stdout.contains("28 production stages"), "\(run.stdout)")
        let check = try OCOPTraceBinary.run(["products", "--check-traceability", "--json"], in: folder.url)
        let lines = try check.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let findings = lines.filter { $0["type"] as? String == "finding" }
        let nem = try #require(findings.first { $0["lot"] as? String == "NC2611A" })
        #expect(nem["stages"] as? Int == 6)
        #expect((nem["missing"] as? [String])?.contains("no-stages") == false)
        let gai = try #require(findings.first { $0["lot"] as? String == "BG-2612-01" }, "a lot with a diary and no stamps yet")
        #expect(gai["standard"] as? String == "TCCS 01:2022/BGTT")
        let summary = try #require(lines.last)
        #expect(summary["lots"] as? Int == 8)
        let epcis = try OCOPTraceBinary.run(["epcis", "--out", "e.jsonld", "--json"], in: folder.url)
        #expect(epcis.status == 0, "\(epcis.stderr)")
        let written = try JSONSerialization.jsonObject(with: Data(epcis.stdout.utf8)) as! [String: Any]
        #expect(written["stage_events"] as? Int == 28)
    }
}
