import Foundation

/// The category trees shops import from the platforms, kept in the registry: a platform's imported
/// tree replaces the shipped one, whole.
public enum CategoryTreeStore {
    public typealias Imported = ImportedCategoryTree
    public typealias ImportedTree = StoredCategoryTree

    /// The tree export and search use for a platform: the imported one, else the shipped one.
    public static func current(_ platform: Marketplace, store: (any ExportStore)?) async throws -> CategoryTree? {
        if let store, let tree = try await store.importedCategoryTree(platform) {
            return CategoryTree(platform: platform, source: "imported from \(tree.imported.file) on \(tree.imported.importedAt.prefix(10))",
                                entries: tree.entries)
        }
        return try CategoryTree.shipped(platform)
    }

    /// Replaces the platform's tree in one transaction: all of it or, on any error, nothing.
    static func store(_ entries: [CategoryTree.Entry], platform: Marketplace, file: String, format: String,
                      store: any ExportStore) async throws -> Imported {
        let imported = Imported(platform: platform.rawValue, file: file, format: format, importedAt: Timestamp.now(), nodes: entries.count)
        try await store.replaceCategoryTree(imported, entries: entries)
        return imported
    }
}
