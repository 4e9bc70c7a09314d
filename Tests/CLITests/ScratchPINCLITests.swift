import Foundation
import Testing
import TestSupport

/// `issue --scratch-pin` (and the catalog's `Tem cào`), `verify --pin`, `labels --pins`, `scans`
/// and `revoke --recall`, end to end through the built executable.
@Suite struct ScratchPINCLITests {
    private func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test(arguments: RegistryEngine.available) func issueVerifyAndPrintPINStamps(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-cli-pin")
        folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days,Tem cào
            MT-200,Mật ong 200 ml,8938765000015,HTX Ong mật,Thanh Hóa,185000,365,có
            NC-500,Nem chua 500g,8939123400119,HTX Ong mật,Thanh Hóa,85000,7,không

            """)
        let location = try await TestRegistry.makeLocation(engine, in: folder, name: "output/registry")
        let db = ["--db", TestRegistry.argument(for: location)]
        func resolved(_ path: String) -> String { path.hasPrefix("/") ? path : folder.path(path) }
        let imported = try OCOPTraceBinary.run(["import", "catalog.csv"] + db, in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        // The catalog's column opts MT-200 in; --scratch-pin opts a batch of NC-500 in.
        let byCatalog = try OCOPTraceBinary.run(["issue", "--product", "MT-200", "--lot", "P1", "--count", "5", "--no-png", "--json"] + db, in: folder.url)
        #expect(byCatalog.status == 0, "\(byCatalog.stderr)")
        let report = try #require(try jsonLines(byCatalog.stdout).first)
        let pinsPath = try #require(report["pins"] as? String)
        let byFlag = try OCOPTraceBinary.run(["issue", "--product", "NC-500", "--lot", "P2", "--count", "3", "--no-png", "--scratch-pin", "--json"] + db,
                                             in: folder.url)
        let p2Pins = try #require(try jsonLines(byFlag.stdout).first?["pins"] as? String, "\(byFlag.stdout)\(byFlag.stderr)")
        let plain = try OCOPTraceBinary.run(["issue", "--product", "NC-500", "--lot", "P3", "--count", "2", "--no-png", "--json"] + db, in: folder.url)
        #expect(try jsonLines(plain.stdout).first?["pins"] == nil || (try jsonLines(plain.stdout).first?["pins"] is NSNull))

        let rows = try String(contentsOfFile: resolved(pinsPath), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == 5)
        let (url, pin) = (rows[0][1], rows[0][2])

        let wrong = try OCOPTraceBinary.run(["verify", "--pin", "AAAAAAAA", url, "--json"] + db, in: folder.url)
        #expect(wrong.status == 1)
        #expect((try jsonLines(wrong.stdout)[0]["pin"] as? [String: Any])?["state"] as? String == "wrong-pin")
        let first = try OCOPTraceBinary.run(["verify", "--pin", pin.lowercased(), url, "--lang", "vi"] + db, in: folder.url)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("mã PIN"))
        #expect(first.stdout.contains("activated"))
        let again = try OCOPTraceBinary.run(["verify", "--pin", pin, url, "--json"] + db, in: folder.url)
        #expect(again.status == 1)
        let againJSON = try jsonLines(again.stdout)[0]
        #expect((againJSON["pin"] as? [String: Any])?["state"] as? String == "already-activated")
        let offline = try OCOPTraceBinary.run(["verify", "--offline", "--public-key", "x.pub", "--pin", pin, url] + db, in: folder.url)
        #expect(offline.status == 64)
        #expect(offline.stderr.contains("registry"))
        let scans = try OCOPTraceBinary.run(["scans", "--json"] + db, in: folder.url)
        #expect(try jsonLines(scans.stdout).contains { ($0["activated_at"] as? String) != nil })

        // Labels of a PIN batch need pins.csv, and refuse without it in both languages.
        let refused = try OCOPTraceBinary.run(["labels", "--lot", "P1"] + db, in: folder.url)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--pins"))
        #expect(refused.stderr.contains("mã PIN"))
        let labels = try OCOPTraceBinary.run(["labels", "--lot", "P1", "--pins", pinsPath, "--out", "labels.pdf"] + db, in: folder.url)
        #expect(labels.status == 0, "\(labels.stderr)")
        let text = try ExternalTools.run("pdftotext", [folder.path("labels.pdf"), "-"])
        #expect(rows.allSatisfy { text.contains($0[2]) })
        #expect(text.contains("CÀO"))
        // The sheet prints every PIN, so it is as private as pins.csv; a batch without PINs prints none.
        let mode = { (path: String) in ((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? 0) & 0o777 }
        #expect(try mode(folder.path("labels.pdf")) == 0o600)
        #expect(try mode(resolved(pinsPath)) == 0o600)
        let plainLabels = try OCOPTraceBinary.run(["labels", "--lot", "P3", "--out", "plain.pdf"] + db, in: folder.url)
        #expect(plainLabels.status == 0, "\(plainLabels.stderr)")
        #expect(try mode(folder.path("plain.pdf")) & 0o044 != 0)

        // A recall says so, apart from a lost roll.
        let recall = try OCOPTraceBinary.run(["revoke", "--lot", "P2", "--recall", "--reason", "nhiễm khuẩn"] + db, in: folder.url)
        #expect(recall.status == 0, "\(recall.stderr)")
        let p2 = try String(contentsOfFile: resolved(p2Pins), encoding: .utf8)
        let recalled = try OCOPTraceBinary.run(["verify", "--json", "--no-record", p2.split(separator: "\n")[1].split(separator: ",")[1].description] + db,
                                               in: folder.url)
        #expect(try jsonLines(recalled.stdout)[0]["reason_code"] as? String == "recalled")
    }
}
