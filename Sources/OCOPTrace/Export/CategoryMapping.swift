import Foundation

/// Category ids per platform for products, by product code, product kind or OCOP group: the shop's
/// own mapping file first (whatever key it matches), then the mapping shipped with ocoptrace.
public struct CategoryMapping: Sendable {
    /// Where a product's category id came from: the key that matched, in which file.
    public struct Match: Sendable, Equatable {
        public var id: String
        public var key: String
        public var file: String
    }

    private struct Layer: Sendable {
        var file: String
        var ids: [String: [String: String]]
    }

    private let layers: [Layer]

    /// The shop's file (when it exists) over the shipped `Export/Rules/categories.json`.
    public static func load(shopFile: URL?) throws -> CategoryMapping {
        var layers: [Layer] = []
        if let shopFile, FileManager.default.fileExists(atPath: shopFile.path) {
            layers.append(Layer(file: InputFiles.displayPath(shopFile), ids: try read(shopFile, name: shopFile.path)))
        }
        if let shipped = Bundle.module.url(forResource: "categories", withExtension: "json", subdirectory: "Rules") {
            layers.append(Layer(file: "ocoptrace's shipped categories.json", ids: try read(shipped, name: "Export/Rules/categories.json")))
        }
        return CategoryMapping(layers: layers)
    }

    /// `{platform: {"product:CODE" | "kind:KIND" | "group:N": id}}`; keys starting with `_` are notes.
    private static func read(_ url: URL, name: String) throws -> [String: [String: String]] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw MarketplaceRules.RulesError.invalid(name, "not JSON: \((error as NSError).localizedDescription)")
        }
        guard let platforms = object as? [String: Any] else {
            throw MarketplaceRules.RulesError.invalid(name, "not a JSON object of platform → {\"product:CODE\", \"kind:KIND\" or \"group:N\": category id}")
        }
        var ids: [String: [String: String]] = [:]
        for (platform, value) in platforms where !platform.hasPrefix("_") {
            guard Marketplace(rawValue: platform) != nil else {
                throw MarketplaceRules.RulesError.invalid(name, "\"\(platform)\" is not a marketplace (\(Marketplace.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let entries = value as? [String: Any] else { throw MarketplaceRules.RulesError.invalid(name, "\(platform) is not an object") }
            for (key, id) in entries where !key.hasPrefix("_") {
                guard key.hasPrefix("product:") || key.hasPrefix("kind:") || key.hasPrefix("group:") else {
                    throw MarketplaceRules.RulesError.invalid(name, "\(platform): key \"\(key)\" is not product:CODE, kind:KIND or group:N")
                }
                guard let text = (id as? String) ?? (id as? Int).map(String.init), !text.isEmpty else {
                    throw MarketplaceRules.RulesError.invalid(name, "\(platform) \(key): the category id must be a string or a number")
                }
                ids[platform, default: [:]][key] = text
            }
        }
        return ids
    }

    /// The keys a product can be mapped by, most specific first.
    public static func keys(productCode: String, kind: ProductKind?, group: Int?) -> [String] {
        ["product:" + productCode] + (kind.map { ["kind:" + $0.kind] } ?? []) + (group.map { ["group:\($0)"] } ?? [])
    }

    public func category(platform: Marketplace, productCode: String, kind: ProductKind?, group: Int?) -> Match? {
        let keys = Self.keys(productCode: productCode, kind: kind, group: group)
        for layer in layers {
            guard let ids = layer.ids[platform.rawValue] else { continue }
            for key in keys { if let id = ids[key] { return Match(id: id, key: key, file: layer.file) } }
        }
        return nil
    }
}
