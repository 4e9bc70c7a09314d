import Foundation
import GRDB

/// The category trees shops import from the platforms, kept in the registry (`category_trees`,
/// `category_nodes`): a platform's imported tree replaces the shipped one, whole.
public enum CategoryTreeStore {
    /// What the registry holds for one platform.
    public struct Imported: Sendable, Codable {
        public var platform: String
        public var file: String
        public var format: String
        public var importedAt: String
        public var nodes: Int

        enum CodingKeys: String, CodingKey { case platform, file, format, importedAt = "imported_at", nodes }
    }

    /// The tree export and search use for a platform: the imported one, else the shipped one.
    public static func current(_ platform: Marketplace, registry: Registry?) throws -> CategoryTree? {
        if let registry, let imported = try registry.read({ try importedTree(platform, db: $0) }) { return imported }
        return try CategoryTree.shipped(platform)
    }

    static func importedTree(_ platform: Marketplace, db: Database) throws -> CategoryTree? {
        // A registry made before trees could be imported (read-only: never migrated here) has none.
        guard try db.tableExists("category_trees"),
              let row = try Row.fetchOne(db, sql: "SELECT file, imported_at FROM category_trees WHERE platform = ?", arguments: [platform.rawValue])
        else { return nil }
        let entries = try Row.fetchAll(db, sql: "SELECT id, parent_id, name, is_leaf FROM category_nodes WHERE platform = ? ORDER BY position",
                                       arguments: [platform.rawValue]).map { node in
            CategoryTree.Entry(id: node["id"], parentID: node["parent_id"], name: node["name"], isLeaf: (node["is_leaf"] as Int?).map { $0 == 1 })
        }
        let file: String = row["file"]
        let importedAt: String = row["imported_at"]
        return CategoryTree(platform: platform, source: "imported from \(file) on \(importedAt.prefix(10))", entries: entries)
    }

    /// The trees the registry holds.
    public static func imported(registry: Registry) throws -> [Imported] {
        try registry.read { db in
            guard try db.tableExists("category_trees") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT platform, file, format, imported_at, nodes FROM category_trees ORDER BY platform").map {
                Imported(platform: $0["platform"], file: $0["file"], format: $0["format"], importedAt: $0["imported_at"], nodes: $0["nodes"])
            }
        }
    }

    /// Replaces the platform's tree in one transaction: all of it or, on any error, nothing.
    static func store(_ entries: [CategoryTree.Entry], platform: Marketplace, file: String, format: String, registry: Registry) throws -> Imported {
        let imported = Imported(platform: platform.rawValue, file: file, format: format, importedAt: Timestamp.now(), nodes: entries.count)
        try registry.write { db in
            try db.execute(sql: "DELETE FROM category_nodes WHERE platform = ?", arguments: [platform.rawValue])
            try db.execute(sql: "DELETE FROM category_trees WHERE platform = ?", arguments: [platform.rawValue])
            try db.execute(sql: "INSERT INTO category_trees (platform, file, format, imported_at, nodes) VALUES (?, ?, ?, ?, ?)",
                           arguments: [imported.platform, file, format, imported.importedAt, imported.nodes])
            let insert = try db.makeStatement(sql: "INSERT INTO category_nodes (platform, position, id, parent_id, name, is_leaf) VALUES (?, ?, ?, ?, ?, ?)")
            for (position, entry) in entries.enumerated() {
                try insert.execute(arguments: [platform.rawValue, position, entry.id, entry.parentID, entry.name, entry.isLeaf.map { $0 ? 1 : 0 }])
            }
        }
        return imported
    }
}
