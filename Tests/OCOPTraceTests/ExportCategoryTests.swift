import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

@Suite struct CategoryTreeTests {
    @Test func searchIgnoresCaseDiacriticsAndWordOrderAndPutsLeavesFirst() throws {
        let tree = try #require(try CategoryTree.shipped(.shopee))
        let spellings = ["mat ong", "Mật ong", "ong MẬT", "Mật ong".decomposedStringWithCanonicalMapping]
        let results = spellings.map { tree.search($0).map(\.id) }
        #expect(results[0].first == "100819")  // Thực phẩm và đồ uống > Ngũ cốc & mứt > Mật ong và siro
        #expect(results.allSatisfy { $0 == results[0] })
        let sauces = tree.search("gia vị")
        #expect(sauces.count > 1)
        let firstNonLeaf = try #require(sauces.firstIndex { $0.isLeaf != true })
        #expect(sauces[firstNonLeaf...].allSatisfy { $0.isLeaf != true })
        #expect(tree.search("   ").isEmpty && tree.search("xyzzy").isEmpty)
    }

    @Test func aRepeatedIdKeepsItsFirstNodeAndEveryNodeAfterIt() {
        let tree = CategoryTree(platform: .tiki, source: "test", entries: [
            .init(id: "1", parentID: nil, name: "Thực phẩm", isLeaf: false),
            .init(id: "2", parentID: "1", name: "Mật ong", isLeaf: true),
            .init(id: "1", parentID: nil, name: "Lặp lại", isLeaf: true),
            .init(id: "3", parentID: "1", name: "Trà", isLeaf: true),
        ])
        #expect(tree.nodes.map(\.id) == ["1", "2", "3"])
        #expect(tree.node("3")?.path == "Thực phẩm > Trà")
        #expect(tree.children(of: "1").map(\.id) == ["2", "3"])
    }

    @Test func theThreeSpellingsOfFishSauceFindTheSameMappedLeaf() throws {
        let finder = CategoryFinder(store: nil)
        for platform in [Marketplace.shopee, .lazada] {
            let tree = try CategoryTree.shipped(platform)
            let found = try ["nuoc mam", "Nước mắm", "mắm nước"].map { try finder.kindMappings($0, platform: platform, tree: tree) }
            #expect(found.allSatisfy { $0.map(\.key) == ["kind:fish-sauce"] })
            #expect(found.allSatisfy { $0.first?.id == found[0].first?.id })
        }
        #expect(try finder.kindMappings("nuoc mam", platform: .shopee, tree: nil).first?.id == "101587")
        // Lazada knows no fish-sauce leaf: the parent where it would sit.
        let lazada = try #require(try finder.kindMappings("Nước mắm", platform: .lazada, tree: CategoryTree.shipped(.lazada)).first)
        #expect(lazada.id == nil && lazada.confidence == CategoryConfidence.none && lazada.parent?.hasPrefix("10003057 (") == true)
    }

    @Test func shippedTreesKnowLeavesParentsAndUnknownStatus() throws {
        let shopee = try #require(try CategoryTree.shipped(.shopee))
        #expect(shopee.nodes.count == 1958)
        let honey = try #require(shopee.node("100819"))
        #expect(honey.isLeaf == true && !shopee.hasChildren(honey))
        #expect(honey.path == "Thực phẩm và đồ uống > Ngũ cốc & mứt > Mật ong và siro")
        let spices = try #require(shopee.node("100804"))
        #expect(shopee.hasChildren(spices) && shopee.children(of: "100804").contains { $0.id == "101587" })
        let lazada = try #require(try CategoryTree.shipped(.lazada))
        #expect(lazada.node("14749")?.isLeaf == nil)  // Lazada's tree rarely says
    }

    @Test func everyShippedIdIsInItsTreeAndNoneIsANodeWithChildren() throws {
        let mapping = try CategoryMapping.load(shopFile: nil)
        for platform in [Marketplace.shopee, .lazada, .tiki, .tiktok] {
            let tree = try #require(try CategoryTree.shipped(platform))
            for kind in ProductKinds.shipped.kinds {
                let match = try #require(mapping.category(platform: platform, productCode: "X", kind: kind, group: nil))
                guard let id = match.id else {
                    #expect(match.confidence == .none)
                    continue
                }
                let node = try #require(tree.node(id), "\(platform) \(match.key) \(id)")
                #expect(!tree.hasChildren(node), "\(platform) \(match.key) \(id)")
                #expect(match.confidence != .shop)
            }
        }
    }
}

/// A registry on `engine` holding `catalog`, after `then` has run other stages (issue) on it; the
/// import's report, for the tests that look at its warnings. The one place this file seeds
/// registries.
private func seededRegistry(_ engine: RegistryEngine, in folder: TemporaryFolder, catalog: URL,
                            then prepare: (any RegistryStore) async throws -> Void = { _ in }) async throws -> (TestRegistry, FileImportReport) {
    let test = try await TestRegistry.make(engine, in: folder)
    let imported = try await CatalogImporter(store: test.store).importFile(at: catalog)
    try await prepare(test.store)
    return (test, imported)
}

@Suite struct CategoryImportTests {
    @Test(arguments: RegistryEngine.available, [
        (Marketplace.shopee, """
            {"request_id": "r", "error": "", "response": {"category_list": [
              {"category_id": 100629, "parent_category_id": 0, "original_category_name": "Food & Beverages", "display_category_name": "Thực phẩm và đồ uống", "has_children": true},
              {"category_id": 100650, "parent_category_id": 100629, "original_category_name": "Cereals", "display_category_name": "Ngũ cốc & mứt", "has_children": true},
              {"category_id": 100819, "parent_category_id": 100650, "original_category_name": "Honey", "display_category_name": "Mật ong và siro", "has_children": false}]}}
            """),
        (Marketplace.shopee, """
            [{"id": 100629, "parent_id": 0, "name": "Food & Beverages", "display_name": "Thực phẩm và đồ uống", "has_children": true, "children": [
              {"id": 100650, "parent_id": 100629, "name": "Cereals", "display_name": "Ngũ cốc & mứt", "has_children": true, "children": [
                {"id": 100819, "parent_id": 100650, "name": "Honey", "display_name": "Mật ong và siro", "has_children": false, "children": []}]}]}]
            """),
        (Marketplace.lazada, """
            {"code": "0", "request_id": "x", "data": [
              {"category_id": 6661639, "name": "Siêu Thị Tạp Hóa", "leaf": false, "var": false, "children": [
                {"category_id": 10003011, "name": "Nguyên liệu nấu ăn & làm bánh", "leaf": false, "var": false, "children": [
                  {"category_id": 14749, "name": "Mật ong", "leaf": true, "var": false}]}]}]}
            """),
        (Marketplace.tiktok, """
            {"code": 0, "message": "Success", "data": {"categories": [
              {"id": "700437", "parent_id": "0", "local_name": "Thực phẩm & Đồ uống", "is_leaf": false, "permission_statuses": ["AVAILABLE"]},
              {"id": "915080", "parent_id": "700437", "local_name": "Thực phẩm thiết yếu", "is_leaf": false, "permission_statuses": ["AVAILABLE"]},
              {"id": "920328", "parent_id": "915080", "local_name": "Mật ong & Siro", "is_leaf": true, "permission_statuses": ["AVAILABLE"]}]}}
            """),
        (Marketplace.tiki, """
            {"data": [
              {"id": 4384, "parent_id": 0, "name": "Bách Hóa Online", "is_leaf": false},
              {"id": 2827, "parent_id": 4384, "name": "Thực phẩm chức năng", "is_leaf": false},
              {"id": 11883, "parent_id": 2827, "name": "Mật ong", "is_leaf": true}]}
            """),
    ])
    func eachPublishedShapeReplacesTheShippedTree(engine: RegistryEngine, _ shape: (platform: Marketplace, json: String)) async throws {
        let (platform, json) = shape
        let folder = TemporaryFolder("ocoptrace-tree")
        let file = folder.write("tree.json", json)
        let registry = try await TestRegistry.make(engine, in: folder).store
        let imported = try await CategoryTreeImport.importTree(file: file, platform: platform, store: registry)
        #expect(imported.nodes == 3)
        let tree = try #require(try await CategoryTreeStore.current(platform, store: registry))
        #expect(tree.nodes.count == 3)
        #expect(tree.source.hasPrefix("imported from "))
        let leaf = try #require(tree.nodes.last)
        #expect(leaf.isLeaf == true && leaf.path.hasSuffix("> Mật ong") == (platform == .lazada || platform == .tiki))
        #expect(tree.search("mat ong").first?.id == leaf.id)
        #expect(tree.hasChildren(tree.nodes[0]))
        // Other platforms keep the shipped tree.
        let other: Marketplace = platform == .shopee ? .tiki : .shopee
        #expect(try await CategoryTreeStore.current(other, store: registry)?.source.hasPrefix("shipped") == true)
    }

    @Test(arguments: RegistryEngine.available)
    func aBadFileIsRefusedWithItsNameAndChangesNothing(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-tree")
        let registry = try await TestRegistry.make(engine, in: folder).store
        let good = folder.write("good.json", #"{"data": [{"id": 1, "parent_id": 0, "name": "A", "is_leaf": false}, {"id": 2, "parent_id": 1, "name": "B", "is_leaf": true}]}"#)
        _ = try await CategoryTreeImport.importTree(file: good, platform: .tiki, store: registry)
        let bad: [(String, String, String)] = [
            ("notjson.json", "{nope", "cannot be read as JSON"),
            ("other.json", #"{"rows": [{"a": 1}]}"#, "not a category tree ocoptrace knows for tiki"),
            ("lazada.json", #"{"data": [{"category_id": 1, "name": "A", "leaf": true, "children": []}]}"#, "this is Lazada's /category/tree/get JSON, not a tiki tree"),
            ("noname.json", #"{"data": [{"id": 1, "parent_id": 0, "name": "A", "is_leaf": false}, {"id": 2, "parent_id": 1, "name": "", "is_leaf": true}]}"#, "data[1]: no name"),
            ("orphan.json", #"{"data": [{"id": 1, "parent_id": 0, "name": "A", "is_leaf": false}, {"id": 2, "parent_id": 9, "name": "B", "is_leaf": true}]}"#, "its parent 9 is not in the file"),
            ("twice.json", #"{"data": [{"id": 1, "parent_id": 0, "name": "A", "is_leaf": false}, {"id": 1, "parent_id": 0, "name": "B", "is_leaf": true}]}"#, "category 1: appears twice"),
        ]
        for (name, text, message) in bad {
            let file = folder.write(name, text)
            await #expect { try await CategoryTreeImport.importTree(file: file, platform: .tiki, store: registry) } throws: {
                "\($0)".contains(name) && "\($0)".contains(message)
            }
        }
        let tree = try #require(try await CategoryTreeStore.current(.tiki, store: registry))
        #expect(tree.nodes.map(\.id) == ["1", "2"] && tree.source.contains("good.json"))
    }
}

@Suite struct CategoryExportTests {
    private func export(_ engine: RegistryEngine, _ folder: TemporaryFolder, mapping: String?,
                        to marketplaces: [Marketplace] = [.shopee]) async throws -> (findings: [ExportFinding], registry: TestRegistry) {
        let catalog = folder.write("catalog.csv", """
            product_code,name,producer,province,price_vnd,weight_g,package_cm,ocop_group,images,stock
            MO,Mật ong rừng Pù Luông,HTX A,Thanh Hóa,250000,700,9x9x22,1,https://img.vn/mo.jpg,5
            RU,Rượu men lá Lũng Cao chai 500ml,HTX A,Thanh Hóa,150000,900,9x9x30,2,https://img.vn/ru.jpg,5
            NM,Nước mắm cá cơm,HTX A,Thanh Hóa,90000,600,8x8x25,1,https://img.vn/nm.jpg,5

            """)
        let (registry, imported) = try await seededRegistry(engine, in: folder, catalog: catalog)
        precondition(imported.outcome == .succeeded, "\(imported.problems)")
        let findings = Findings()
        _ = try await ListingExporter(store: registry.store, options: ExportOptions(
            folder: folder.url.appendingPathComponent("exports"), resolver: "https://id.ocoptrace.vn",
            categoryMapping: mapping.map { folder.write("categories.json", $0) }, today: CalendarDate(year: 2026, month: 11, day: 23)!))
            .export(marketplaces, onFinding: findings.add)
        return (findings.all, registry)
    }

    @Test(arguments: RegistryEngine.available)
    func confidenceReachesTheReport(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-confidence")
        let findings = try await export(engine, folder, mapping: nil, to: [.shopee, .lazada, .tiktok]).findings
        func finding(_ platform: String, _ product: String) throws -> ExportFinding {
            try #require(findings.first { $0.platform == platform && $0.product == product })
        }
        // High: listed, no warning, the category shown as id (path).
        let honey = try finding("shopee", "MO")
        #expect(honey.status == .ok && honey.category == "100819 (Thực phẩm và đồ uống > Ngũ cốc & mứt > Mật ong và siro)")
        // Low: listed with a warning naming the id, its Vietnamese path and the seller centre.
        let liquor = try finding("shopee", "RU")
        #expect(liquor.status == .warning && liquor.codes == ["category-low-confidence"])
        #expect(liquor.reasons == ["category 100863 (Thực phẩm và đồ uống > Đồ uống có cồn > Rượu sake, soju & umeshu) is ocoptrace's best guess (low confidence): check it in the Shopee seller centre"])
        // None: rejected, naming the parent and the command that finds candidates; not the group's broad leaf.
        let fishSauce = try finding("lazada", "NM")
        #expect(fishSauce.status == .rejected && fishSauce.codes == ["no-category"] && fishSauce.category == nil)
        #expect(fishSauce.reasons[0].contains("no leaf is known; it sits under 10003057 (Siêu Thị Tạp Hóa > Nguyên liệu nấu ăn & làm bánh > Sốt nấu ăn và phụ gia)"))
        #expect(fishSauce.reasons[0].contains("`ocoptrace categories --marketplace lazada --search \"Sốt nấu ăn và phụ gia\"`"))
        #expect(fishSauce.reasons[0].contains("\"kind:fish-sauce\""))
        let tiktokLiquor = try finding("tiktok", "RU")
        #expect(tiktokLiquor.status == .rejected && tiktokLiquor.codes.contains("no-category"))
        let report = try String(contentsOfFile: folder.path("exports/shopee/report.csv"), encoding: .utf8)
        #expect(report.contains("shopee,MO,HTX A,ok,100819 (Thực phẩm và đồ uống > Ngũ cốc & mứt > Mật ong và siro),\n"))
    }

    @Test(arguments: RegistryEngine.available)
    func aShopIdMustBeALeafOfTheKnownTree(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-leaf")
        // 100804 Gia vị & Hương liệu has children; 99999999 is in no tree; Lazada 14749 (Mật ong) has an unknown leaf status.
        let findings = try await export(engine, folder, mapping: #"{"shopee": {"product:NM": "100804", "product:MO": "99999999", "product:RU": "100825"}, "lazada": {"product:MO": "14749"}}"#,
                                  to: [.shopee, .lazada]).findings
        let parent = try #require(findings.first { $0.platform == "shopee" && $0.product == "NM" })
        #expect(parent.status == .rejected && parent.codes == ["category-not-leaf"])
        #expect(parent.reasons[0].hasPrefix("category 100804 (Thực phẩm và đồ uống > Nguyên liệu nấu ăn > Gia vị & Hương liệu) (product:NM) has subcategories, and Shopee takes only a leaf: choose one of "))
        #expect(parent.reasons[0].contains("101587 (Thực phẩm và đồ uống > Nguyên liệu nấu ăn > Gia vị & Hương liệu > [zh:烹饪酱料])"))
        let unknown = try #require(findings.first { $0.platform == "shopee" && $0.product == "MO" })
        #expect(unknown.status == .warning && unknown.codes == ["category-not-in-tree"] && unknown.category == "99999999")
        #expect(unknown.reasons[0].contains("trees change"))
        // The shop's own id is the shop's choice: no low-confidence warning, whatever ocoptrace's guess.
        let own = try #require(findings.first { $0.platform == "shopee" && $0.product == "RU" })
        #expect(own.status == .ok && own.category == "100825 (Thực phẩm và đồ uống > Đồ uống > Trà & trà túi lọc)")
        let unknownStatus = try #require(findings.first { $0.platform == "lazada" && $0.product == "MO" })
        #expect(unknownStatus.status == .ok)
    }

    @Test(arguments: RegistryEngine.available)
    func anImportedTreeIsWhatExportChecksAgainst(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-imported")
        let registry = try await export(engine, folder, mapping: nil).registry.store
        let tree = folder.write("shopee.json", """
            {"response": {"category_list": [
              {"category_id": 1, "parent_category_id": 0, "original_category_name": "Food", "display_category_name": "Thực phẩm", "has_children": true},
              {"category_id": 100819, "parent_category_id": 1, "original_category_name": "Honey", "display_category_name": "Mật ong nguyên chất", "has_children": false}]}}
            """)
        _ = try await CategoryTreeImport.importTree(file: tree, platform: .shopee, store: registry)
        let findings = Findings()
        _ = try await ListingExporter(store: registry, options: ExportOptions(
            folder: folder.url.appendingPathComponent("again"), resolver: "https://id.ocoptrace.vn", categoryMapping: nil,
            today: CalendarDate(year: 2026, month: 11, day: 23)!)).export([.shopee], onFinding: findings.add)
        #expect(findings.all.first { $0.product == "MO" }?.category == "100819 (Thực phẩm > Mật ong nguyên chất)")
        #expect(findings.all.first { $0.product == "NM" }?.codes == ["category-not-in-tree"])
    }

    @Test(arguments: RegistryEngine.available)
    func missingListsProductsWithoutALeafOrWithALowOneAndTheKeyToAdd(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-missing")
        let registry = try await export(engine, folder, mapping: nil).registry.store
        let missing = try await CategoryFinder(store: registry).missing(platforms: [.shopee, .lazada], mappingFile: nil)
        #expect(!missing.contains { $0.platform == "shopee" && $0.product == "MO" })  // high confidence
        let liquor = try #require(missing.first { $0.platform == "shopee" && $0.product == "RU" })
        #expect(liquor.problem == .lowConfidence && liquor.key == "kind:liquor" && liquor.current?.hasPrefix("100863 (") == true)
        let fishSauce = try #require(missing.first { $0.platform == "lazada" && $0.product == "NM" })
        #expect(fishSauce.problem == .noLeafKnown && fishSauce.key == "kind:fish-sauce" && fishSauce.parent?.hasPrefix("10003057 (") == true)
        // The shipped Lazada tree lists nothing under that parent: candidates, if any, are leaves of the branch around it.
        #expect(fishSauce.candidates.allSatisfy { $0.isLeaf != false && $0.id != "10003057" && $0.path.hasPrefix("Siêu Thị Tạp Hóa > Nguyên liệu nấu ăn & làm bánh > ") })
        // Low confidence: candidates near the guess (Tiki's fish sauce is "Đặc sản Việt Nam"), in the same branch.
        let tiki = try await CategoryFinder(store: registry).missing(platforms: [.tiki], mappingFile: nil)
        let tikiFishSauce = try #require(tiki.first { $0.product == "NM" })
        #expect(tikiFishSauce.problem == .lowConfidence && tikiFishSauce.current?.hasPrefix("11304 (") == true)
        #expect(tikiFishSauce.candidates.allSatisfy { $0.path.hasPrefix("Hàng Tiêu Dùng - Thực Phẩm > Thực phẩm > ") })
        // A shop mapping that gives the key takes the product off the list.
        let shopFile = folder.write("mine.json", #"{"lazada": {"kind:fish-sauce": "10003057"}}"#)
        let after = try await CategoryFinder(store: registry).missing(platforms: [.lazada], mappingFile: shopFile)
        #expect(after.first { $0.product == "NM" }?.problem == .notLeaf || after.first { $0.product == "NM" } == nil)
    }
}

@Suite struct SpreadsheetSafetyTests {
    @Test(arguments: RegistryEngine.available)
    func formulaLikeCellsArriveAsTextInExcelAndLibreOfficeButMachineFilesKeepThem(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-csv-injection")
        let formula = #"=HYPERLINK("http://example.invalid","x")"#
        let catalog = folder.write("catalog.csv", """
            product_code,name,producer,province,price_vnd,weight_g,ocop_group,images,description
            MO,"\(formula.replacingOccurrences(of: "\"", with: "\"\""))","\(formula.replacingOccurrences(of: "\"", with: "\"\""))",Thanh Hóa,250000,700,1,https://img.vn/mo.jpg,- Mật ong rừng (nguyên chất)
            NM,Nước mắm,@SUM(1+1)!A0,Thanh Hóa,90000,600,1,https://img.vn/nm.jpg,+84 912 345 678

            """)
        var issued: BatchReport?
        let (registry, imported) = try await seededRegistry(engine, in: folder, catalog: catalog) { store in
            issued = try await StampIssuer(store: store, options: IssueOptions(outputFolder: folder.url.appendingPathComponent("out"), writePNGs: false))
                .issue(productCode: "MO", lot: "-5+5", count: 2, producedOn: nil, expiresOn: nil)
        }
        #expect(imported.outcome == .succeeded, "\(imported.problems)")
        // Import warns, naming row and column; "- " bullets and "+84" phone numbers are not formulas worth a warning.
        let warnings = imported.warnings.filter { $0.contains("looks like a spreadsheet formula") }
        #expect(warnings.count == 3, "\(imported.warnings)")
        #expect(warnings.contains { $0.hasPrefix("\(catalog.path):2:name: \"=HYPERLINK(") })
        #expect(warnings.contains { $0.contains(":2:producer: ") })
        #expect(warnings.contains { $0.contains(":3:producer: \"@SUM(1+1)!A0\"") })

        _ = try await ListingExporter(store: registry.store, options: ExportOptions(
            folder: folder.url.appendingPathComponent("exports"), resolver: "https://id.ocoptrace.vn", categoryMapping: nil)).export([.google])

        // Read back as CSV: the cells carry the text, behind the apostrophe that keeps them text.
        let report = folder.path("exports/google/report.csv")
        let manifest = absolutePath(try #require(issued).manifest)
        let script = """
            import csv, json, sys
            print(json.dumps([list(csv.reader(open(p, encoding='utf-8-sig'))) for p in sys.argv[1:]]))
            """
        let tables = try JSONSerialization.jsonObject(with: Data(ExternalTools.run("python3", ["-c", script, report, manifest]).utf8)) as! [[[String]]]
        #expect(tables[0].contains { $0[1] == "MO" && $0[2] == "'" + formula })
        #expect(tables[0].contains { $0[1] == "NM" && $0[2] == "'@SUM(1+1)!A0" })
        #expect(tables[1].dropFirst().allSatisfy { $0[5] == "'-5+5" && $0[3].hasPrefix("https://") })

        // LibreOffice, told to evaluate formulas in CSV, evaluates a bare one (the control) and none of ocoptrace's.
        let control = folder.write("control.csv", "a\n=1+1\n")
        let converted = folder.path("converted")
        _ = try ExternalTools.run("soffice", ["--headless", "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1,true",
                                              "--convert-to", "xlsx", "--outdir", converted, report, manifest, control.path])
        let types = """
            import openpyxl, json, sys
            print(json.dumps({p: [[c.data_type, c.value] for row in openpyxl.load_workbook(p).active.iter_rows() for c in row if c.value is not None] for p in sys.argv[1:]}))
            """
        let books = ["report", "manifest", "control"].map { converted + "/" + $0 + ".xlsx" }
        let cells = try JSONSerialization.jsonObject(with: Data(ExternalTools.run("python3", ["-c", types] + books).utf8)) as! [String: [[Any]]]
        #expect(cells[books[2]]?.contains { $0[0] as? String == "f" } == true)
        for book in books.prefix(2) {
            let found = try #require(cells[book])
            #expect(!found.isEmpty && found.allSatisfy { $0[0] as? String != "f" }, "\(book): \(found)")
        }
        #expect(cells[books[0]]?.contains { $0[1] as? String == "'" + formula } == true)

        // The Google feed is read by a machine: the text as it is.
        let feed = try String(contentsOfFile: folder.path("exports/google/products.tsv"), encoding: .utf8)
        #expect(feed.contains("\t" + formula))
    }
}
