import Foundation
import PropertyBased
import Testing
import TestSupport
@testable import OCOPTrace

/// Seeded fuzzing of the JSON files a shop brings (issue 21): its category mapping
/// (`category-mapping.json`) and the category trees it downloads from a seller centre. Each is read
/// or refused with its typed error naming the file, deep nesting and huge values included. Seed
/// and case count: see `Fuzz`.
@Suite("Fuzz: category files") struct CategoryFileFuzzTests {
    static let trees: [(Marketplace, String)] = [
        (.tiki, #"{"data": [{"id": 1, "parent_id": 0, "name": "A", "is_leaf": false}, {"id": 2, "parent_id": 1, "name": "B", "is_leaf": true}]}"#),
        (.lazada, #"{"data": [{"category_id": 1, "name": "A", "leaf": false, "children": [{"category_id": 2, "name": "B", "leaf": true, "children": []}]}]}"#),
        (.shopee, #"{"response": {"category_list": [{"category_id": 1, "parent_category_id": 0, "display_category_name": "A", "has_children": true}, {"category_id": 2, "parent_category_id": 1, "display_category_name": "B", "has_children": false}]}}"#),
        (.tiktok, #"{"data": {"categories": [{"id": "1", "parent_id": "0", "local_name": "A", "is_leaf": false}, {"id": "2", "parent_id": "1", "local_name": "B", "is_leaf": true}]}}"#),
    ]
    static let mappings = [#"{"lazada": {"kind:fish-sauce": "10003057", "_note": "x"}, "shopee": {"product:NC-500": 100, "group:1": "7"}}"#, "{}"]
    static let tokens = ["{", "}", "[", "]", ",", ":", "\"\"", "null", "true", "-1", "0", "1e400", "99999999999999999999", "\"id\":", "\"children\":[",
                         "\"parent_id\":", "\\u0000", "\\ud800", "\"_", "\"kind:", "\"group:", "\"product:"]

    @Test func categoryTreesAreReadOrRefusedNamingTheFile() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("tree.json")
        let input = zip(Gen.int(in: 0...3), Fuzz.mutated(texts: CategoryFileFuzzTests.trees.map(\.1), tokens: CategoryFileFuzzTests.tokens, hugeUpTo: 30_000))
        Fuzz.run(cases: 2_000, input: input, describe: { Fuzz.excerpt($0.1) }) { platform, text in
            try! Data(text.utf8).write(to: file)
            do {
                let (_, entries) = try CategoryTreeImport.read(file: file, platform: CategoryFileFuzzTests.trees[platform].0)
                try Fuzz.check(entries.allSatisfy { !$0.id.isEmpty && !$0.name.isEmpty }, "an entry without an id or a name")
            } catch {
                try Fuzz.expectClearError(error, CategoryTreeImport.ImportError.self, naming: ["tree.json"])
            }
        }
    }

    @Test func shopCategoryMappingsAreReadOrRefusedNamingTheFile() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("category-mapping.json")
        let input = Fuzz.mutated(texts: CategoryFileFuzzTests.mappings, tokens: CategoryFileFuzzTests.tokens, hugeUpTo: 30_000)
        Fuzz.run(cases: 2_000, input: input) { text in
            try! Data(text.utf8).write(to: file)
            do {
                _ = try CategoryMapping.load(shopFile: file)
            } catch {
                try Fuzz.expectClearError(error, MarketplaceRules.RulesError.self, naming: ["category-mapping.json"])
            }
        }
    }
}
