import Foundation
import Testing
import TestSupport

/// `ocoptrace epcis import`, end to end: a shop's EPCIS document about our stamps and cartons,
/// imported once however often it is sent, refused whole when it fails GS1's schema, and then seen
/// in `verify --json` and in `epcis` export.
@Suite struct PartnerEventCLITests {
    private static let schema = repositoryRoot.appendingPathComponent("../shared/reference/schemas/EPCIS-JSON-Schema.json").standardized.path

    /// 10 stamps of NC-500 lot NC2611A packed into two cartons of 5; the shop's document filled in
    /// with the first carton and the first three stamps. Returns the folder, the stamp URLs, the
    /// `--db` arguments and the document's text.
    private func workspace(_ engine: RegistryEngine) async throws -> (TemporaryFolder, [String], [String], String) {
        let folder = TemporaryFolder("ocoptrace-cli-partner")
        folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days,gln
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7,8938765000008

            """)
        let location = try await TestRegistry.makeLocation(engine, in: folder, name: "output/registry")
        let db = ["--db", TestRegistry.argument(for: location)]
        for arguments in [["import", "catalog.csv"], ["keys", "generate"],
                          ["issue", "--product", "NC-500", "--lot", "NC2611A", "--count", "10", "--produced", "2026-11-20"],
                          ["cartons", "pack", "--product", "NC-500", "--lot", "NC2611A", "--per-carton", "5", "--company-prefix", "8938765"]] {
            let result = try OCOPTraceBinary.run(arguments + db, in: folder.url)
            precondition(result.status == 0, result.stderr)
        }
        let manifest = try FileManager.default.subpathsOfDirectory(atPath: folder.path("output/stamps")).first { $0.hasSuffix("manifest.csv") }!
        let urls = try String(contentsOfFile: folder.path("output/stamps/" + manifest), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)[3] }
        let serials = urls.map { url in String(url.components(separatedBy: "/21/")[1].prefix { $0 != "?" }) }
        var text = try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/partner-events/shop-events.template.jsonld"),
                              encoding: .utf8)
        for (placeholder, value) in [("{SSCC_URN}", "urn:epc:id:sscc:8938765.0000000000"), ("{SSCC}", "089387650000000008"),
                                     ("{SERIAL0}", serials[0]), ("{SERIAL1}", serials[1]), ("{SERIAL2}", serials[2])] {
            text = text.replacingOccurrences(of: placeholder, with: value)
        }
        return (folder, urls, db, text)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test(arguments: RegistryEngine.available) func importsOnceRefusesInvalidDocumentsAndFeedsVerifyAndExport(engine: RegistryEngine) async throws {
        let (folder, urls, db, text) = try await workspace(engine)
        folder.write("shop.jsonld", text)

        // A dry run reports what an import would do and writes nothing.
        let dry = try OCOPTraceBinary.run(["epcis", "import", "--dry-run", "shop.jsonld", "--json"] + db, in: folder.url)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(try json(dry.stdout)["imported"] as? Int == 6)
        #expect(try json(dry.stdout)["dry_run"] as? Bool == true)

        let first = try OCOPTraceBinary.run(["epcis", "import", "shop.jsonld", "--json"] + db, in: folder.url)
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try json(first.stdout)
        #expect(summary["imported"] as? Int == 6)
        #expect(summary["duplicates"] as? Int == 0)
        let skipped = try #require(summary["skipped"] as? [[String: Any]])
        #expect(skipped.map { $0["index"] as? Int } == [2])
        #expect((skipped.first?["reason"] as? String)?.contains("no stamp, carton or lot of ours") == true)

        // The same file again changes nothing; the text summary says so in both languages.
        let again = try OCOPTraceBinary.run(["epcis", "import", "shop.jsonld"] + db, in: folder.url)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("7 events: 0 imported, 6 already imported, 1 skipped (0 sự kiện đã nhập, 6 đã có, 1 bỏ qua)"), "\(again.stdout)")
        #expect(again.stdout.contains("  event 2 ni:///sha-256;"), "\(again.stdout)")

        // A document failing the schema is refused whole (exit 65), each error with its path.
        folder.write("bad.jsonld", text.replacingOccurrences(of: "\"eventTime\":\"2026-11-25T11:00:00+07:00\"", with: "\"eventTime\":\"25/11/2026\""))
        let bad = try OCOPTraceBinary.run(["epcis", "import", "bad.jsonld", "--json"] + db, in: folder.url)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("bad.jsonld: $.epcisBody.eventList[3].eventTime: \"25/11/2026\" is not a \"date-time\""), "\(bad.stderr)")
        let refused = try json(bad.stdout)
        #expect((refused["errors"] as? [[String: Any]])?.map { $0["path"] as? String } == ["$.epcisBody.eventList[3].eventTime"])

        let missing = try OCOPTraceBinary.run(["epcis", "import", "missing.jsonld"] + db, in: folder.url)
        #expect(missing.status == 66 && missing.stderr.contains("missing.jsonld: cannot be read"), "\(missing.stderr)")

        // verify --json shows the stamp sold at the shop, after its carton's receipt there.
        let verified = try OCOPTraceBinary.run(["verify", urls[0], "--json"] + db, in: folder.url)
        #expect(verified.status == 0, "\(verified.stderr)")
        let journey = try #require(try json(verified.stdout)["journey"] as? [[String: Any]])
        // (The carton was packed today, after the shop's dates: the packing entry comes last.)
        #expect(journey.map { $0["stage"] as? String } == ["receiving", "storing", "unpacking", "retail_selling", "packing"])
        let sale = try #require(journey.first { $0["stage"] as? String == "retail_selling" })
        #expect(sale["stage_vi"] as? String == "Bán lẻ" && sale["at"] as? String == "2026-11-25T10:00:00+07:00")
        #expect(journey.first?["gln"] as? String == "8931234000011")

        // epcis (export, the default subcommand) writes them back, schema-valid.
        let export = try OCOPTraceBinary.run(["epcis", "--out", "out.jsonld", "--json"] + db, in: folder.url)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(try json(export.stdout)["partner_events"] as? Int == 6)
        let script = repositoryRoot.appendingPathComponent("Tests/Tools/validate_epcis.py").path
        let validated = try ExternalTools.run("python3", [script, Self.schema, folder.path("out.jsonld")])
        #expect(try json(validated)["errors"] as? Int == 0)
    }

    @Test func helpHasAnExample() throws {
        let folder = TemporaryFolder("ocoptrace-cli-partner-help")
        let help = try OCOPTraceBinary.run(["epcis", "import", "--help"], in: folder.url)
        #expect(help.status == 0)
        #expect(help.stdout.contains("ocoptrace epcis import cua-hang-ocop-2026-11.jsonld"))
        #expect(help.stdout.contains("--dry-run") && help.stdout.contains("--json"))
    }
}
