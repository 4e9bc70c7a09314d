import Foundation

/// One platform's listing rules, read from `Export/Rules/{platform}.json`: limits, required
/// fields, each with its source and whether it is confirmed. A template change is a data edit.
public struct MarketplaceRules: Sendable, Codable {
    public struct Limit: Sendable, Codable {
        public var min: Int?
        public var max: Int?
        /// Under this, a warning rather than a rejection.
        public var warnMin: Int?
        public var confirmed: Bool?
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case min, max, warnMin = "warn_min", confirmed, note
        }
    }

    /// A seller centre's bulk-upload sheet: its columns in order, each a listing field.
    public struct Template: Sendable, Codable {
        public struct Column: Sendable, Codable {
            public var field: String
            public var header: String
            public var required: Bool
        }

        public var sheet: String
        public var instructions: String
        public var columns: [Column]
    }

    public var platform: String
    public var name: String
    public var checkedOn: String
    public var source: String
    public var title: Limit
    public var description: Limit
    public var idMax: Int?
    public var images: Limit
    public var requiresWeight: Bool
    public var requiresCategory: Bool
    public var price: Limit
    public var unconfirmed: [String]
    public var template: Template?

    enum CodingKeys: String, CodingKey {
        case platform, name, checkedOn = "checked_on", source, title, description, idMax = "id_max", images
        case requiresWeight = "requires_weight", requiresCategory = "requires_category", price, unconfirmed, template
    }

    public enum RulesError: Error, Sendable, CustomStringConvertible {
        case missing(String)
        case invalid(String, String)

        public var description: String {
            switch self {
            case .missing(let platform): "no rules file for \(platform)"
            case .invalid(let platform, let reason): "the rules file of \(platform) is not valid: \(reason)"
            }
        }
    }

    /// Category ids by platform, then by `group:N` (OCOP group) or `product:CODE`: the shipped file,
    /// overridden by a shop's own mapping file when there is one.
    public static func categories(override: URL?) throws -> [String: [String: String]] {
        var mapping: [String: [String: String]] = [:]
        func merge(_ data: Data, from source: String) throws {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw RulesError.invalid(source, "not a JSON object of platform → {\"group:N\" or \"product:CODE\": category id}")
            }
            for (platform, value) in object where !platform.hasPrefix("_") {
                guard let entries = value as? [String: Any] else { throw RulesError.invalid(source, "\(platform) is not an object") }
                for (key, id) in entries {
                    guard let id = (id as? String) ?? (id as? Int).map(String.init) else { continue }
                    mapping[platform, default: [:]][key] = id
                }
            }
        }
        if let url = Bundle.module.url(forResource: "categories", withExtension: "json", subdirectory: "Rules") {
            try merge(Data(contentsOf: url), from: "categories.json")
        }
        if let override, FileManager.default.fileExists(atPath: override.path) {
            try merge(Data(contentsOf: override), from: override.path)
        }
        return mapping
    }

    /// The shipped rules of a platform.
    public static func shipped(_ platform: String) throws -> MarketplaceRules {
        guard let url = Bundle.module.url(forResource: platform, withExtension: "json", subdirectory: "Rules") else {
            throw RulesError.missing(platform)
        }
        do {
            return try JSONDecoder().decode(MarketplaceRules.self, from: Data(contentsOf: url))
        } catch {
            throw RulesError.invalid(platform, "\(error)")
        }
    }
}
