import Foundation
import OCOPTrace
import Testing
import TestSupport

/// The executable, end to end, in temporary folders.
@Suite struct CLITests {
    private func copyShippedCatalogs(into folder: TemporaryFolder) throws {
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("catalogs"),
                                         to: folder.url.appendingPathComponent("catalogs"))
    }

    @Test func runImportsTheShippedCatalogsIntoOutputAndIsSafeToRerun() throws {
        let folder = TemporaryFolder()
        try copyShippedCatalogs(into: folder)
        let first = try OCOPTraceBinary.run(["run"], in: folder.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.path("output/registry.sqlite")))
        #expect(first.stdout.contains("imported stamp orders catalogs/don-dat-tem-2026-11.csv"))
        #expect(first.stdout.contains("18 products"))
        #expect(first.stderr.isEmpty, "progress or noise on a non-terminal: \(first.stderr)")

        let second = try OCOPTraceBinary.run(["run", "--json"], in: folder.url)
        #expect(second.status == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as! [String: Any]
        let imports = summary["imports"] as! [[String: Any]]
        #expect(imports.allSatisfy { ($0["inserted"] as! Int) == 0 && ($0["updated"] as! Int) == 0 })
    }

    @Test func runGoesOnPastAFailedBatchAndMarketplaceAndSaysWhere() throws {
        let folder = TemporaryFolder()
        try copyShippedCatalogs(into: folder)
        // A product whose stamps must be signed, in a registry with no signing key: its batch fails.
        folder.write("catalogs/ky-so.csv", """
            product_code,name,producer,province,price_vnd,embed_signature
            KY-1,Mật ong ký số,HTX Ký số,Thanh Hóa,120000,có

            """)
        folder.write("catalogs/don-ky-so.csv", "product_code,lot,quantity,produced_on\nKY-1,KY2611,10,2026-11-20\n")
        // A file where the Tiki folder should be: that marketplace cannot be written.
        folder.write("output/exports/tiki", "not a folder")
        let result = try OCOPTraceBinary.run(["run"], in: folder.url)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("error: issue: lot KY2611 of KY-1: "), "\(result.stderr)")
        #expect(result.stderr.contains("error: export: tiki: "), "\(result.stderr)")
        #expect(result.stdout.contains("issued lot NC2611A of NC-500"), "the other batches are issued")
        #expect(result.stdout.contains("shopee: "), "the other marketplaces are exported")
        #expect(!result.stdout.contains("tiki: "))
        #expect(result.stdout.contains("Registry "), "the summary is still printed")
        #expect(FileManager.default.fileExists(atPath: folder.path("output/exports/google/products.tsv")))

        let json = try OCOPTraceBinary.run(["run", "--json"], in: folder.url)
        let summary = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let failures = try #require(summary["failures"] as? [[String: String]])
        #expect(failures.map { $0["stage"] } == ["issue", "export"])
        #expect(failures.first?["item"] == "lot KY2611 of KY-1")
    }

    @Test func exportAfterRunReportsEveryFindingAsJSONLinesAndExitsOneOnRejections() throws {
        let folder = TemporaryFolder()
        try copyShippedCatalogs(into: folder)
        #expect(try OCOPTraceBinary.run(["run"], in: folder.url).status == 0)
        let result = try OCOPTraceBinary.run(["export", "--marketplace", "all", "--json", "--lang", "en", "--image-base-url", "https://cdn.example.vn/ocop"], in: folder.url)
        #expect(result.status == 1, "the sample RUOC-100 has no image, KT-CN no package size: \(result.stderr)")
        let lines = try result.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let findings = lines.filter { $0["type"] as? String == "finding" }
        let exports = lines.filter { $0["type"] as? String == "export" }
        #expect(findings.count == 18 * 6)
        #expect(exports.map { $0["platform"] as? String } == ["shopee", "lazada", "tiki", "tiktok", "google", "jsonld"])
        let kitchenTray = try #require(findings.first { $0["platform"] as? String == "lazada" && $0["product"] as? String == "KT-CN" })
        #expect(kitchenTray["status"] as? String == "rejected")
        #expect((kitchenTray["reasons"] as? [String])?.first?.hasPrefix("no package size: Lazada needs") == true)
        // Lazada's shipped leaf for bamboo and rattan is a low-confidence guess: listed with a warning when the rest is right.
        #expect(kitchenTray["codes"] as? [String] == ["no-package-size", "category-low-confidence"])
        // Without a category-mapping.json the shipped mapping lists every product that has a high or
        // medium leaf on Shopee, Tiki and TikTok Shop; each product left out says why.
        for platform in ["shopee", "tiki", "tiktok"] {
            let mine = findings.filter { $0["platform"] as? String == platform }
            #expect(mine.allSatisfy { $0["status"] as? String == "rejected" || ($0["category"] as? String)?.isEmpty == false })
            #expect(mine.filter { ($0["codes"] as? [String])?.contains("no-category") == true }.map { $0["product"] as? String }
                    == (platform == "tiktok" ? ["RML-500"] : []))  // TikTok Shop has no category for liquor
        }
        #expect(findings.filter { $0["status"] as? String == "rejected" }.allSatisfy { ($0["reasons"] as? [String])?.isEmpty == false })
        let honey = try #require(findings.first { $0["platform"] as? String == "shopee" && $0["product"] as? String == "MO-RUNG" })
        #expect(honey["category"] as? String == "100819 (Thực phẩm và đồ uống > Ngũ cốc & mứt > Mật ong và siro)")
        // With a base URL the sample's local basket photo is linked where the uploader will put it.
        let basket = try #require(findings.first { $0["platform"] as? String == "google" && $0["product"] as? String == "GM-TRON-30" })
        #expect(basket["status"] as? String == "ok")
        let feed = try String(contentsOfFile: folder.path("output/exports/google/products.tsv"), encoding: .utf8)
        #expect(feed.contains("\thttps://cdn.example.vn/ocop/"))
        let shopee = try #require(exports.first)
        #expect(shopee["listed"] as? Int == 17)
        #expect((shopee["files"] as? [String])?.first?.hasSuffix("shopee/shopee-upload.xlsx") == true)
    }

    @Test(arguments: RegistryEngine.available)
    func thousandsOfBadRowsPrintTheFirstOfEachKindAndListEveryOneInAFile(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        // SQLite: the default registry, output/registry.sqlite, whose folder gets the problems file;
        // PostgreSQL: a new database, and the problems file in output/ as well.
        var db: [String] = []
        if case .postgres(let url) = try await TestRegistry.makeLocation(engine, in: folder) { db = ["--db", url.text] }
        var catalog = "product_code,name,producer,commune,province,price_vnd\n"
        for row in 0..<3000 { catalog += "SP-\(row),Sản phẩm \(row),HTX Một,Xã \(row),Thanh Hóa,\(row == 7 ? "giá" : "10000")\n" }
        folder.write("many.csv", catalog)
        let result = try OCOPTraceBinary.run(["import", "many.csv"] + db, in: folder.url)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count < 20, "\(lines.count) lines on the terminal")
        #expect(result.stderr.contains("many.csv:3:commune: HTX Một has commune \"Xã 0\" on row 2 but \"Xã 1\" here"))
        #expect(result.stderr.contains("many.csv:9:price_vnd: \"giá\" is not a price in VND"))
        // Row 8's bad price keeps it from the producer check: 2998 commune problems and one price.
        #expect(result.stderr.contains("many.csv: … 2993 more problems in column commune"), "\(result.stderr)")
        #expect(result.stderr.contains("all 2999 problems of many.csv are listed in output/problems/many-problems.csv"), "\(result.stderr)")
        let listed = try Data(contentsOf: folder.url.appendingPathComponent("output/problems/many-problems.csv"))
        #expect(listed.starts(with: [0xEF, 0xBB, 0xBF]), "a byte-order mark, for Excel")
        let rows = String(decoding: listed.dropFirst(3), as: UTF8.self).split(separator: "\n")
        #expect(rows.first == "file,row,column,message")
        #expect(rows.count == 3000)
        #expect(rows.contains("many.csv,3001,commune,HTX Một has commune \"Xã 0\" on row 2 but \"Xã 2999\" here") == false,
                "quotes in a message are doubled inside a quoted field")
        #expect(rows.contains("many.csv,3001,commune,\"HTX Một has commune \"\"Xã 0\"\" on row 2 but \"\"Xã 2999\"\" here\""))

        let json = try OCOPTraceBinary.run(["import", "--json", "many.csv"] + db, in: folder.url)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect((report["problems"] as? [Any])?.count == 2999)
        #expect(report["problems_file"] as? String == "output/problems/many-problems.csv")
    }

    @Test(arguments: RegistryEngine.available)
    func importOfABadFileExitsOneAndNamesFileRowAndColumn(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let registry = try await TestRegistry.make(engine, in: folder)
        await registry.store.close()
        let db = ["--db", registry.argument]
        folder.write("bad.csv", "product_code,name,producer,province,price_vnd\nA,Một,HTX A,Thanh Hóa,abc\nB,,HTX A,Thanh Hóa,1000\n")
        let result = try OCOPTraceBinary.run(["import", "bad.csv"] + db, in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.csv:2:price_vnd: \"abc\" is not a price in VND"))
        #expect(result.stderr.contains("bad.csv:3:name: name (Tên sản phẩm) is required"))
        #expect(result.stderr.contains("rejected bad.csv"))

        #expect(try await registry.count("products") == 0)
        if engine == .sqlite {
            let products = try OCOPTraceBinary.run(["products", "--json"] + db, in: folder.url)
            #expect(products.status == 0)
            #expect(products.stdout.isEmpty)
        }

        let jobs = try OCOPTraceBinary.run(["jobs", "--json"] + db, in: folder.url)
        let job = try JSONSerialization.jsonObject(with: Data(jobs.stdout.split(separator: "\n")[0].utf8)) as! [String: Any]
        #expect(job["outcome"] as? String == "rejected")
    }

    @Test func skipInvalidExitsTwoAndDryRunWritesNothing() throws {
        let folder = TemporaryFolder()
        folder.write("a.csv", "product_code,name,producer,province,price_vnd\nA,Một,HTX A,Thanh Hóa,1000\nB,Hai,HTX A,Thanh Hóa,x\n")
        let dry = try OCOPTraceBinary.run(["import", "--dry-run", "--skip-invalid", "a.csv"], in: folder.url)
        #expect(dry.status == 1)
        // No registry was made: not the file, nor a log beside it (the problems list is the only output).
        for file in ["registry.sqlite", "registry.sqlite-wal", "registry.sqlite-shm"] {
            #expect(!FileManager.default.fileExists(atPath: folder.path("output/" + file)), "the dry run made output/\(file)")
        }
        let afterDryRun = try OCOPTraceBinary.run(["products", "--json"], in: folder.url)
        #expect(afterDryRun.stdout.isEmpty)
        let partial = try OCOPTraceBinary.run(["import", "--skip-invalid", "--json", "a.csv"], in: folder.url)
        #expect(partial.status == 2)
        let report = try JSONSerialization.jsonObject(with: Data(partial.stdout.utf8)) as! [String: Any]
        #expect(report["outcome"] as? String == "partial")
        #expect(report["inserted"] as? Int == 1)
        #expect((report["problems"] as? [[String: Any]])?.first?["row"] as? Int == 3)
    }

    @Test("a dry run makes no registry where there is none, and says what it would import", arguments: RegistryEngine.available)
    func aDryRunMakesNoRegistry(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let location = try await TestRegistry.makeLocation(engine, in: folder)
        let db = ["--db", TestRegistry.argument(for: location)]
        folder.write("a.csv", "product_code,name,producer,province,price_vnd\nA,Một,HTX A,Thanh Hóa,1000\n")
        let dry = try OCOPTraceBinary.run(["import", "--dry-run", "--json", "a.csv"] + db, in: folder.url)
        #expect(dry.status == 0, "\(dry.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as! [String: Any]
        #expect(report["outcome"] as? String == "validated")
        #expect(report["rows"] as? Int == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["a.csv"])
        // PostgreSQL: the database is there, but holds no registry.
        let products = try OCOPTraceBinary.run(["products"] + db, in: folder.url)
        #expect(products.status == 73)
        #expect(products.stderr.contains("there is no registry"), "\(products.stderr)")
    }

    @Test("a dry run leaves an existing registry as it was: the same bytes, no -wal or -shm beside it", arguments: RegistryEngine.available)
    func aDryRunLeavesAnExistingRegistryAsItWas(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder()
        let location = try await TestRegistry.makeLocation(engine, in: folder)
        let db = ["--db", TestRegistry.argument(for: location)]
        folder.write("a.csv", "product_code,name,producer,province,price_vnd\nA,Một,HTX A,Thanh Hóa,1000\n")
        let imported = try OCOPTraceBinary.run(["import", "a.csv"] + db, in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        let bytes = engine == .sqlite ? try Data(contentsOf: URL(fileURLWithPath: folder.path("registry.sqlite"))) : nil

        // A changed price and a new product: the dry run counts both, and keeps neither.
        folder.write("b.csv", "product_code,name,producer,province,price_vnd\nA,Một,HTX A,Thanh Hóa,2000\nB,Hai,HTX A,Thanh Hóa,3000\n")
        let dry = try OCOPTraceBinary.run(["import", "--dry-run", "--json", "b.csv"] + db, in: folder.url)
        #expect(dry.status == 0, "\(dry.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as! [String: Any]
        #expect(report["outcome"] as? String == "validated")
        #expect(report["inserted"] as? Int == 1 && report["updated"] as? Int == 1, "\(report)")

        let after = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        #expect(after == (files + ["b.csv"]).sorted(), "before: \(files)")
        if let bytes {
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path("registry.sqlite"))) == bytes, "the dry run changed registry.sqlite")
        }
        // What the registry holds (after the files are compared: a read leaves SQLite's -shm behind).
        let products = try OCOPTraceBinary.run(["products", "--json"] + db, in: folder.url).stdout.split(separator: "\n")
        #expect(products.count == 1 && products[0].contains("\"price_vnd\":1000"), "\(products)")
        let jobs = try OCOPTraceBinary.run(["jobs", "--json"] + db, in: folder.url).stdout.split(separator: "\n")
        #expect(jobs.count == 1, "\(jobs)")
    }

    @Test func theRegistryPathComesFromDbOrTheEnvironment() throws {
        let folder = TemporaryFolder()
        try copyShippedCatalogs(into: folder)
        // One catalog: the shipped folder's shipments file names cartons that only `run` packs.
        let viaEnvironment = try OCOPTraceBinary.run(["import", "catalogs/htx-nem-chua-xuan-lap.csv"], in: folder.url,
                                                     environment: ["OCOPTRACE_DB": folder.path("env.sqlite")])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.path("env.sqlite")))
        let viaOption = try OCOPTraceBinary.run(["products", "--db", folder.path("env.sqlite"), "--json", "--producer", "nem chua"],
                                                in: folder.url)
        #expect(viaOption.stdout.split(separator: "\n").count == 4)
        #expect(!FileManager.default.fileExists(atPath: folder.path("output/registry.sqlite")))
    }

    @Test func unreadableInputsAndMissingRegistriesHaveTheirOwnExitCodes() throws {
        let folder = TemporaryFolder()
        let noRegistry = try OCOPTraceBinary.run(["products"], in: folder.url)
        #expect(noRegistry.status == 73)
        #expect(noRegistry.stderr.contains("ocoptrace import"))
        let missing = try OCOPTraceBinary.run(["import", "nope.csv"], in: folder.url)
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("nope.csv"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("output/registry.sqlite")))

        // An unreadable file among good ones: the good ones are imported, the exit code says 66.
        folder.write("old.xls", "\u{D0}")
        folder.write("good.csv", "product_code,name,producer,province,price_vnd\nA,Một,HTX A,Thanh Hóa,1000\n")
        let mixed = try OCOPTraceBinary.run(["import", "old.xls", "good.csv"], in: folder.url)
        #expect(mixed.status == 66)
        #expect(mixed.stderr.contains("old.xls") && mixed.stderr.contains(".xlsx"))
        #expect(mixed.stdout.contains("imported catalog good.csv"))
    }

    @Test func categoriesSearchesImportsAndListsWhatIsMissing() throws {
        let folder = TemporaryFolder()
        let honey = try OCOPTraceBinary.run(["categories", "--marketplace", "shopee", "--search", "mật ong"], in: folder.url)
        #expect(honey.status == 0, "\(honey.stderr)")
        #expect(honey.stdout.contains("100819\tleaf\tThực phẩm và đồ uống > Ngũ cốc & mứt > Mật ong và siro"))
        let spellings = try ["nuoc mam", "Nước mắm", "mắm nước"].map {
            try OCOPTraceBinary.run(["categories", "--marketplace", "shopee", "--search", $0, "--json"], in: folder.url).stdout
        }
        #expect(spellings[0].contains("\"id\":\"101587\"") && spellings.allSatisfy { $0 == spellings[0] })
        let nothing = try OCOPTraceBinary.run(["categories", "--marketplace", "tiki", "--search", "xyzzy"], in: folder.url)
        #expect(nothing.status == 1 && nothing.stderr.contains("no tiki category has every word of \"xyzzy\""))

        let bad = folder.write("tree.json", #"{"hello": "world"}"#)
        let refused = try OCOPTraceBinary.run(["categories", "--import", bad.path, "--marketplace", "tiktok"], in: folder.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("tree.json: not a category tree ocoptrace knows for tiktok"))
        let tree = folder.write("tiktok.json", """
            {"data": {"categories": [{"id": "1", "parent_id": "0", "local_name": "Thực phẩm", "is_leaf": false},
                                     {"id": "2", "parent_id": "1", "local_name": "Mật ong", "is_leaf": true}]}}
            """)
        let imported = try OCOPTraceBinary.run(["categories", "--import", tree.path, "--marketplace", "tiktok", "--json"], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("\"nodes\":2"))
        let search = try OCOPTraceBinary.run(["categories", "--marketplace", "tiktok", "--search", "mat ong"], in: folder.url)
        #expect(search.stdout.contains("2\tleaf\tThực phẩm > Mật ong"))

        folder.write("catalog.csv", "product_code,name,producer,province,price_vnd,ocop_group\nNM,Nước mắm cá cơm,HTX A,Thanh Hóa,90000,1\n")
        #expect(try OCOPTraceBinary.run(["import", "catalog.csv"], in: folder.url).status == 0)
        let missing = try OCOPTraceBinary.run(["categories", "--missing", "--marketplace", "lazada"], in: folder.url)
        #expect(missing.status == 0, "\(missing.stderr)")
        #expect(missing.stdout.contains("lazada: NM Nước mắm cá cơm (HTX A): no leaf known, under 10003057"))
        #expect(missing.stdout.contains("add \"kind:fish-sauce\" to catalogs/category-mapping.json"))
    }

    @Test func aHugeCellGivesAShortErrorThatNamesFileRowAndColumn() throws {
        let folder = TemporaryFolder()
        let huge = String(repeating: "9,5đ", count: 75_000)
        folder.write("catalog.csv", "product_code,name,producer,province,price_vnd,gtin\n"
            + "NC-1,Nem chua,HTX A,Thanh Hóa,\"\(huge)\",\"\(String(repeating: "\u{1B}[2J", count: 50_000))\"\n")
        let result = try OCOPTraceBinary.run(["import", "catalog.csv"], in: folder.url)
        #expect(result.status == 1, "\(result.stderr.prefix(500))")
        #expect(result.stderr.utf8.count < 2048, "\(result.stderr.utf8.count) bytes of errors: \(result.stderr.prefix(500))")
        #expect(result.stderr.contains("catalog.csv:2:price_vnd: \"9,5đ9,5đ"), "\(result.stderr.prefix(500))")
        #expect(result.stderr.contains("…\" (300000 characters) is not a price"), "\(result.stderr.prefix(500))")
        #expect(result.stderr.contains("catalog.csv:2:gtin: \"\\u{1B}[2J"), "\(result.stderr.prefix(500))")
        #expect(!result.stderr.contains("\u{1B}"), "no control character reaches the terminal")
    }
}
