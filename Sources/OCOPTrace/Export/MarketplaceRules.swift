import Foundation

/// One platform's listing rules, read from `Export/Rules/{platform}.json`: limits, required
/// fields, each with its source and whether it is confirmed. A template change is a data edit.
public struct MarketplaceRules: Sendable, Codable {
    public struct Limit: Sendable, Codable {
        public var min: Int?
        public var max: Int?
        public var confirmed: Bool?
        public var note: String?
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

    enum CodingKeys: String, CodingKey {
        case platform, name, checkedOn = "checked_on", source, title, description, idMax = "id_max", images
        case requiresWeight = "requires_weight", requiresCategory = "requires_category", price, unconfirmed
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
