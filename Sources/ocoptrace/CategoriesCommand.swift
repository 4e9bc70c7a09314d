import ArgumentParser
import Foundation
import OCOPTrace

struct CategoriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "categories",
        abstract: "Search the seller centres' category trees, list products without a category, import a platform's current tree.",
        discussion: """
            Shopee, Lazada, Tiki and TikTok Shop take only a leaf category id per listing. ocoptrace \
            ships each one's tree (as far as public sources show it) and the best leaf per product kind \
            and OCOP group, with a confidence: high and medium are listed, low is listed with a warning \
            to check it in the seller centre, none is rejected. A shop's catalogs/category-mapping.json \
            ({"shopee": {"product:CODE" | "kind:KIND" | "group:N": "id"}}) wins over the shipped mapping.

            --search: the tree's categories whose path has every word (case, accents and word order \
            ignored: "nuoc mam", "Nước mắm" and "mắm nước" find the same), leaves first.
            --missing: every product without a category, or with a low-confidence one, per platform, \
            with the key to add to the mapping file and the best candidates.
            --import: replace the shipped tree of a platform with the JSON the platform publishes \
            (Shopee product/get_category, Lazada /category/tree/get, TikTok Shop \
            /product/202309/categories, Tiki: a flat list of id, parent_id, name, is_leaf). It is kept \
            in the registry; export checks ids against it from then on. All or nothing: a file of \
            another shape changes nothing.

            Examples:
              ocoptrace categories --marketplace shopee --search "mật ong"
              ocoptrace categories --marketplace lazada --search "nuoc mam" --json
              ocoptrace categories --missing
              ocoptrace categories --missing --marketplace tiki --categories my-shop-categories.json
              ocoptrace categories --import shopee-get-category.json --marketplace shopee
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("shopee, lazada, tiki or tiktok (for --missing: all four when left out).", valueName: "name"))
    var marketplace: Marketplace?

    @Option(help: ArgumentHelp("Categories whose path has these words.", valueName: "text"))
    var search: String?

    @Flag(help: "Products without a category, or with a low-confidence one, and what to add.")
    var missing = false

    @Option(name: .customLong("import"), help: ArgumentHelp("A platform's category tree (its API's JSON) to use instead of the shipped one.", valueName: "file"))
    var importFile: String?

    @Option(help: ArgumentHelp("The shop's category mapping (for --missing).", valueName: "file"))
    var categories = "catalogs/category-mapping.json"

    @Option(help: ArgumentHelp("Only this producer's products (for --missing).", valueName: "name"))
    var producer: String?

    @Option(help: ArgumentHelp("At most this many categories (for --search).", valueName: "n"))
    var limit = 20

    @Flag(help: "Print JSON Lines.")
    var json = false

    func validate() throws {
        guard [search != nil, missing, importFile != nil].filter({ $0 }).count == 1 else {
            throw ValidationError("give one of --search TEXT, --missing or --import FILE")
        }
        if let marketplace, ![.shopee, .lazada, .tiki, .tiktok].contains(marketplace) {
            throw ValidationError("--marketplace \(marketplace.rawValue): category trees are known for shopee, lazada, tiki and tiktok")
        }
        if (search != nil || importFile != nil) && marketplace == nil {
            throw ValidationError("--marketplace is needed with --search and --import (shopee, lazada, tiki or tiktok)")
        }
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        if let search, let marketplace {
            try await runSearch(search, marketplace)
        } else if let importFile, let marketplace {
            let imported = try await registry.with(.readWrite) { store in
                try await CategoryTreeImport.importTree(file: URL(fileURLWithPath: importFile), platform: marketplace, store: store)
            }
            if json { Console.printJSON(TypedLine(type: "import", body: imported)); return }
            print("\(imported.platform): \(imported.nodes) categories imported from \(imported.file) (\(imported.format)); export checks ids against this tree from now on")
        } else {
            try await registry.with(.readOnly) { store in try await runMissing(store) }
        }
    }

    /// Search needs no registry: without one (no SQLite file yet) it uses the shipped trees.
    private func runSearch(_ text: String, _ marketplace: Marketplace) async throws {
        if case .sqlite(let path) = try registry.location, !FileManager.default.fileExists(atPath: path) {
            return try await runSearch(text, marketplace, finder: CategoryFinder(store: nil))
        }
        try await registry.with(.readOnly) { store in try await runSearch(text, marketplace, finder: CategoryFinder(store: store)) }
    }

    private func runSearch(_ text: String, _ marketplace: Marketplace, finder: CategoryFinder) async throws {
        let (tree, nodes) = try await finder.search(text, platform: marketplace, limit: limit)
        let kinds = try finder.kindMappings(text, platform: marketplace, tree: tree)
        if json {
            for kind in kinds { Console.printJSON(TypedLine(type: "kind", body: kind)) }
            for node in nodes { Console.printJSON(TypedLine(type: "category", body: node)) }
        } else {
            print("\(marketplace.rawValue): \(tree.nodes.count) categories, \(tree.source)")
            for kind in kinds {
                if let id = kind.id {
                    print("ocoptrace maps \(kind.key) (\(kind.kind)) to \(id) (\(kind.path ?? "?")), \(kind.confidence.rawValue) confidence")
                } else {
                    print("ocoptrace knows no leaf for \(kind.key) (\(kind.kind))" + (kind.parent.map { "; it sits under \($0)" } ?? ""))
                }
            }
            for node in nodes { print("\(node.id)\t\(Self.leafText(node.isLeaf))\t\(node.path)") }
        }
        if nodes.isEmpty && kinds.isEmpty {
            Console.error("no \(marketplace.rawValue) category has every word of \(text.quoted)")
            throw ExitCodes.rejected
        }
    }

    private func runMissing(_ store: any RegistryStore) async throws {
        let platforms = marketplace.map { [$0] } ?? [.shopee, .lazada, .tiki, .tiktok]
        let found = try await CategoryFinder(store: store).missing(platforms: platforms, mappingFile: URL(fileURLWithPath: categories), producer: producer)
        if json {
            for entry in found { Console.printJSON(TypedLine(type: "missing", body: entry)) }
            return
        }
        if found.isEmpty {
            print("every product has a category of high or medium confidence (or the shop's own) on \(platforms.map(\.rawValue).joined(separator: ", "))")
            return
        }
        for entry in found {
            var line = "\(entry.platform): \(entry.product) \(entry.name) (\(entry.producer)): "
            switch entry.problem {
            case .unmapped: line += "no category"
            case .noLeafKnown: line += "no leaf known" + (entry.parent.map { ", under \($0)" } ?? "")
            case .lowConfidence: line += "low confidence: \(entry.current ?? "")"
            case .notLeaf: line += "\(entry.current ?? "") has subcategories"
            }
            print(line)
            print("  add \"\(entry.key)\" to \(categories)" + (entry.candidates.isEmpty ? "" : "; candidates:"))
            for candidate in entry.candidates { print("    \(candidate.id) (\(candidate.path))") }
        }
    }

    private static func leafText(_ isLeaf: Bool?) -> String {
        switch isLeaf {
        case true?: "leaf"
        case false?: "-"
        case nil: "?"
        }
    }
}
