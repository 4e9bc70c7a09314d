import Foundation

/// Reads a category tree as a platform publishes it (the JSON of its API) and keeps it in the
/// registry in place of the shipped tree. Accepted shapes, per the reference README:
/// - Shopee Open API v2 `product/get_category`: `response.category_list[]` of `category_id`,
///   `parent_category_id` (0 at the top), `original_category_name`, `display_category_name`, `has_children`;
///   or the seller centre's nested list of `id`, `parent_id`, `name`, `display_name`, `has_children`, `children[]`;
/// - Lazada `/category/tree/get`: `data[]`, nested, of `category_id`, `name`, `leaf`, `children[]`;
/// - TikTok Shop `/product/202309/categories`: `data.categories[]`, flat, of `id`, `parent_id` ("0" at
///   the top), `local_name`, `is_leaf`;
/// - Tiki: a flat list (`data[]` or the top level) of `id`, `parent_id`, `name`, `is_leaf` (the exact
///   shape of Tiki's APIs is unconfirmed).
/// Anything else is refused, naming the file and the place; nothing is stored unless all of it reads.
public enum CategoryTreeImport {
    public enum ImportError: Error, Sendable, CustomStringConvertible {
        case unreadable(file: String, reason: String)
        case unknownShape(file: String, platform: Marketplace)
        case otherPlatform(file: String, format: String, platform: Marketplace)
        case invalid(file: String, place: String, reason: String)
        case notASellerCentre(Marketplace)

        public var description: String {
            switch self {
            case .unreadable(let file, let reason): "\(file): cannot be read as JSON: \(reason)"
            case .unknownShape(let file, let platform):
                "\(file): not a category tree ocoptrace knows for \(platform.rawValue) (expected \(CategoryTreeImport.expectedShape(platform))); nothing imported"
            case .otherPlatform(let file, let format, let platform):
                "\(file): this is \(format), not a \(platform.rawValue) tree; nothing imported"
            case .invalid(let file, let place, let reason): "\(file): \(place): \(reason); nothing imported"
            case .notASellerCentre(let platform): "\(platform.rawValue) has no category tree to import (only shopee, lazada, tiki and tiktok)"
            }
        }
    }

    static func expectedShape(_ platform: Marketplace) -> String {
        switch platform {
        case .shopee: "Shopee's product/get_category JSON, response.category_list[] of category_id, parent_category_id, display_category_name, has_children, or the seller centre's nested list of id, parent_id, display_name, has_children, children[]"
        case .lazada: "Lazada's /category/tree/get JSON, data[] of category_id, name, leaf, children[]"
        case .tiktok: "TikTok Shop's /product/202309/categories JSON, data.categories[] of id, parent_id, local_name, is_leaf"
        case .tiki: "a flat list (data[] or the top level) of id, parent_id, name, is_leaf"
        case .google, .jsonld: "none"
        }
    }

    /// Reads the file and replaces the platform's tree in the registry; returns what was stored.
    public static func importTree(file url: URL, platform: Marketplace, store: any ExportStore) async throws -> CategoryTreeStore.Imported {
        let file = InputFiles.displayPath(url)
        let (format, entries) = try read(file: url, platform: platform)
        return try await CategoryTreeStore.store(entries, platform: platform, file: file, format: format, store: store)
    }

    /// The tree in the file, with the name of its format.
    public static func read(file url: URL, platform: Marketplace) throws -> (format: String, entries: [CategoryTree.Entry]) {
        guard platform.isSpreadsheet else { throw ImportError.notASellerCentre(platform) }
        let file = InputFiles.displayPath(url)
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw ImportError.unreadable(file: file, reason: (error as NSError).localizedDescription)
        }
        let reader = Reader(file: file)
        let shapes: [(Marketplace, String, () throws -> [CategoryTree.Entry]?)] = [
            (.shopee, "Shopee's product/get_category", { try reader.shopeeAPI(object) }),
            (.shopee, "Shopee's seller-centre category list", { try reader.nested(object, lists: [[], ["data"], ["data", "list"]], id: "id", name: ["display_name", "name"], leaf: .hasChildren("has_children"), marker: "has_children") }),
            (.lazada, "Lazada's /category/tree/get", { try reader.nested(object, lists: [["data"]], id: "category_id", name: ["name"], leaf: .isLeaf("leaf"), marker: "leaf") }),
            (.tiktok, "TikTok Shop's /product/202309/categories", { try reader.flat(object, lists: [["data", "categories"]], name: ["local_name"], marker: "local_name") }),
            (.tiki, "Tiki's category list", { try reader.flat(object, lists: [[], ["data"]], name: ["name"], marker: "is_leaf") }),
        ]
        for (owner, format, parse) in shapes {
            guard let entries = try parse() else { continue }
            guard owner == platform else { throw ImportError.otherPlatform(file: file, format: format + " JSON", platform: platform) }
            guard !entries.isEmpty else { throw ImportError.invalid(file: file, place: "the list", reason: "no categories") }
            try reader.checkParents(entries)
            return (format, entries)
        }
        throw ImportError.unknownShape(file: file, platform: platform)
    }

    private enum LeafField {
        case isLeaf(String)
        case hasChildren(String)
    }

    private struct Reader {
        var file: String

        func list(_ object: Any, at path: [String]) -> [Any]? {
            var current: Any? = object
            for key in path { current = (current as? [String: Any])?[key] }
            return current as? [Any]
        }

        /// The shape is recognised by its first item's fields; after that, every item must be whole.
        func items(_ object: Any, lists: [[String]], marker: String, required: [String]) -> (items: [Any], place: String)? {
            for path in lists {
                guard let items = list(object, at: path), let first = items.first as? [String: Any],
                      first[marker] != nil, required.allSatisfy({ first[$0] != nil }) else { continue }
                return (items, path.isEmpty ? "" : path.joined(separator: "."))
            }
            return nil
        }

        func shopeeAPI(_ object: Any) throws -> [CategoryTree.Entry]? {
            guard let (items, _) = items(object, lists: [["response", "category_list"]], marker: "parent_category_id", required: ["category_id"]) else { return nil }
            return try items.enumerated().map { index, item in
                let place = "response.category_list[\(index)]"
                let fields = try fieldsOf(item, place)
                let parent = try id(fields["parent_category_id"], place, "parent_category_id")
                return CategoryTree.Entry(id: try id(fields["category_id"], place, "category_id"), parentID: parent == "0" ? nil : parent,
                                          name: try name(fields, ["display_category_name", "original_category_name"], place),
                                          isLeaf: !(try flag(fields["has_children"], place, "has_children")))
            }
        }

        func flat(_ object: Any, lists: [[String]], name names: [String], marker: String) throws -> [CategoryTree.Entry]? {
            guard let (items, root) = items(object, lists: lists, marker: marker, required: ["id", "parent_id"] + names) else { return nil }
            return try items.enumerated().map { index, item in
                let place = "\(root)[\(index)]"
                let fields = try fieldsOf(item, place)
                let parent = try id(fields["parent_id"], place, "parent_id")
                return CategoryTree.Entry(id: try id(fields["id"], place, "id"), parentID: parent == "0" ? nil : parent,
                                          name: try name(fields, names, place), isLeaf: try flag(fields["is_leaf"], place, "is_leaf"))
            }
        }

        func nested(_ object: Any, lists: [[String]], id idField: String, name names: [String], leaf: LeafField, marker: String) throws -> [CategoryTree.Entry]? {
            guard let (items, root) = items(object, lists: lists, marker: marker, required: [idField, "children"]) else { return nil }
            var entries: [CategoryTree.Entry] = []
            func walk(_ items: [Any], parent: String?, place: String) throws {
                for (index, item) in items.enumerated() {
                    let here = "\(place)[\(index)]"
                    let fields = try fieldsOf(item, here)
                    let id = try id(fields[idField], here, idField)
                    let isLeaf: Bool
                    switch leaf {
                    case .isLeaf(let field): isLeaf = try flag(fields[field], here, field)
                    case .hasChildren(let field): isLeaf = !(try flag(fields[field], here, field))
                    }
                    entries.append(CategoryTree.Entry(id: id, parentID: parent, name: try name(fields, names, here), isLeaf: isLeaf))
                    guard let children = fields["children"] else { continue }
                    if children is NSNull { continue }
                    guard let list = children as? [Any] else { throw invalid(here + ".children", "not a list") }
                    try walk(list, parent: id, place: here + ".children")
                }
            }
            try walk(items, parent: nil, place: root)
            return entries
        }

        func checkParents(_ entries: [CategoryTree.Entry]) throws {
            var seen = Set<String>()
            for entry in entries where !seen.insert(entry.id).inserted {
                throw invalid("category \(entry.id)", "appears twice")
            }
            for entry in entries {
                if let parent = entry.parentID, !seen.contains(parent) {
                    throw invalid("category \(entry.id) (\(entry.name))", "its parent \(parent) is not in the file")
                }
            }
        }

        private func fieldsOf(_ item: Any, _ place: String) throws -> [String: Any] {
            guard let fields = item as? [String: Any] else { throw invalid(place, "not an object") }
            return fields
        }

        private func id(_ value: Any?, _ place: String, _ field: String) throws -> String {
            if let text = value as? String, !text.trimmed.isEmpty { return text.trimmed }
            if let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded() {
                return String(number.int64Value)
            }
            throw invalid(place, value == nil ? "no \(field)" : "\(field) is not an id")
        }

        private func name(_ fields: [String: Any], _ names: [String], _ place: String) throws -> String {
            for field in names {
                if let text = fields[field] as? String, !text.trimmed.isEmpty {
                    // Names become tree paths joined by " > " and TSV-like report cells: one line each.
                    return text.nfc.collapsingWhitespace
                }
            }
            throw invalid(place, "no \(names.joined(separator: " or "))")
        }

        private func flag(_ value: Any?, _ place: String, _ field: String) throws -> Bool {
            if let number = value as? NSNumber { return number.boolValue }
            if let text = value as? String, ["true", "false"].contains(text.lowercased()) { return text.lowercased() == "true" }
            throw invalid(place, value == nil ? "no \(field)" : "\(field) is not true or false")
        }

        private func invalid(_ place: String, _ reason: String) -> ImportError {
            .invalid(file: file, place: place, reason: reason)
        }
    }
}
