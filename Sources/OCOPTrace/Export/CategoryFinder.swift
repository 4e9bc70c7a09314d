import Foundation

/// What `ocoptrace categories` answers for the people who fix category mappings: the tree's nodes
/// that match a text, and the products that have no category (or only a low-confidence one) on
/// each seller centre, with the key to add and the best candidates.
public struct CategoryFinder: Sendable {
    /// A product without a usable category on one platform.
    public struct Missing: Sendable, Codable {
        public enum Problem: String, Sendable, Codable {
            /// No key of the product is mapped.
            case unmapped
            /// The shipped mapping knows no leaf for its kind or group.
            case noLeafKnown = "no-leaf-known"
            /// Mapped, but ocoptrace's guess is of low confidence.
            case lowConfidence = "low-confidence"
            /// Mapped to an id with subcategories.
            case notLeaf = "not-leaf"
        }

        public var platform: String
        public var product: String
        public var name: String
        public var producer: String
        public var problem: Problem
        /// The category now used, `id (path)`.
        public var current: String?
        /// Where the missing leaf would sit, `id (path)`.
        public var parent: String?
        /// The key to add to the shop's mapping file: the product's kind, else its OCOP group, else its code.
        public var key: String
        public var candidates: [CategoryTree.Node]
    }

    /// The registry, when there is one: without it, search uses the shipped trees and nothing is missing.
    public let store: (any ExportStore)?

    public init(store: (any ExportStore)?) {
        self.store = store
    }

    /// The platform's tree (imported, else shipped) and the nodes that match the text.
    public func search(_ text: String, platform: Marketplace, limit: Int = 20) async throws -> (tree: CategoryTree, nodes: [CategoryTree.Node]) {
        guard let tree = try await CategoryTreeStore.current(platform, store: store) else {
            throw CategoryTreeImport.ImportError.notASellerCentre(platform)
        }
        return (tree, tree.search(text, limit: limit))
    }

    /// A product kind the text names (its name or a keyword, word order and accents ignored), and the
    /// category ocoptrace maps it to on the platform: trees name few categories as people name
    /// products (no Shopee category says "nước mắm"), so `--search "nước mắm"` shows the fish-sauce leaf too.
    public struct KindMapping: Sendable, Codable {
        public var key: String
        public var kind: String
        public var id: String?
        public var path: String?
        public var confidence: CategoryConfidence
        public var parent: String?
        public var note: String?
    }

    public func kindMappings(_ text: String, platform: Marketplace, tree: CategoryTree?) throws -> [KindMapping] {
        let query = Set(CategoryTree.searchWords(text))
        guard !query.isEmpty else { return [] }
        let mapping = try CategoryMapping.load(shopFile: nil)
        return ProductKinds.shipped.kinds.filter { kind in
            ([kind.name] + kind.keywords).contains { Set(CategoryTree.searchWords($0)) == query }
        }.compactMap { kind in
            guard let match = mapping.category(platform: platform, productCode: "", kind: kind, group: nil), match.key == "kind:" + kind.kind else { return nil }
            let node = match.id.flatMap { tree?.node($0) }
            return KindMapping(key: match.key, kind: kind.name, id: match.id, path: node?.path ?? match.path, confidence: match.confidence,
                               parent: match.parent.flatMap { tree?.node($0)?.described }, note: match.note)
        }
    }

    /// Every product (of the producer, when given) that has no usable category on the platforms,
    /// platform by platform.
    public func missing(platforms: [Marketplace], mappingFile: URL?, producer: String? = nil) async throws -> [Missing] {
        guard let store else { return [] }
        let mapping = try CategoryMapping.load(shopFile: mappingFile)
        var trees: [CategoryTree?] = []
        for platform in platforms { trees.append(try await CategoryTreeStore.current(platform, store: store)) }
        let kinds = ProductKinds.shipped
        var found: [Missing] = []
        // Candidates depend on the platform and the text searched: found once per kind, not per product.
        var candidateCache: [String: [CategoryTree.Node]] = [:]
        let scope = ProducerScope(producer: producer, province: nil)
        for try await product in store.products(pageSize: ListingExporter.pageSize)
        where scope.includes(producer: product.producer, province: product.province) {
            let kind = kinds.kind(ofProductNamed: product.name)
            for (platform, tree) in zip(platforms, trees) {
                guard let tree else { continue }
                let match = mapping.category(platform: platform, productCode: product.code, kind: kind, group: product.ocopGroup)
                let node = match?.id.flatMap { tree.node($0) }
                let problem: Missing.Problem
                if match == nil {
                    problem = .unmapped
                } else if match?.id == nil {
                    problem = .noLeafKnown
                } else if let node, tree.hasChildren(node) {
                    problem = .notLeaf
                } else if match?.confidence == .low {
                    problem = .lowConfidence
                } else {
                    continue
                }
                let parent = match?.parent.flatMap { tree.node($0) } ?? (problem == .notLeaf ? node : nil)
                let text = kind.map { $0.name + " " + $0.keywords.joined(separator: " ") } ?? product.name
                let cacheKey = "\(platform.rawValue)|\(parent?.id ?? "")|\(text)"
                let candidates = candidateCache[cacheKey] ?? {
                    // Near what is known: the leaves under the parent where the leaf sits, else
                    // the leaves of the branch around it (or around the low-confidence guess)
                    // that share words with the kind; with nothing known, the whole tree.
                    if let parent {
                        let under = tree.leaves(under: parent.id, limit: 500)
                        if !under.isEmpty {
                            let named = tree.candidates(for: text, under: parent.id, limit: 3)
                            return named.isEmpty ? Array(under.prefix(3)) : named
                        }
                    }
                    guard let anchor = parent ?? node else { return tree.candidates(for: text, limit: 3) }
                    // The parent itself is no candidate, whatever the tree says of its leaf status.
                    return tree.candidates(for: text, under: anchor.parentID ?? anchor.id, limit: 4).filter { $0.id != parent?.id }.prefix(3).map { $0 }
                }()
                candidateCache[cacheKey] = candidates
                let key = kind.map { "kind:" + $0.kind } ?? product.ocopGroup.map { "group:\($0.rawValue)" } ?? "product:" + product.code
                found.append(Missing(platform: platform.rawValue, product: product.code, name: product.name, producer: product.producer,
                                     problem: problem, current: node?.described ?? match?.id, parent: parent?.described,
                                     key: key, candidates: candidates))
            }
        }
        return found
    }
}
