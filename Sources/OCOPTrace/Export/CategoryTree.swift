import Foundation

/// A seller centre's category tree as ocoptrace knows it: the one shipped with ocoptrace
/// (`Export/Rules/categories/{platform}-tree.tsv`), or the one the shop imported from the platform
/// (`ocoptrace categories --import`). Mapped ids are checked against it, and people search it for ids.
public struct CategoryTree: Sendable {
    public struct Node: Sendable, Equatable, Codable {
        public var id: String
        /// Nil at the top of the tree.
        public var parentID: String?
        public var name: String
        /// True for a leaf (a listing may use it), false for a node with children, nil where the
        /// source does not say (most of Lazada's shipped tree).
        public var isLeaf: Bool?
        /// Names from the top, joined by " > ".
        public var path: String

        /// `100819 (Thực phẩm và đồ uống > Ngũ cốc & mứt > Mật ong và siro)`, as reports show a category:
        /// made once, since every report row of every platform shows one.
        public let described: String

        enum CodingKeys: String, CodingKey { case id, parentID = "parent_id", name, isLeaf = "leaf", path }

        init(id: String, parentID: String?, name: String, isLeaf: Bool?, path: String) {
            self.id = id
            self.parentID = parentID
            self.name = name
            self.isLeaf = isLeaf
            self.path = path
            described = "\(id) (\(path))"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(id: try container.decode(String.self, forKey: .id), parentID: try container.decodeIfPresent(String.self, forKey: .parentID),
                      name: try container.decode(String.self, forKey: .name), isLeaf: try container.decodeIfPresent(Bool.self, forKey: .isLeaf),
                      path: try container.decode(String.self, forKey: .path))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(parentID, forKey: .parentID)
            try container.encode(name, forKey: .name)
            try container.encode(isLeaf, forKey: .isLeaf)
            try container.encode(path, forKey: .path)
        }
    }

    /// One node as a source gives it: the path is made from the parents.
    public typealias Entry = CategoryEntry

    public let platform: Marketplace
    /// Where the tree comes from, for messages: "shipped with ocoptrace (2026-11-24)" or the imported file.
    public let source: String
    /// In the source's order.
    public let nodes: [Node]
    private let index: [String: Int]
    private let childIndices: [String: [Int]]

    public init(platform: Marketplace, source: String, entries: [Entry]) {
        self.platform = platform
        self.source = source
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() where index[entry.id] == nil { index[entry.id] = position }
        var paths: [String: String] = [:]
        func path(_ id: String, depth: Int = 0) -> String {
            if let known = paths[id] { return known }
            guard let position = index[id] else { return id }
            let entry = entries[position]
            // A parent missing from the source, or a cycle, ends the path where it is.
            let made: String
            if let parent = entry.parentID, parent != id, index[parent] != nil, depth < 64 {
                made = path(parent, depth: depth + 1) + " > " + entry.name
            } else {
                made = entry.name
            }
            paths[id] = made
            return made
        }
        // The first entry of an id wins; positions below are the nodes', not the entries'.
        var nodes: [Node] = []
        var nodeIndex: [String: Int] = [:]
        var children: [String: [Int]] = [:]
        for entry in entries where nodeIndex[entry.id] == nil {
            nodeIndex[entry.id] = nodes.count
            if let parent = entry.parentID { children[parent, default: []].append(nodes.count) }
            nodes.append(Node(id: entry.id, parentID: entry.parentID, name: entry.name, isLeaf: entry.isLeaf, path: path(entry.id)))
        }
        self.nodes = nodes
        self.index = nodeIndex
        childIndices = children
    }

    /// Each node's path and name as folded words (diacritics and case removed): made per search, not
    /// per tree, since export loads trees only to look ids up.
    private func searchIndex() -> (words: [Set<String>], nameWords: [Set<String>]) {
        (nodes.map { Set(Self.searchWords($0.path)) }, nodes.map { Set(Self.searchWords($0.name)) })
    }

    public func node(_ id: String) -> Node? {
        index[id].map { nodes[$0] }
    }

    public func children(of id: String) -> [Node] {
        (childIndices[id] ?? []).map { nodes[$0] }
    }

    /// Whether the tree knows the node to have children (from its leaf flag or its listed children).
    public func hasChildren(_ node: Node) -> Bool {
        node.isLeaf == false || childIndices[node.id] != nil
    }

    /// The leaves (and nodes of unknown status) under a node, at any depth, in tree order.
    public func leaves(under id: String, limit: Int = 20) -> [Node] {
        var found: [Node] = []
        var queue = childIndices[id] ?? []
        while !queue.isEmpty, found.count < limit {
            let position = queue.removeFirst()
            let node = nodes[position]
            if let below = childIndices[node.id] { queue.append(contentsOf: below) } else if node.isLeaf != false { found.append(node) }
        }
        return found
    }

    /// The nodes whose path has every word of the text (case, diacritics and word order ignored; a
    /// word may be the start of a longer one): leaves first, then those whose own name matches, then
    /// the shorter paths.
    public func search(_ text: String, limit: Int = 20) -> [Node] {
        let query = Self.searchWords(text)
        guard !query.isEmpty else { return [] }
        let (words, nameWords) = searchIndex()
        var matches: [(position: Int, rank: (Int, Int, Int))] = []
        for position in nodes.indices where query.allSatisfy({ Self.contains(words[position], $0) }) {
            let node = nodes[position]
            let leafRank = node.isLeaf == true ? 0 : node.isLeaf == nil && childIndices[node.id] == nil ? 1 : 2
            let nameRank = query.allSatisfy({ Self.contains(nameWords[position], $0) }) ? 0 : 1
            matches.append((position, (leafRank, nameRank, node.path.count)))
        }
        matches.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.position < $1.position }
        return matches.prefix(limit).map { nodes[$0.position] }
    }

    /// The leaves that share most words with the text (at least `minimum`), best first: candidates
    /// for a product that has no category, found from its kind or its name.
    /// `under`: only below this node (the branch where the product's leaf is known to be).
    public func candidates(for text: String, under scope: String? = nil, minimum: Int = 1, limit: Int = 3) -> [Node] {
        let query = Set(Self.searchWords(text)).filter { $0.count > 1 }
        guard !query.isEmpty else { return [] }
        let (words, nameWords) = searchIndex()
        let prefix = scope.flatMap(node).map { $0.path + " > " }
        var scored: [(position: Int, score: Int)] = []
        for position in nodes.indices where nodes[position].isLeaf != false && childIndices[nodes[position].id] == nil
            && prefix.map({ nodes[position].path.hasPrefix($0) }) != false {
            let score = query.reduce(0) { $0 + (nameWords[position].contains($1) ? 2 : words[position].contains($1) ? 1 : 0) }
            if score >= minimum * 2 { scored.append((position, score)) }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.position < $1.position }
        return scored.prefix(limit).map { nodes[$0.position] }
    }

    private static func contains(_ words: Set<String>, _ word: String) -> Bool {
        words.contains(word) || words.contains { $0.hasPrefix(word) }
    }

    /// Lower-case words without diacritics: `Nước mắm` and `nuoc MAM` give the same words.
    static func searchWords(_ text: String) -> [String] {
        KeywordIndex<Void>.words(of: text.nfc.withoutVietnameseDiacritics)
    }

    // MARK: Shipped trees

    /// The tree shipped with ocoptrace for a seller centre; nil for Google and schema.org.
    public static func shipped(_ platform: Marketplace) throws -> CategoryTree? {
        guard platform.isSpreadsheet else { return nil }
        let name = "Export/Rules/categories/\(platform.rawValue)-tree.tsv"
        guard let url = Bundle.module.url(forResource: "\(platform.rawValue)-tree", withExtension: "tsv", subdirectory: "Rules/categories") else {
            throw MarketplaceRules.RulesError.missing(name)
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        var entries: [Entry] = []
        for (number, line) in text.split(separator: "\n").enumerated() where number > 0 {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4 else { throw MarketplaceRules.RulesError.invalid(name, "line \(number + 1) does not have 4 fields") }
            let parent = String(fields[1])
            entries.append(Entry(id: String(fields[0]), parentID: parent == "0" ? nil : parent, name: String(fields[3]),
                                 isLeaf: fields[2] == "1" ? true : fields[2] == "0" ? false : nil))
        }
        return CategoryTree(platform: platform, source: "shipped with ocoptrace (\(CategoryMapping.referenceDate))", entries: entries)
    }
}
