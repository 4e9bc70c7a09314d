import Foundation

/// What the registry holds for one platform.
public struct ImportedCategoryTree: Sendable, Codable, Hashable {
    public var platform: String
    public var file: String
    public var format: String
    public var importedAt: String
    public var nodes: Int

    enum CodingKeys: String, CodingKey { case platform, file, format, importedAt = "imported_at", nodes }
}

/// An imported tree as the registry holds it: what was imported, and its nodes in file order.
public struct StoredCategoryTree: Sendable {
    public var imported: ImportedCategoryTree
    public var entries: [CategoryEntry]
}

/// One node as a source gives it: the path is made from the parents.
public struct CategoryEntry: Sendable, Equatable {
    public var id: String
    public var parentID: String?
    public var name: String
    public var isLeaf: Bool?

    public init(id: String, parentID: String?, name: String, isLeaf: Bool?) {
        self.id = id
        self.parentID = parentID
        self.name = name
        self.isLeaf = isLeaf
    }
}
