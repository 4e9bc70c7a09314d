import Foundation

/// How sure a category id is: the shipped mapping's confidence (`high`, `medium`, `low`, or `none`
/// where no usable leaf is known), or `shop` for an id from the shop's own mapping file.
public enum CategoryConfidence: String, Sendable, Codable {
    case high, medium, low, none, shop
}

/// Category ids per platform for products, by product code, product kind or OCOP group: the shop's
/// own mapping file first (whatever key it matches), then the mapping shipped with ocoptrace
/// (`Export/Rules/categories.json` for Google, `Export/Rules/categories/{platform}.json` for the
/// seller centres, each id with its confidence, source and date).
public struct CategoryMapping: Sendable {
    /// The date of the reference the shipped seller-centre mapping and trees come from.
    public static let referenceDate = "2026-11-24"

    /// Where a product's category came from: the key that matched, in which file, and how sure it is.
    public struct Match: Sendable, Equatable {
        /// Nil where the shipped mapping knows no usable leaf for the key (confidence `none`).
        public var id: String?
        public var key: String
        public var file: String
        public var confidence: CategoryConfidence
        /// The path the shipped mapping gives (the tree's own path is preferred where it knows the id).
        public var path: String?
        /// For a missing leaf: the category under which it would sit.
        public var parent: String?
        public var note: String?
    }

    private struct Layer: Sendable {
        var file: String
        var entries: [String: [String: Match]]
    }

    private let layers: [Layer]

    /// The shop's file (when it exists) over the shipped mapping.
    public static func load(shopFile: URL?) throws -> CategoryMapping {
        var layers: [Layer] = []
        if let shopFile, FileManager.default.fileExists(atPath: shopFile.path) {
            let file = InputFiles.displayPath(shopFile)
            layers.append(Layer(file: file, entries: try readShopFile(shopFile, name: shopFile.path, file: file)))
        }
        layers.append(shipped)
        return CategoryMapping(layers: layers)
    }

    /// The shop's file alone, or nothing: for `categories --missing`, which names the keys a shop may add.
    public var hasShopFile: Bool { layers.count > 1 }

    private static let shippedFile = "ocoptrace's shipped mapping"

    /// Read once per process: the files are part of the package.
    private static let shipped: Layer = {
        var entries: [String: [String: Match]] = [:]
        do {
            if let google = Bundle.module.url(forResource: "categories", withExtension: "json", subdirectory: "Rules") {
                entries = try readShopFile(google, name: "Export/Rules/categories.json", file: shippedFile, confidence: .medium)
            }
            for platform in Marketplace.allCases where platform.isSpreadsheet {
                entries[platform.rawValue] = try readShippedPlatform(platform)
            }
        } catch {
            preconditionFailure("\(error): the package is broken")
        }
        return Layer(file: shippedFile, entries: entries)
    }()

    /// `Export/Rules/categories/{platform}.json`: `{"mapping": {key: {"id", "path", "confidence", "parent", "note", ...}}}`.
    private static func readShippedPlatform(_ platform: Marketplace) throws -> [String: Match] {
        let name = "Export/Rules/categories/\(platform.rawValue).json"
        struct File: Decodable {
            struct Entry: Decodable {
                var id: String?
                var path: String?
                var confidence: CategoryConfidence
                var parent: String?
                var note: String?
            }
            var mapping: [String: Entry]
        }
        guard let url = Bundle.module.url(forResource: platform.rawValue, withExtension: "json", subdirectory: "Rules/categories") else {
            throw MarketplaceRules.RulesError.missing(name)
        }
        do {
            let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
            return file.mapping.mapValues { entry in
                Match(id: entry.id, key: "", file: shippedFile, confidence: entry.id == nil ? .none : entry.confidence,
                      path: entry.path, parent: entry.parent, note: entry.note)
            }.reduce(into: [:]) { result, pair in
                var match = pair.value
                match.key = pair.key
                result[pair.key] = match
            }
        } catch {
            throw MarketplaceRules.RulesError.invalid(name, "\(error)")
        }
    }

    /// `{platform: {"product:CODE" | "kind:KIND" | "group:N": id}}`; keys starting with `_` are notes.
    private static func readShopFile(_ url: URL, name: String, file: String, confidence: CategoryConfidence = .shop) throws -> [String: [String: Match]] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw MarketplaceRules.RulesError.invalid(name, "not JSON: \((error as NSError).localizedDescription)")
        }
        guard let platforms = object as? [String: Any] else {
            throw MarketplaceRules.RulesError.invalid(name, "not a JSON object of platform → {\"product:CODE\", \"kind:KIND\" or \"group:N\": category id}")
        }
        var entries: [String: [String: Match]] = [:]
        for (platform, value) in platforms where !platform.hasPrefix("_") {
            guard Marketplace(rawValue: platform) != nil else {
                throw MarketplaceRules.RulesError.invalid(name, "\"\(platform)\" is not a marketplace (\(Marketplace.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let keyed = value as? [String: Any] else { throw MarketplaceRules.RulesError.invalid(name, "\(platform) is not an object") }
            for (key, id) in keyed where !key.hasPrefix("_") {
                guard key.hasPrefix("product:") || key.hasPrefix("kind:") || key.hasPrefix("group:") else {
                    throw MarketplaceRules.RulesError.invalid(name, "\(platform): key \(key.quoted) is not product:CODE, kind:KIND or group:N")
                }
                guard let text = (id as? String) ?? (id as? Int).map(String.init), !text.isEmpty else {
                    throw MarketplaceRules.RulesError.invalid(name, "\(platform) \(key): the category id must be a string or a number")
                }
                entries[platform, default: [:]][key] = Match(id: text, key: key, file: file, confidence: confidence)
            }
        }
        return entries
    }

    /// The keys a product can be mapped by, most specific first.
    public static func keys(productCode: String, kind: ProductKind?, group: OCOPGroup?) -> [String] {
        ["product:" + productCode] + (kind.map { ["kind:" + $0.kind] } ?? []) + (group.map { ["group:\($0.rawValue)"] } ?? [])
    }

    /// The first key that matches, the shop's file before the shipped mapping. A shipped key without
    /// a leaf (confidence `none`) ends the search: falling back to the group's broad leaf would be a
    /// wrong id, and a wrong id is worse than none.
    public func category(platform: Marketplace, productCode: String, kind: ProductKind?, group: OCOPGroup?) -> Match? {
        let keys = Self.keys(productCode: productCode, kind: kind, group: group)
        for layer in layers {
            guard let entries = layer.entries[platform.rawValue] else { continue }
            for key in keys { if let match = entries[key] { return match } }
        }
        return nil
    }
}
