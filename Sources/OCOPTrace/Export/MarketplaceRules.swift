import Foundation

/// One platform's listing rules, read from `Export/Rules/{platform}.json`: limits, required
/// fields, each with its source and whether it is confirmed. A template change is a data edit.
public struct MarketplaceRules: Sendable, Codable {
    public struct Limit: Sendable, Codable {
        public var min: Int?
        public var max: Int?
        /// Under this, a warning rather than a rejection.
        public var warnMin: Int?
        /// Fewer words than this, a warning (a listing-quality recommendation).
        public var warnMinWords: Int?
        public var confirmed: Bool?
        /// Where the rule comes from, when not the file's own source.
        public var source: String?
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case min, max, warnMin = "warn_min", warnMinWords = "warn_min_words", confirmed, source, note
        }
    }

    /// How many images, and what each local image file must be: checked from the file's header.
    public struct ImageLimits: Sendable, Codable {
        public var min: Int?
        public var max: Int?
        /// Each side at least / at most this many pixels; under `recommendedSidePx`, a warning.
        public var minSidePx: Int?
        public var maxSidePx: Int?
        public var recommendedSidePx: Int?
        public var maxBytes: Int?
        /// Accepted file formats (`jpeg`, `png`); nil: any of the two.
        public var formats: [ImageFile.Format]?
        /// Width / height of the first (cover) image, e.g. 0.75 to 1.333 for 3:4 to 4:3.
        public var coverAspectMin: Double?
        public var coverAspectMax: Double?
        /// The upload takes image URLs only: a local file needs a web address (`--image-base-url`).
        public var urlsOnly: Bool?
        public var confirmed: Bool?
        public var source: String?
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case min, max, minSidePx = "min_side_px", maxSidePx = "max_side_px", recommendedSidePx = "recommended_side_px"
            case maxBytes = "max_bytes", formats, coverAspectMin = "cover_aspect_min", coverAspectMax = "cover_aspect_max"
            case urlsOnly = "urls_only", confirmed, source, note
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
        /// Products per upload file, when the platform limits it: more go into further files.
        public var maxRows: Int?
        public var columns: [Column]

        enum CodingKeys: String, CodingKey {
            case sheet, instructions, maxRows = "max_rows", columns
        }
    }

    /// Words a title must not carry, and why (e.g. promotion text, other platforms' names).
    public struct ForbiddenWords: Sendable, Codable {
        public var words: [String]
        public var reason: String
        public var reasonVietnamese: String

        enum CodingKeys: String, CodingKey {
            case words, reason, reasonVietnamese = "reason_vi", confirmed, source
        }
        public var confirmed: Bool?
        public var source: String?
    }

    public var platform: String
    public var name: String
    public var checkedOn: String
    public var source: String
    public var title: Limit
    public var description: Limit
    public var idMax: Int?
    public var images: ImageLimits
    public var requiresWeight: Bool
    /// Package length, width and height in cm.
    public var requiresDimensions: Bool?
    public var requiresCategory: Bool
    /// What goes in the brand field: the producer's name (the default), or this fixed value where
    /// the platform takes only brands from its own list (Lazada's "No Brand").
    public var brand: String?
    /// Restricted-circulation and coupon GTINs are left out of the listing (it goes without a GTIN).
    public var refusesRestrictedGTINs: Bool?
    public var forbiddenInTitle: ForbiddenWords?
    public var price: Limit
    public var unconfirmed: [String]
    public var template: Template?

    enum CodingKeys: String, CodingKey {
        case platform, name, checkedOn = "checked_on", source, title, description, idMax = "id_max", images
        case requiresWeight = "requires_weight", requiresDimensions = "requires_dimensions", requiresCategory = "requires_category",
             brand, refusesRestrictedGTINs = "refuses_restricted_gtins", forbiddenInTitle = "forbidden_in_title", price, unconfirmed, template
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
