import Foundation
import Testing
import TestSupport

/// `cartons`, `ship`, `receive`, the shipments file and `verify` of a carton, through the built
/// executable, on the shipped catalogs after `run`.
@Suite struct CartonCLITests {
    private func shippedRun() throws -> TemporaryFolder {
        let folder = TemporaryFolder("ocoptrace-cli-cartons")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("catalogs"), to: folder.url.appendingPathComponent("catalogs"))
        let run = try OCOPTraceBinary.run(["run", "catalogs", "--json"], in: folder.url)
        precondition(run.status == 0, run.stderr)
        return folder
    }

    private func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test func runPacksEveryIssuedLotAndImportsTheShipments() throws {
        let folder = TemporaryFolder("ocoptrace-cli-cartons-run")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("catalogs"), to: folder.url.appendingPathComponent("catalogs"))
        let run = try OCOPTraceBinary.run(["run", "catalogs", "--json"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try json(run.stdout)
        #expect(summary["cartonCount"] as? Int == 30)
        #expect(summary["shipmentCount"] as? Int == 6)
        let imports = try #require(summary["imports"] as? [[String: Any]])
        let shipments = try #require(imports.first { $0["kind"] as? String == "shipments" })
        #expect(shipments["inserted"] as? Int == 6)
        let cartons = try #require(summary["cartons"] as? [[String: Any]])
        #expect(cartons.first?["first_carton"] as? String == "089387650000000008")
        #expect(cartons.first?["per_carton"] as? Int == 50)
        let labels = try #require(cartons.first?["labels"] as? String)
        #expect(FileManager.default.fileExists(atPath: folder.path(labels)))
        // A second run packs nothing again and changes no shipment.
        let again = try OCOPTraceBinary.run(["run", "catalogs"], in: folder.url)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("30 cartons, 6 shipments"), "\(again.stdout)")
        #expect(again.stdout.contains("0 new shipments, 0 received, 6 unchanged"), "\(again.stdout)")
    }

    /// `import` alone reads the shipments file too, and rejects it while its cartons are not packed
    /// (the catalogs and orders are imported): `run` packs first, then imports it.
    @Test func importingTheShippedFolderBeforePackingRejectsOnlyTheShipmentsFile() throws {
        let folder = TemporaryFolder("ocoptrace-cli-cartons-import")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("catalogs"), to: folder.url.appendingPathComponent("catalogs"))
        let imported = try OCOPTraceBinary.run(["import", "catalogs"], in: folder.url)
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("van-chuyen-2026-11.csv:2:Mã thùng (SSCC): no carton 089387650000000008 in the registry"),
                "\(imported.stderr)")
        #expect(imported.stdout.contains("imported stamp orders catalogs/don-dat-tem-2026-11.csv"), "\(imported.stdout)")
    }

    @Test func packShipReceiveUnpackAndVerifyACarton() throws {
        let folder = try shippedRun()
        let listed = try OCOPTraceBinary.run(["cartons", "list", "--lot", "NC2611A", "--json"], in: folder.url)
        #expect(listed.status == 0)
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        let sixth = try json(String(lines[5]))["sscc"] as! String

        let shipped = try OCOPTraceBinary.run(["ship", "--carton", sixth, "--to", "Siêu thị OCOP Hà Nội", "--to-province", "Hà Nội",
                                               "--at", "27/11/2026 07:00", "--json"], in: folder.url)
        #expect(shipped.status == 0, "\(shipped.stderr)")
        #expect(((try json(shipped.stdout))["recording"] as? [String: Any])?["inserted"] as? Int == 1)
        let received = try OCOPTraceBinary.run(["receive", "--carton", "https://id.ocoptrace.vn/00/" + sixth, "--to", "sieu thi ocop ha noi",
                                                "--to-province", "HA NOI", "--at", "28/11/2026 09:00"], in: folder.url)
        #expect(received.status == 0, "\(received.stderr)")
        #expect(received.stdout.contains("1 received"), "\(received.stdout)")

        let verified = try OCOPTraceBinary.run(["verify", "https://id.ocoptrace.vn/00/" + sixth, "--json"], in: folder.url)
        #expect(verified.status == 0, "\(verified.stderr)")
        let verdict = try json(verified.stdout)
        #expect(verdict["verdict"] as? String == "carton")
        let carton = try #require(verdict["carton"] as? [String: Any])
        #expect(carton["first_sequence"] as? Int == 251)
        #expect((carton["shipments"] as? [[String: Any]])?.first?["received_at"] as? String == "2026-11-28T02:00:00.000Z")
        let text = try OCOPTraceBinary.run(["verify", "(00) " + sixth], in: folder.url)
        #expect(text.status == 0)
        #expect(text.stdout.contains("Siêu thị OCOP Hà Nội, Hà Nội"), "\(text.stdout)")
        let unknown = try OCOPTraceBinary.run(["verify", "089387650000009995"], in: folder.url)
        #expect(unknown.status == 1)

        let opened = try OCOPTraceBinary.run(["cartons", "unpack", sixth], in: folder.url)
        #expect(opened.status == 0, "\(opened.stderr)")
        let refused = try OCOPTraceBinary.run(["ship", "--carton", sixth, "--to", "Đại lý", "--to-province", "Hà Nội"], in: folder.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("was unpacked"), "\(refused.stderr)")
        // Its 50 stamps are free again: a new carton with a new SSCC.
        let repacked = try OCOPTraceBinary.run(["cartons", "pack", "--product", "NC-500", "--lot", "NC2611A", "--json"], in: folder.url)
        #expect(repacked.status == 0, "\(repacked.stderr)")
        let report = try json(repacked.stdout)
        #expect(report["cartons"] as? Int == 1)
        #expect(report["first_carton"] as? String != sixth)
        #expect(report["first_carton"] as? String == "089387650000000091")

        let badSSCC = try OCOPTraceBinary.run(["ship", "--carton", "089387650000000009", "--to", "A", "--to-province", "B"], in: folder.url)
        #expect(badSSCC.status == 1)
        #expect(badSSCC.stderr.contains("check digit"), "\(badSSCC.stderr)")
        let usage = try OCOPTraceBinary.run(["ship", "--to", "A", "--to-province", "B"], in: folder.url)
        #expect(usage.status == 64)
    }

    @Test func aShipmentsFileWithBadRowsIsRejectedWholeNamingRowAndColumn() throws {
        let folder = try shippedRun()
        let file = folder.write("van-chuyen-sai.csv", """
            Mã thùng (SSCC),Mã sản phẩm,Số lô,Bên nhận,Tỉnh bên nhận,Mã GLN bên nhận,Ngày gửi,Ngày nhận
            089387650000000039,,,Cửa hàng A,Thanh Hóa,,27/11/2026 08:00,
            089387650000000031,,,Cửa hàng A,Thanh Hóa,,27/11/2026 08:00,
            ,NC-500,KHONG-CO,Cửa hàng A,Thanh Hóa,,27/11/2026 08:00,
            089387650000000046,,,Cửa hàng A,Thanh Hóa,8931234000005,27/11/2026,26/11/2026
            089387650000000053,,,,Thanh Hóa,,ngày mai,

            """)
        let imported = try OCOPTraceBinary.run(["import", file.path], in: folder.url)
        #expect(imported.status == 1)
        let errors = imported.stderr
        #expect(errors.contains("van-chuyen-sai.csv:3:Mã thùng (SSCC)"), "\(errors)")
        #expect(errors.contains("van-chuyen-sai.csv:4:Số lô"), "\(errors)")
        #expect(errors.contains("van-chuyen-sai.csv:5:Mã GLN bên nhận"), "\(errors)")
        #expect(errors.contains("van-chuyen-sai.csv:5:Ngày nhận"), "\(errors)")
        #expect(errors.contains("van-chuyen-sai.csv:6:Bên nhận"), "\(errors)")
        #expect(errors.contains("van-chuyen-sai.csv:6:Ngày gửi"), "\(errors)")
        #expect(errors.contains("nothing imported"), "\(errors)")
        // Nothing of the file was written: the good first row's carton has no shipment.
        let verified = try OCOPTraceBinary.run(["verify", "089387650000000039", "--json"], in: folder.url)
        let carton = try #require(try json(verified.stdout)["carton"] as? [String: Any])
        #expect((carton["shipments"] as? [Any])?.isEmpty == true)
    }
}
